import Foundation
import RSearchDocuments
import RSearchStore

/// Where the corpus and the index are, and keeping the index in step with
/// the corpus: what `Engine` stands on.
public struct Workspace: Sendable {
    public var corpus: Corpus
    public var indexPath: URL

    public static let defaultCorpus = "corpus"
    public static let defaultIndex = "index/rsearch.sqlite"

    /// Where each path came from, for messages that tell a user what to do.
    public enum Source: Sendable, Equatable {
        case option, environment, config(String), projectDefault
    }
    public var corpusSource: Source
    /// Recognise scanned PDF pages when the index is written (`--ocr`); nil:
    /// as the config file's `ocr = true` says.
    public var ocr: Bool?
    /// The config file this workspace was resolved with.
    let configFile: URL

    /// Paths from options first, then `RSEARCH_CORPUS` / `RSEARCH_INDEX`, then
    /// the config file (`$XDG_CONFIG_HOME/rsearch/config.toml`, written by
    /// `rsearch init`), then `./corpus` and `./index/rsearch.sqlite`.
    public init(corpus: String? = nil, index: String? = nil,
                environment: [String: String] = Workspace.environment(),
                currentDirectory: String = FileManager.default.currentDirectoryPath) {
        func resolve(_ path: String) -> URL {
            let expanded = (path as NSString).expandingTildeInPath
            return expanded.hasPrefix("/")
                ? URL(fileURLWithPath: expanded)
                : URL(fileURLWithPath: currentDirectory).appendingPathComponent(expanded)
        }
        func env(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let configFile = Self.configFile(environment)
        self.configFile = configFile
        // Read only when an option or variable leaves something to look up:
        // it is on the path of every search.
        let needsConfig = (corpus == nil && env("RSEARCH_CORPUS") == nil) || (index == nil && env("RSEARCH_INDEX") == nil)
        let config = needsConfig ? (try? String(contentsOf: configFile, encoding: .utf8)).map(Config.parse) ?? [:] : [:]

        let corpusPath: String
        if let corpus {
            corpusPath = corpus; corpusSource = .option
        } else if let value = env("RSEARCH_CORPUS") {
            corpusPath = value; corpusSource = .environment
        } else if let value = config["corpus"] {
            corpusPath = value; corpusSource = .config(configFile.path)
        } else {
            corpusPath = Self.defaultCorpus; corpusSource = .projectDefault
        }
        let indexPath = index ?? env("RSEARCH_INDEX") ?? config["index"]
            ?? (corpusSource == .projectDefault || config["corpus"] == nil
                ? Self.defaultIndex : Self.dataDirectory(environment).appendingPathComponent("rsearch.sqlite").path)
        self.corpus = Corpus(root: resolve(corpusPath))
        self.indexPath = resolve(indexPath).standardizedFileURL
    }

    /// The variables a workspace reads, from the process environment: read
    /// one by one rather than as `ProcessInfo`'s dictionary of every
    /// variable, which is built on first use, on the path of every search.
    public static func environment() -> [String: String] {
        var values: [String: String] = [:]
        for key in ["RSEARCH_CORPUS", "RSEARCH_INDEX", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME"] {
            if let value = getenv(key) { values[key] = String(cString: value) }
        }
        return values
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    /// `$XDG_CONFIG_HOME/rsearch/config.toml`, else `~/.config/rsearch/config.toml`.
    public static func configFile(_ environment: [String: String] = Workspace.environment()) -> URL {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home(environment) + "/.config"
        return URL(fileURLWithPath: base).appendingPathComponent("rsearch/config.toml")
    }

    /// `$XDG_DATA_HOME/rsearch`, else `~/.local/share/rsearch`.
    public static func dataDirectory(_ environment: [String: String] = Workspace.environment()) -> URL {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home(environment) + "/.local/share"
        return URL(fileURLWithPath: base).appendingPathComponent("rsearch")
    }

    /// Writes the config file for a folder of reports (`rsearch init DIR`),
    /// with the index under the data directory. Returns the workspace it
    /// describes.
    public static func initialize(corpus folder: String,
                                  environment: [String: String] = Workspace.environment(),
                                  currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> Workspace {
        let root = folder.hasPrefix("/") ? URL(fileURLWithPath: folder)
            : URL(fileURLWithPath: currentDirectory).appendingPathComponent(folder)
        let corpus = Corpus(root: root)
        try corpus.checkExists()
        let index = dataDirectory(environment).appendingPathComponent("rsearch.sqlite")
        let file = configFile(environment)
        let text = """
            # rsearch configuration, written by `rsearch init`.
            corpus = \(Config.quote(corpus.root.path))
            index = \(Config.quote(index.path))

            """
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw EngineError.configNotWritable(path: file.path)
        }
        return Workspace(corpus: corpus.root.path, index: index.path, environment: environment,
                         currentDirectory: currentDirectory)
    }

    /// Rebuilds the index from the corpus.
    public func rebuild(progress: (@Sendable (BuildProgress) -> Void)? = nil) throws -> BuildSummary {
        var builder = IndexBuilder(corpus: corpus, destination: indexPath)
        builder.progress = progress
        builder.ocr = ocrEnabled
        return try explained { try builder.build() }
    }

    /// Brings the index up to date with the corpus, writing only what
    /// changed (nothing, when nothing did); builds it if there is none.
    public func update(progress: (@Sendable (BuildProgress) -> Void)? = nil) throws -> BuildSummary {
        var builder = IndexBuilder(corpus: corpus, destination: indexPath)
        builder.progress = progress
        builder.ocr = ocrEnabled
        return try explained { try builder.update() }
    }

    /// The config file's `token`: what `rsearch serve` requires of every
    /// request when no `--token` is given.
    public var serverToken: String? {
        let text = try? String(contentsOf: configFile, encoding: .utf8)
        return text.map(Config.parse)?["token"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `ocr`, else the config file's `ocr = true`: read only when the index
    /// is written, not on the path of a search.
    var ocrEnabled: Bool {
        if let ocr { return ocr }
        let text = try? String(contentsOf: configFile, encoding: .utf8)
        return text.map(Config.parse)?["ocr"] == "true"
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
    /// - Parameter settled: called, when the index is current, with a check
    ///   that found folder times the index does not hold (`recordSettled`).
    public func freshness(walking: Bool = true, settled: ((CorpusCheck) -> Void)? = nil) throws -> Freshness {
        guard IndexDatabase.exists(at: indexPath) else {
            do {
                try corpus.checkExists()
            } catch CorpusError.notFound where corpusSource == .projectDefault {
                throw EngineError.notConfigured
            }
            return .missing
        }
        guard walking else { return .current }
        let index = try IndexDatabase(path: indexPath)
        if (try? corpus.checkExists()) == nil { return .corpusMissing }
        if let root = try index.corpusRoot(), root != corpus.root.path { return .otherCorpus(root) }
        // Path, size and mtime of every file, summed; folders whose time did
        // not change contribute the sums recorded for them, so this costs a
        // stat per folder plus reading the folders that changed.
        // A corpus whose documents cannot all be accounted for is stale.
        guard let current = try corpus.check(knowing: index.folders()) else { return .stale }
        guard try index.fingerprint() == current.fingerprint else { return .stale }
        if current.settles { settled?(current) }
        return .current
    }

    /// Records, after a search, the folders a check found settled
    /// (`freshness(walking:settled:)`): written once, so that later
    /// searches stat each folder instead of each file. False if the index
    /// could not be written now (a search does not wait or fail for it).
    @discardableResult
    public func recordSettled(_ check: CorpusCheck) -> Bool {
        IndexBuilder(corpus: corpus, destination: indexPath).recordFolders(check.folders, checkedAgainst: check.fingerprint)
    }

    /// Of the reports about to be shown, those changed on disk since the
    /// index was written: what the folder-level check of `freshness()`
    /// cannot see (a file rewritten in place) matters most for these.
    /// - Parameter index: the index the search used, already open.
    public func changedReports(_ paths: some Collection<String>, in index: IndexDatabase) throws -> [String] {
        guard (try? corpus.checkExists()) != nil else { return [] }
        return try index.changedReports(paths, in: corpus)
    }

    /// A missing `./corpus` that nobody configured is a setup question, not
    /// a missing folder.
    private func explained<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch CorpusError.notFound where corpusSource == .projectDefault {
            throw EngineError.notConfigured
        }
    }

    public func open() throws -> IndexDatabase {
        try IndexDatabase(path: indexPath)
    }
}

/// The config file: `key = "value"` lines, `#` comments. A small subset of
/// TOML read by hand: two string keys do not justify TOMLKit, which builds a
/// C++ TOML library.
enum Config {
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.hasPrefix("#"), let eq = t.firstIndex(of: "=") else { continue }
            let key = t[..<eq].trimmingCharacters(in: .whitespaces)
            var value = t[t.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            values[key] = value
        }
        return values
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
