/// Every failure rsearch reports to a user: one line that names the file or
/// the query, and says what to do where something can be done.
public enum RSearchError: Error, Equatable, CustomStringConvertible, Sendable {
    case corpusNotFound(path: String)
    case notConfigured
    case indexMissing(path: String)
    case indexUnreadable(path: String, reason: String)
    case indexIncompatible(path: String, found: String, expected: String)
    case indexNotWritable(path: String, reason: String)
    case indexBusy(path: String)
    case emptyQuery
    case querySyntax(message: String, column: Int)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .corpusNotFound(let path):
            return "corpus folder not found: \(path) (set --corpus DIR or RSEARCH_CORPUS)"
        case .notConfigured:
            return "no corpus here: run `rsearch init DIR` for a folder of reports (or pass --corpus DIR, or set RSEARCH_CORPUS)"
        case .indexMissing(let path):
            return "no index at \(path); run `rsearch index` to build it"
        case .indexUnreadable(let path, let reason):
            return "index \(path) cannot be read (\(reason)); run `rsearch index --rebuild`"
        case .indexIncompatible(let path, let found, let expected):
            return "index \(path) has format \(found), this rsearch needs \(expected); run `rsearch index --rebuild`"
        case .indexNotWritable(let path, let reason):
            return "cannot write the index at \(path): \(reason) (choose another place with --index PATH or RSEARCH_INDEX)"
        case .indexBusy(let path):
            return "another `rsearch index` is updating \(path); try again when it has finished"
        case .emptyQuery:
            return "empty query: give at least one term, e.g. rsearch 意识形态"
        case .querySyntax(let message, let column):
            return "query error at column \(column): \(message)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
