/// What can go wrong with the corpus folder itself (a file that cannot be
/// read is not an error: it is skipped, with its reason).
public enum CorpusError: Error, Equatable, Sendable {
    /// The folder does not exist or is not a folder.
    case notFound(path: String)
}
