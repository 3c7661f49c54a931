import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file of the corpus as found on disk.
public struct CorpusFile: Sendable, Hashable {
    /// Relative to the corpus root, with `/` separators: the report's identity.
    public var path: String
    /// The absolute path on disk.
    public var fullPath: String
    public var size: Int
    public var mtime: Double

    public var url: URL { URL(fileURLWithPath: fullPath, isDirectory: false) }
}

/// The folder of reports.
public struct Corpus: Sendable {
    public var root: URL

    /// File endings read as documents.
    public static let documentExtensions: Set<String> = ["txt", "md", "markdown", "docx"]
    /// Provenance notes that travel with the documents, not documents.
    public static let ignoredNames: Set<String> = ["SOURCE.md", "README.md"]

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public func checkExists() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RSearchError.corpusNotFound(path: root.path)
        }
    }

    /// Every document below the root, in path order. Hidden files and folders
    /// are skipped; symbolic links to folders are not followed, so a link loop
    /// cannot trap the walk (links to files are followed).
    ///
    /// Written on readdir and stat rather than FileManager's enumerator: this
    /// walk runs before every search (to notice a changed corpus), and the
    /// enumerator took over a second on 7,300 files where this takes
    /// milliseconds.
    public func files() throws -> [CorpusFile] {
        try checkExists()
        var found: [CorpusFile] = []
        walk { found.append($0) }
        // Byte order, not String order: String comparison normalises
        // Unicode, which is slow and not needed for a stable order.
        return found.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// A digest of every document's path, size and modification time, in no
    /// particular order: what a search compares with the one the index
    /// recorded to notice a changed corpus, without sorting or reading.
    public func fingerprint() throws -> String {
        try checkExists()
        var count = 0
        var sum: UInt64 = 0
        walk { file in
            count += 1
            sum &+= file.stampHash
        }
        return "\(count)-\(String(sum, radix: 16))"
    }

    static func fingerprint(of files: [CorpusFile]) -> String {
        "\(files.count)-\(String(files.reduce(UInt64(0)) { $0 &+ $1.stampHash }, radix: 16))"
    }

    private func walk(_ visit: (CorpusFile) -> Void) {
        let fd = open(root.path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        walk(fd: fd, directory: root.path, relative: "", visit)
    }

    /// Entries are looked up relative to their folder's descriptor (fstatat),
    /// which spares the kernel resolving every full path again.
    private func walk(fd: Int32, directory: String, relative: String, _ visit: (CorpusFile) -> Void) {
        guard let dir = fdopendir(fd) else {
            close(fd)
            return
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            var kind = info.st_mode & S_IFMT
            if kind == S_IFLNK {
                // Follow a link to a file, never a link to a folder.
                guard fstatat(fd, name, &info, 0) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                kind = S_IFREG
            }
            let path = relative.isEmpty ? name : relative + "/" + name
            if kind == S_IFDIR {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY)
                if child >= 0 { walk(fd: child, directory: directory + "/" + name, relative: path, visit) }
            } else if kind == S_IFREG {
                guard let dot = name.lastIndex(of: "."), dot != name.startIndex,
                      Self.documentExtensions.contains(name[name.index(after: dot)...].lowercased()),
                      !Self.ignoredNames.contains(name) else { continue }
                let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                visit(CorpusFile(path: path, fullPath: directory + "/" + name, size: Int(info.st_size), mtime: mtime))
            }
        }
    }
}

extension CorpusFile {
    /// Path, size and mtime mixed into one number; summed over a corpus it
    /// changes when any file is added, removed, renamed, resized or touched.
    var stampHash: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in path.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ UInt64(truncatingIfNeeded: size)) &* 0x100_0000_01b3
        h = (h ^ UInt64(bitPattern: Int64((mtime * 1e6).rounded()))) &* 0x100_0000_01b3
        // A final mix so that sums of nearby values do not collide.
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        return h ^ (h >> 33)
    }
}

/// FNV-1a, 64 bits: enough to tell whether a file changed, and fast. A
/// cryptographic hash would need swift-crypto, a large dependency for no gain
/// here: nothing is trusted on the strength of this hash.
enum ContentHash {
    static func hex(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for b in raw.bindMemory(to: UInt8.self) {
                h = (h ^ UInt64(b)) &* 0x100_0000_01b3
            }
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
