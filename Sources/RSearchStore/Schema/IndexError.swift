/// What can go wrong with an index file, or with a report or section asked
/// for by name. Each case carries the data a caller needs to word it.
public enum IndexError: Error, Equatable, Sendable {
    case missing(path: String)
    /// Not an SQLite database, not an rsearch index, or damaged.
    case unreadable(path: String, reason: String)
    /// Written by a version of rsearch with another format.
    case incompatible(path: String, found: String, expected: String)
    case notWritable(path: String, reason: String)
    /// Another process holds the writer's lock.
    case busy(path: String)
    /// No report has this path or ends with it.
    case noSuchReport(name: String)
    /// Several reports end with this name.
    case ambiguousReport(name: String, matches: Int)
    /// The report has fewer sections than `number`.
    case noSuchSection(report: String, number: Int)
    /// The report's file has fewer lines than `line`.
    case noSuchLine(report: String, line: Int)
    /// A read took longer than its bound (`IndexDatabase.withTimeLimit`), in seconds.
    case timeLimit(seconds: Double)
}
