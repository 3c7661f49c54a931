import RSearchDocuments
import RSearchEngine
import RSearchQuery

/// The words for what the library reports as values: one line each, naming
/// the file or the query, with what to do where something can be done. The
/// command line prints them after `rsearch: `; the server sends them as a
/// request's `error`.
public enum ErrorText {
    public static func describe(_ error: Error) -> String? {
        switch error {
        case CorpusError.notFound(let path): return "corpus folder not found: \(path) (set --corpus DIR or RSEARCH_CORPUS)"
        case EngineError.notConfigured:
            return "no corpus here: run `rsearch init DIR` for a folder of reports (or pass --corpus DIR, or set RSEARCH_CORPUS)"
        case EngineError.configNotWritable(let path): return "\(path): cannot write the config file"
        case EngineError.originalUnavailable(let path):
            return "\(path): the report's file is no longer in the corpus; run `rsearch index` to update the index"
        case IndexError.missing(let path): return "no index at \(path); run `rsearch index` to build it"
        case IndexError.unreadable(let path, let reason):
            return "index \(path) cannot be read (\(reason)); run `rsearch index --rebuild`"
        case IndexError.incompatible(let path, let found, let expected):
            return "index \(path) has format \(found), this rsearch needs \(expected); run `rsearch index --rebuild`"
        case IndexError.notWritable(let path, let reason):
            return "cannot write the index at \(path): \(reason) (choose another place with --index PATH or RSEARCH_INDEX)"
        case IndexError.busy(let path): return "another `rsearch index` is updating \(path); try again when it has finished"
        case IndexError.noSuchReport(let name): return "\(name): no such report in the index (see `rsearch list`)"
        case IndexError.ambiguousReport(let name, let matches):
            return "\(name): \(matches) reports end with this name; give more of the path"
        case IndexError.noSuchSection(let report, let number): return "\(report): has no section \(number)"
        case IndexError.noSuchLine(let report, let line): return "\(report): has no line \(line)"
        case IndexError.timeLimit(let seconds):
            return "the search took longer than \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s and was stopped; narrow it with more terms or a filter"
        case QueryError.empty: return "empty query: give at least one term, e.g. rsearch 意识形态"
        case QueryError.syntax(let message, let column): return "query error at column \(column): \(message)"
        case OutputError.cannotWrite(let path, let role):
            return "\(path): cannot write the \(role == .mapping ? "mapping" : "output") file"
        default:
            return nil
        }
    }

    /// How the index differs from the corpus, with what to do about it.
    public static func describe(_ staleness: Staleness) -> String {
        let update = "run `rsearch index` to update it"
        switch staleness {
        case .reportsChanged(let paths):
            return "\(paths[0])\(paths.count > 1 ? " and \(paths.count - 1) more" : "") changed since the index was built; \(update)"
        case .corpusChanged: return "the corpus has changed since the index was built; \(update)"
        case .otherCorpus(let root, let corpus): return "the index was built from \(root), not \(corpus); run `rsearch index --rebuild`"
        case .corpusMissing(let path): return "corpus folder \(path) not found; searching the index as it is"
        }
    }
}
