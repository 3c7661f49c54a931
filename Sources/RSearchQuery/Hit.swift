import RSearchDocuments

/// One matching section, ranked, with what a reader is shown of it.
public struct Hit: Sendable {
    public var rank: Int
    /// Higher is better (bm25, sign flipped).
    public var score: Double
    public var report: ReportInfo
    public var section: SectionInfo
    /// Scalar offsets into `section.text` of every occurrence of every
    /// positive query term.
    public var matches: [Range<Int>]
    /// Occurrences of the positive query terms: in this section (the
    /// count of `matches` where they are filled in), or, for
    /// `SearchOptions.HitDetail.counts`, in every matching section of the
    /// report.
    public var occurrences: Int
    public var snippet: Snippet
    /// The other sections whose text is this one's, whitespace aside, in
    /// this or other reports, each a match of the query too, by path: shown
    /// once, here, unless `SearchOptions.allCopies`.
    public var duplicates: [SectionLocation] = []
    /// The section's `SectionDigest`, which copies share (0 where unknown).
    package var digest: Int64 = 0
    /// The section's id in the index that made the hit (0 where unknown).
    package var sectionID: Int64 = 0

    public init(rank: Int, score: Double, report: ReportInfo, section: SectionInfo, matches: [Range<Int>],
                occurrences: Int? = nil, snippet: Snippet) {
        self.rank = rank
        self.score = score
        self.report = report
        self.section = section
        self.matches = matches
        self.occurrences = occurrences ?? matches.count
        self.snippet = snippet
    }
}
