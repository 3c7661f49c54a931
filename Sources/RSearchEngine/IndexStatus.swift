import RSearchStore

/// Figures about the index: what `stats` shows.
public struct IndexStatus: Sendable, Equatable {
    public var reports: Int
    public var sections: Int
    public var characters: Int
    /// Corpus files that were not indexed (each with its reason in the index).
    public var skipped: Int
    public var indexBytes: Int
    /// The index file's path.
    public var index: String
    /// When the index was last written (ISO 8601).
    public var updated: String?
    /// The corpus folder it was built from.
    public var corpus: String?

    init(totals: Catalog.Totals, index: String) {
        reports = totals.reports
        sections = totals.sections
        characters = totals.characters
        skipped = totals.skipped
        indexBytes = totals.indexBytes
        self.index = index
        updated = totals.updated
        corpus = totals.corpus
    }
}
