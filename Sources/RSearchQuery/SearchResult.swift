/// What a search answers: the count of every match and the hits asked for.
public struct SearchResult: Sendable {
    public var query: String
    /// Every matching section, not only those returned.
    public var total: Int
    public var hits: [Hit]

    public init(query: String, total: Int, hits: [Hit]) {
        self.query = query
        self.total = total
        self.hits = hits
    }
}
