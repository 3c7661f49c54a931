import RSearchText

/// What a search asks for beyond its query: how many hits, from where, in
/// which order, how much of each.
public struct SearchOptions: Sendable {
    /// Hits to return; nil for all.
    public var limit: Int? = 10
    public var offset = 0
    /// `Folding.exact` keeps traditional and simplified characters apart.
    public var folding: Folding = .index
    /// Characters of context before the first match in a snippet.
    public var context = 30
    /// Filters given as options, merged with those in the query text.
    public var filters = Filters()
    public var sort: SortOrder = .score
    /// How much of each hit to fill in.
    public var detail: HitDetail = .full
    /// Every copy of a passage its own hit; by default sections whose text
    /// is the same, whitespace aside, are one hit listing the others
    /// (`Hit.duplicates`), with `.full` detail.
    public var allCopies = false
    /// With `.full` detail, hits without their text, matches and snippet
    /// (report, heading path, line, digest and section id only), for the
    /// store to complete once it knows which are shown: collapsing copies
    /// ranks more hits than a page shows.
    package var textDeferred = false

    public enum HitDetail: Sendable {
        /// Text, matches and snippet.
        case full
        /// One hit per report, as with `reports`, its `occurrences` those of
        /// the query's terms in all the report's matching sections (`-c`):
        /// read from the index where it keeps them (a term of Han
        /// characters, folded as the index folds), else counted in each
        /// section's text.
        case counts
        /// One hit per report, its best section, with report and position
        /// only: empty text, no matches, an empty snippet; `offset` and
        /// `limit` count reports. For listing the reports that match, where
        /// reading, folding and highlighting every section's text would be
        /// most of the time, for output that shows none of it.
        case reports
    }

    public enum SortOrder: String, Sendable, CaseIterable {
        /// Relevance (bm25), ties by year, path, position.
        case score
        /// Newest report first, then path and position.
        case year
        /// Report path, then position.
        case path
    }

    public init(limit: Int? = 10, offset: Int = 0, sort: SortOrder = .score, context: Int = 30,
                folding: Folding = .index, filters: Filters = Filters(), detail: HitDetail = .full) {
        self.limit = limit
        self.offset = offset
        self.sort = sort
        self.context = context
        self.folding = folding
        self.filters = filters
        self.detail = detail
    }
}
