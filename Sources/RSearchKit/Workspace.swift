import Foundation

/// Where the corpus and the index are, and keeping the index in step with
/// the corpus. The command-line tool is a thin layer over this.
public struct Workspace: Sendable {
    public var corpus: Corpus
    public var indexPath: URL

    public static let defaultCorpus = "corpus"
    public static let defaultIndex = "index/rsearch.sqlite"

    /// Paths from options first, then `RSEARCH_CORPUS` / `RSEARCH_INDEX`,
    /// then `./corpus` and `./index/rsearch.sqlite`.
    public init(corpus: String? = nil, index: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                currentDirectory: String = FileManager.default.currentDirectoryPath) {
        func resolve(_ path: String) -> URL {
            let expanded = (path as NSString).expandingTildeInPath
            return expanded.hasPrefix("/")
                ? URL(fileURLWithPath: expanded)
                : URL(fileURLWithPath: currentDirectory).appendingPathComponent(expanded)
        }
        let corpusPath = corpus ?? environment["RSEARCH_CORPUS"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultCorpus
        let indexPath = index ?? environment["RSEARCH_INDEX"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultIndex
        self.corpus = Corpus(root: resolve(corpusPath))
        self.indexPath = resolve(indexPath).standardizedFileURL
    }

    /// Rebuilds the index from the corpus.
    public func rebuild(progress: (@Sendable (Int, Int, Int) -> Void)? = nil) throws -> BuildSummary {
        var builder = IndexBuilder(corpus: corpus, destination: indexPath)
        builder.progress = progress
        return try builder.build()
    }

    /// Brings the index up to date with the corpus, writing only what
    /// changed (nothing, when nothing did); builds it if there is none.
    public func update(progress: (@Sendable (Int, Int, Int) -> Void)? = nil) throws -> BuildSummary {
        var builder = IndexBuilder(corpus: corpus, destination: indexPath)
        builder.progress = progress
        return try builder.update()
    }

    public enum Freshness: Equatable, Sendable {
        case missing
        case current
        case stale
        /// Built from another corpus folder.
        case otherCorpus(String)
        /// The index is there but its corpus folder is not: searchable, not updatable.
        case corpusMissing
    }

    /// - Parameter walking: false to skip the walk over the corpus (which
    ///   tells `.stale` from `.current`) and only look for the index.
    public func freshness(walking: Bool = true) throws -> Freshness {
        guard IndexDatabase.exists(at: indexPath) else {
            try corpus.checkExists()
            return .missing
        }
        guard walking else { return .current }
        let index = try IndexDatabase(path: indexPath)
        if (try? corpus.checkExists()) == nil { return .corpusMissing }
        if let root = try index.corpusRoot(), root != corpus.root.path { return .otherCorpus(root) }
        // Path, size and mtime of every file, summed: no file is read, no
        // list is sorted, so this costs one directory walk.
        return try index.fingerprint() == corpus.fingerprint() ? .current : .stale
    }

    public func open() throws -> IndexDatabase {
        try IndexDatabase(path: indexPath)
    }
}
