#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension timespec {
    package var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }

    /// A modification time as the index records a file's (`CorpusFile.mtime`):
    /// every comparison with a recorded time must convert the same way.
    package var seconds: Double { Double(tv_sec) + Double(tv_nsec) / 1e9 }
}
