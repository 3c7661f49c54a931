import GRDB

/// What a section that is only a heading counts for in the ranking: a
/// section whose body (its text after the heading, in tokens) is empty or
/// shorter than its heading, such as `第六章 能源科技创新` or a one-line list
/// item `（六）其他不履行优化营商环境职责或者损害营商环境的。`, has its bm25
/// score multiplied by `factor`, so that a heading, short and weighted as a
/// heading, does not outrank passages that hold the query as well (issue 18).
///
/// Every ranking path applies it the same way: the passes (`OnePassRanking`,
/// `CharacterRanking`, from the flag `SectionLengths` keeps with each
/// length, or from `%_docsize` where a block is not loaded) and SQL's
/// `bm25(…) * rsearch_heading_prior(sz)` (`Searcher.score`). `factor` is a
/// power of two, so that scaling by it is exact: a scaled sum is the sum of
/// the scaled addends, bit for bit, and a pass's score is still
/// `bm25() * factor` to the last bit (`RankingTests`).
enum HeadingPrior {
    /// Tuned on the judged set (`rsearch-bench --judge`, BENCHMARKS.md).
    static let factor = 0.25

    /// `text` and `heading`: the section's tokens in each FTS column (the
    /// text column holds the heading too).
    @inline(__always)
    static func isHeadingOnly(text: UInt64, heading: UInt64) -> Bool {
        heading > 0 && text < 2 * heading
    }

    /// The multiplier of a section with these token counts.
    @inline(__always)
    static func of(text: UInt64, heading: UInt64) -> Double {
        isHeadingOnly(text: text, heading: heading) ? factor : 1.0
    }

    /// Whether a section with these token counts per FTS column (in the
    /// table's order) is only a heading.
    static func isHeadingOnly(columns: [UInt64]) -> Bool {
        isHeadingOnly(text: columns.count > textColumn ? columns[textColumn] : 0,
                      heading: columns.count > headingColumn ? columns[headingColumn] : 0)
    }

    /// The multiplier and total length of a `%_docsize` record.
    static func of(sizes bytes: UnsafeRawBufferPointer) -> (prior: Double, length: UInt32) {
        let columns = SectionLengths.columnSizes(bytes)
        return (isHeadingOnly(columns: columns) ? factor : 1.0, UInt32(clamping: columns.reduce(0, &+)))
    }

    /// `rsearch_heading_prior(sz)`: the multiplier of the section whose
    /// `%_docsize` record is `sz` (1 for NULL).
    static func addFunction(to db: Database) {
        db.add(function: DatabaseFunction("rsearch_heading_prior", argumentCount: 1, pure: true) { values in
            guard case .blob(let sizes) = values[0].storage else { return 1.0 }
            return sizes.withUnsafeBytes { of(sizes: $0).prior }
        })
    }

    static let textColumn = Schema.FTSColumn.allCases.firstIndex(of: .text)!
    static let headingColumn = Schema.FTSColumn.allCases.firstIndex(of: .heading)!
}
