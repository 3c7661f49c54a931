import Foundation
import GRDB
import GRDBSQLite

/// A query of one Han character, counted and ranked from its postings
/// (`CharacterPostings`) instead of FTS5's prefix query: the same rows, the
/// same total and the same scores as `OnePassRanking` gives (bm25's, to the
/// last bit; `RankingTests` compares them), without FTS5 merging every
/// bigram doclist the character begins.
enum CharacterRanking {
    /// The counted and best rows of `character` (folded as the index folds),
    /// as `OnePassRanking.rank` returns them; nil when its postings are not
    /// kept (outside the BMP), and FTS5 must answer.
    ///
    /// `f`, a row's weighted instances, is `headingWeight × heading +
    /// textWeight × text`; `bm25()` adds the weights one instance at a time, which gives
    /// the same value while the weights are whole numbers, as rsearch's are.
    /// Each counted row's count in the text goes to `occurrences`.
    static func rank(_ db: Database, character: UInt32, inHeading: Bool, headingWeight: Double, textWeight: Double, wanted: Int,
                     within sections: SectionRanges = .all, occurrences: SectionOccurrences? = nil) throws -> (total: Int, best: [(id: Int64, score: Double)])?
    {
        guard CharacterPostings.isKept(character) else { return nil }
        precondition(headingWeight == headingWeight.rounded() && textWeight == textWeight.rounded())
        guard let statistics = try OnePassRanking.tableStatistics(db),
              let lastKey = try Int64.fetchOne(db, sql: "SELECT max(key) FROM char_posting") else { return (0, []) }
        let averageLength = statistics.averageLength
        let lengths = try LoadedSectionLengths(db)
        let docsize = try db.cachedStatement(sql: "SELECT sz FROM section_fts_docsize WHERE id = ?")
        var best = BestRows(wanted: wanted)
        var matched = 0
        var total = 0
        var failure: Error?

        let statement = try db.cachedStatement(sql: "SELECT postings FROM char_posting WHERE key = ?")
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        for block in 0...CharacterPostings.block(ofKey: lastKey) {
            guard try PointLookup.step(handle, key: CharacterPostings.key(block: block, character: UInt16(character)), db)
            else { continue }
            // SQLite's own buffer, valid until the statement moves on.
            let bytes = UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, 0), count: Int(sqlite3_column_bytes(handle, 0)))
            CharacterPostings.decode(bytes, block: block) { id, heading, text in
                let f = inHeading ? headingWeight * Double(heading) : headingWeight * Double(heading) + textWeight * Double(text)
                guard f > 0 else { return }
                // The section's length, which also tells a removed section
                // (`CharacterPostingsWriter` leaves its postings behind).
                let d: Double, prior: Double
                switch lengths.entry(of: id) {
                case 0?:
                    return
                case let entry? where SectionLengths.length(ofEntry: entry) != nil:
                    d = Double(SectionLengths.length(ofEntry: entry)!)
                    prior = SectionLengths.prior(ofEntry: entry)
                default:
                    // Not loaded (a rare character reads a few lengths one by
                    // one), or too long for its entry: `%_docsize`'s figure.
                    do {
                        guard let sizes = try Data.fetchOne(docsize, arguments: [id]) else { return }
                        let shape = sizes.withUnsafeBytes { HeadingPrior.of(sizes: $0) }
                        d = Double(shape.length)
                        prior = shape.prior
                    } catch {
                        failure = failure ?? error
                        return
                    }
                    lengths.missed(id)
                }
                matched += 1
                guard sections.contains(id) else { return }
                total += 1
                occurrences?.add(id: id, count: Int(text))
                best.add(id: id, f: f, length: d, averageLength: averageLength, prior: prior)
            }
        }
        if let failure { throw failure }
        guard total > 0 else { return (0, []) }
        let idf = OnePassRanking.inverseDocumentFrequency(rows: statistics.rowCount, matching: matched)
        return (total, best.rows.map { (id: $0.id, score: OnePassRanking.score(termFactor: $0.factor, idf: idf)) })
    }
}
