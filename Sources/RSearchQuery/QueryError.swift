/// A query that cannot be parsed.
public enum QueryError: Error, Equatable, Sendable {
    /// No term and no filter.
    case empty
    /// What is wrong, and the 1-based column (in characters) where.
    case syntax(message: String, column: Int)
}
