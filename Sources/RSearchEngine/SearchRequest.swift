import RSearchQuery

/// A search as a caller asks for it: the query as the user typed it, and
/// the options (filters given beside the query, as options or form fields,
/// are `options.filters`).
public struct SearchRequest: Sendable {
    /// The query text, in rsearch's query language; echoed in the result.
    public var query: String
    public var options: SearchOptions

    public init(query: String, options: SearchOptions = SearchOptions()) {
        self.query = query
        self.options = options
    }
}
