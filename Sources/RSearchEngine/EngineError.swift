import RSearchStore

/// What can go wrong in setting rsearch up, apart from the corpus and the
/// index themselves (`CorpusError`, `IndexError`).
public enum EngineError: Error, Equatable, Sendable {
    /// No corpus was configured and the default folder is not there.
    case notConfigured
    case configNotWritable(path: String)
}

/// What can go wrong with an index file, or with a report or section asked
/// for by name: the store's errors, part of the engine's API, so that a
/// caller words them without reaching the store.
public typealias IndexError = RSearchStore.IndexError
