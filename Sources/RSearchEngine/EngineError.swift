import RSearchStore

/// What can go wrong in setting rsearch up, apart from the corpus and the
/// index themselves (`CorpusError`, `IndexError`).
public enum EngineError: Error, Equatable, Sendable {
    /// No corpus was configured and the default folder is not there.
    case notConfigured
    case configNotWritable(path: String)
    /// A report's file is gone from the corpus, or is no longer a plain
    /// file inside it (replaced by a link out of it, say): its path in the
    /// corpus.
    case originalUnavailable(path: String)
}

/// What can go wrong with an index file, or with a report or section asked
/// for by name: the store's errors, part of the engine's API, so that a
/// caller words them without reaching the store.
public typealias IndexError = RSearchStore.IndexError
