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
    public var snippet: Snippet

    public init(rank: Int, score: Double, report: ReportInfo, section: SectionInfo, matches: [Range<Int>], snippet: Snippet) {
        self.rank = rank
        self.score = score
        self.report = report
        self.section = section
        self.matches = matches
        self.snippet = snippet
    }
}
