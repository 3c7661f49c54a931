import RSearchDocuments
import RSearchQuery

/// What a search answers, and what the engine noticed on the way.
public struct SearchResponse: Sendable {
    public var result: SearchResult
    /// Set when there was no index and the search built it first.
    public var firstBuild: BuildSummary?
    /// Set when the index no longer matches the corpus (the search still
    /// answered, from the index as it is).
    public var staleness: Staleness?

    public init(result: SearchResult, firstBuild: BuildSummary? = nil, staleness: Staleness? = nil) {
        self.result = result
        self.firstBuild = firstBuild
        self.staleness = staleness
    }
}

/// How the index differs from the corpus, as a search can see it cheaply.
public enum Staleness: Sendable, Equatable {
    /// Files of reports among the hits changed since they were indexed.
    case reportsChanged([String])
    /// Files were added, removed, renamed or saved anew somewhere in the corpus.
    case corpusChanged
    /// The index was built from another folder than the corpus's.
    case otherCorpus(builtFrom: String, corpus: String)
    /// The corpus folder (its path) is gone; the index answers as it is.
    case corpusMissing(String)
}

extension Staleness {
    /// What the folder-level check found, for the corpus at `corpus`; nil
    /// when the index is current (edits in place are for the caller to
    /// check) or there is none.
    init?(_ freshness: Workspace.Freshness, corpus: String) {
        switch freshness {
        case .current, .missing: return nil
        case .stale: self = .corpusChanged
        case .otherCorpus(let root): self = .otherCorpus(builtFrom: root, corpus: corpus)
        case .corpusMissing: self = .corpusMissing(corpus)
        }
    }
}

/// What a caller hears while a search builds the first index.
public struct BuildObserver: Sendable {
    /// Called with the corpus folder's path before the build starts.
    public var willBuild: (@Sendable (String) -> Void)?
    public var progress: (@Sendable (BuildProgress) -> Void)?

    public init(willBuild: (@Sendable (String) -> Void)? = nil, progress: (@Sendable (BuildProgress) -> Void)? = nil) {
        self.willBuild = willBuild
        self.progress = progress
    }
}
