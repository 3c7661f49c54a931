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
    public static let documentExtensions: Set<String> = [
        "txt", "md", "markdown", "docx", "pdf", "doc", "wps", "rtf", "odt", "ofd", "html", "htm",
    ]
    /// Provenance notes that travel with the documents, not documents.
    public static let ignoredNames: Set<String> = ["SOURCE.md", "README.md"]

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public func checkExists() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CorpusError.notFound(path: root.path)
        }
    }

    /// Every document below the root, in path order. Hidden files and folders
    /// are skipped; symbolic links to folders are not followed, so a link loop
    /// cannot trap the walk (links to files are followed).
    ///
    /// Written on readdir and stat rather than FileManager's enumerator: the
    /// enumerator took over a second on 7,300 files where this takes
    /// milliseconds.
    public func files() throws -> [CorpusFile] {
        try scan().files
    }

    /// The documents (in path order) and the folders that hold them: what an
    /// index records so that a later search can tell cheaply whether the
    /// corpus changed.
    public func scan() throws -> CorpusScan {
        try checkExists()
        var found: [CorpusFile] = []
        var folders: [CorpusFolder] = []
        var ignored: [String] = []
        let racyAfter = Self.now() - Self.racyWindow
        var walk = Walk(known: [:])
        walk.other = { ignored.append($0) }
        walk.run(root.path, file: { found.append($0) }, folder: { folder in
            var folder = folder
            if folder.mtime >= racyAfter { folder.mtime = CorpusFolder.unknownTime }
            folders.append(folder)
        })
        // Byte order, not String order: String comparison normalises
        // Unicode, which is slow and not needed for a stable order.
        found.sort { Self.precedesInByteOrder($0.path, $1.path) }
        ignored.sort { Self.precedesInByteOrder($0, $1) }
        return CorpusScan(files: found, folders: folders, ignored: ignored)
    }

    /// `a` before `b` in the order of their UTF-8 bytes. By `memcmp` where
    /// the strings' bytes are contiguous (always, for paths read from
    /// disk): the generic comparison of two UTF-8 views was 5% of an
    /// update's CPU, sorting 7,300 paths.
    static func precedesInByteOrder(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b -> Bool in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
        return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A digest of every document's path, size and modification time, in no
    /// particular order: what the index records, to notice a changed corpus
    /// without sorting or reading anything.
    public func fingerprint() throws -> String? {
        try fingerprint(knowing: [])
    }

    /// The same digest as `fingerprint()`, computed without visiting every
    /// file: a folder whose modification time is the one recorded in `known`
    /// has the same entries as then, so its recorded sum of document stamps
    /// stands in for a `stat` of each document; only folders that changed
    /// are read. What this cannot see is a document rewritten in place (same
    /// name, in a folder whose entries did not change): the caller checks the
    /// documents it is about to show, and `rsearch index` compares them all.
    ///
    /// The full walk costs one `fstatat` per file; this, one per folder.
    /// Nil when a recorded folder could not be opened: its documents cannot
    /// be accounted for.
    public func fingerprint(knowing known: [CorpusFolder]) throws -> String? {
        try check(knowing: known)?.fingerprint
    }

    /// `fingerprint(knowing:)`, with the folders as `scan()` would record
    /// them now: when the digest is the index's, these may replace the
    /// recorded ones, and a folder recorded with an unknown time that has
    /// settled since is then known (`CorpusCheck.settles`).
    public func check(knowing known: [CorpusFolder]) throws -> CorpusCheck? {
        try checkExists()
        if let unchanged = Self.fingerprintIfUnchanged(root: root.path, known) {
            return CorpusCheck(fingerprint: unchanged, folders: known, settles: false)
        }
        var count = 0
        var sum: UInt64 = 0
        var folders: [CorpusFolder] = []
        let racyAfter = Self.now() - Self.racyWindow
        var walk = Walk(known: Dictionary(known.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first }))
        let complete = walk.run(root.path, file: { file in
            count += 1
            sum &+= file.stampHash
        }, folder: { folder in
            if folder.reused {
                count += folder.files
                sum &+= folder.stamp
            }
            var folder = folder
            folder.reused = false
            if folder.mtime >= racyAfter { folder.mtime = CorpusFolder.unknownTime }
            folders.append(folder)
        })
        guard complete else { return nil }
        let recorded = Dictionary(known.map { ($0.path, $0.mtime) }, uniquingKeysWith: { first, _ in first })
        let settles = folders.contains { $0.mtime != CorpusFolder.unknownTime && recorded[$0.path] != $0.mtime }
        return CorpusCheck(fingerprint: "\(count)-\(String(sum, radix: 16))", folders: folders, settles: settles)
    }

    /// The recorded folders' digest if every one of them still has its
    /// recorded time: then the walk below would read none of them and sum
    /// exactly these figures. One `fstatat` per folder, by its path from the
    /// root, in a flat loop: no folder opened, no path built or looked up
    /// (at 1 GB, 1,003 folders, the walk's opens, path strings and
    /// dictionary lookups were 40% of `rsearch 龚正`'s CPU, on the critical
    /// path of a quick search). A folder added or removed changes its
    /// parent's time, so it cannot slip past. Nil: walk.
    static func fingerprintIfUnchanged(root: String, _ known: [CorpusFolder]) -> String? {
        guard !known.isEmpty else { return nil }
        let fd = open(root, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var count = 0
        var sum: UInt64 = 0
        var info = stat()
        for folder in known {
            guard folder.mtime != CorpusFolder.unknownTime else { return nil }
            let found = folder.path.isEmpty ? fstat(fd, &info) : fstatat(fd, folder.path, &info, AT_SYMLINK_NOFOLLOW)
            guard found == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_mtim.nanoseconds == folder.mtime else { return nil }
            count += folder.files
            sum &+= folder.stamp
        }
        return "\(count)-\(String(sum, radix: 16))"
    }

    package static func fingerprint(of files: [CorpusFile]) -> String {
        "\(files.count)-\(String(files.reduce(UInt64(0)) { $0 &+ $1.stampHash }, radix: 16))"
    }

    /// A folder modified this recently may change again within the clock's
    /// granularity without its time changing (git's "racy" entries), so its
    /// time is not recorded and a search always reads it.
    static let racyWindow: Int64 = 2_000_000_000

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// A folder of the corpus and a summary of the documents directly inside it.
public struct CorpusFolder: Sendable, Hashable {
    /// Relative to the corpus root, `/`-separated; "" is the root.
    public var path: String
    /// Modification time in nanoseconds, or `unknownTime`.
    public var mtime: Int64
    /// Documents directly inside (not in subfolders).
    public var files: Int
    /// The sum of their `stampHash`es.
    public var stamp: UInt64
    /// Set by a walk that took `files` and `stamp` from a recorded folder
    /// rather than reading it.
    var reused = false

    public static let unknownTime: Int64 = -1

    public init(path: String, mtime: Int64, files: Int, stamp: UInt64) {
        self.path = path
        self.mtime = mtime
        self.files = files
        self.stamp = stamp
    }

    /// The names of the recorded folders directly inside each folder.
    static func children(of folders: some Sequence<CorpusFolder>) -> [String: [String]] {
        var children: [String: [String]] = [:]
        for folder in folders where !folder.path.isEmpty {
            if let slash = folder.path.lastIndex(of: "/") {
                children[String(folder.path[..<slash]), default: []].append(String(folder.path[folder.path.index(after: slash)...]))
            } else {
                children["", default: []].append(folder.path)
            }
        }
        return children
    }
}

/// What a search's check of the corpus found (`Corpus.check(knowing:)`).
public struct CorpusCheck: Sendable {
    /// The digest of every document's path, size and time.
    public var fingerprint: String
    /// The folders, with their times as they may be recorded now.
    public var folders: [CorpusFolder]
    /// Some folder has a time to record that the index does not hold.
    public var settles: Bool
}

public struct CorpusScan: Sendable {
    public var files: [CorpusFile]
    public var folders: [CorpusFolder]
    /// The other regular files (not hidden), relative paths in path order:
    /// what a build names as not read (`BuildSummary.ignored`).
    public var ignored: [String] = []
}

/// The walk over a corpus folder, on readdir and fstatat. Entries are
/// looked up relative to their folder's descriptor, which spares the
/// kernel resolving every full path again.
///
/// A folder found in `known` with an unchanged modification time is not
/// read: the walk reports it (`reused`) and goes on into the subfolders
/// it had then, each checked the same way.
private struct Walk {
    var known: [String: CorpusFolder]
    var children: [String: [String]]
    /// Called with each regular file that is not a document, when set (a
    /// build's scan, not a search's check).
    var other: ((String) -> Void)?
    /// False once a recorded subfolder could not be opened: its documents
    /// cannot be accounted for.
    private var intact = true

    init(known: [String: CorpusFolder]) {
        self.known = known
        self.children = CorpusFolder.children(of: known.values)
    }

    /// Returns false if a recorded folder could not be opened.
    @discardableResult
    mutating func run(_ root: String, file: (CorpusFile) -> Void, folder: (CorpusFolder) -> Void) -> Bool {
        let fd = open(root, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return false }
        visit(fd: fd, directory: root, relative: "", file, folder)
        return intact
    }

    private mutating func visit(fd: Int32, directory: String, relative: String,
                                _ visitFile: (CorpusFile) -> Void, _ visitFolder: (CorpusFolder) -> Void) {
        var info = stat()
        // The time is taken before the entries are read: a change made while
        // reading then shows as a newer time next time.
        let mtime = fstat(fd, &info) == 0 ? info.st_mtim.nanoseconds : CorpusFolder.unknownTime
        if var recorded = known[relative], recorded.mtime != CorpusFolder.unknownTime, recorded.mtime == mtime {
            recorded.reused = true
            visitFolder(recorded)
            for name in children[relative] ?? [] {
                let path = relative.isEmpty ? name : relative + "/" + name
                // A recorded folder without recorded subfolders needs only its
                // time: one fstatat instead of open, fstat and close (at 1 GB,
                // opening 1,003 folders was a third of `rsearch 龚正`, perf).
                if children[path] == nil, let leaf = known[path], leaf.mtime != CorpusFolder.unknownTime {
                    var info = stat()
                    if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR,
                       info.st_mtim.nanoseconds == leaf.mtime {
                        var reused = leaf
                        reused.reused = true
                        visitFolder(reused)
                        continue
                    }
                }
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
                guard child >= 0 else {
                    intact = false
                    continue
                }
                visit(fd: child, directory: directory + "/" + name, relative: path, visitFile, visitFolder)
            }
            close(fd)
            return
        }
        guard let dir = fdopendir(fd) else {
            close(fd)
            return
        }
        defer { closedir(dir) }
        var files = 0
        var stamp: UInt64 = 0
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
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
                if child >= 0 { visit(fd: child, directory: directory + "/" + name, relative: path, visitFile, visitFolder) }
            } else if kind == S_IFREG {
                guard let dot = name.lastIndex(of: "."), dot != name.startIndex,
                      Corpus.documentExtensions.contains(name[name.index(after: dot)...].lowercased()),
                      !Corpus.ignoredNames.contains(name) else {
                    other?(path)
                    continue
                }
                let mtime = info.st_mtim.seconds
                let file = CorpusFile(path: path, fullPath: directory + "/" + name, size: Int(info.st_size), mtime: mtime)
                files += 1
                stamp &+= file.stampHash
                visitFile(file)
            }
        }
        visitFolder(CorpusFolder(path: relative, mtime: mtime, files: files, stamp: stamp))
    }
}

extension CorpusFile {
    /// Path, size and mtime mixed into one number; summed over a corpus it
    /// changes when any file is added, removed, renamed, resized or touched.
    var stampHash: UInt64 {
        var hash = FNV1a()
        hash.mix(bytes: path.utf8)
        hash.mix(UInt64(truncatingIfNeeded: size))
        hash.mix(UInt64(bitPattern: Int64((mtime * 1e6).rounded())))
        var h = hash.value
        // A final mix so that sums of nearby values do not collide.
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        return h ^ (h >> 33)
    }
}
