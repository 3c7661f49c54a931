import Foundation

/// A file of the corpus as found on disk.
public struct CorpusFile: Sendable, Hashable {
    /// Relative to the corpus root, with `/` separators: the report's identity.
    public var path: String
    public var url: URL
    public var size: Int
    public var mtime: Double
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
    /// cannot trap the walk.
    public func files() throws -> [CorpusFile] {
        try checkExists()
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]
        ) else {
            throw RSearchError.io(path: root.path, reason: "cannot list folder")
        }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        var found: [CorpusFile] = []
        for case let url as URL in walker {
            let ext = url.pathExtension.lowercased()
            guard Self.documentExtensions.contains(ext), !Self.ignoredNames.contains(url.lastPathComponent) else { continue }
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(rootPath) ? String(full.dropFirst(rootPath.count)) : url.lastPathComponent
            found.append(CorpusFile(
                path: relative, url: url, size: values.fileSize ?? 0,
                mtime: values.contentModificationDate?.timeIntervalSince1970 ?? 0))
        }
        return found.sorted { $0.path < $1.path }
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
