import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RSearchDocuments

/// bm25 for a query of one phrase, computed in a single pass over its
/// matches, with the exact total counted on the way.
///
/// SQLite's `bm25()` reads the whole result twice before ranking a row: its
/// IDF needs the number of rows holding the phrase, which it counts with a
/// query of its own (`xQueryPhrase`), and rsearch needed a `count(*)` for the
/// total besides. For a query of one phrase that number *is* the number of
/// rows matched, so one pass can collect every row's score without the IDF
/// and apply it at the end: the `rsearch_bm25_collect` auxiliary function,
/// called once, visits every row with `xQueryPhrase` and gathers the rest of
/// the formula. Measured on the 150 MB corpus (in-process, same
/// index): `诗` 24.7 → 9.4 ms, `的` 435 → 268, a 13-character phrase 2.2 →
/// 0.7 (BENCHMARKS.md). Report filters become rowid ranges checked per row
/// (a report's sections are consecutive rows), so a filtered query needs no
/// join per match either.
///
/// The arithmetic is that of `fts5Bm25Function` in SQLite's `fts5_aux.c`,
/// operation for operation, so a score equals `bm25()`'s to the last bit
/// (`RankingTests` compares them):
///
///     score = -1.0 * (0.0 + idf * ((f * (k1 + 1)) / (f + k1 * (1 - b + b * D / avgdl))))
///     idf   = log((N - n + 0.5) / (n + 0.5)), or 1e-6 where that is not positive
///
/// with `f` the row's phrase instances weighted by column, `D` the row's
/// tokens in all columns (from `SectionLengths` where loaded, else FTS5's
/// `xColumnSize`, which reads the same figures row by row), `avgdl` the
/// table's tokens per row, `N` its rows and `n` the rows holding the phrase.
enum OnePassRanking {
    static let functionName = "rsearch_bm25_collect"

    /// Table-wide figures, read once per query.
    struct TableStatistics {
        var rowCount: Int64 = 0
        var averageLength = 0.0
    }

    static let pointerType: StaticString = "rsearch_bm25_collector"

    /// Registers `rsearch_bm25_collect(section_fts, collector)` on a connection.
    static func register(_ db: Database) {
        let api = FTS5.api(db)
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), functionName, nil, collect, nil)
    }

    /// The rows of `section_fts` and their average length in tokens; nil
    /// when it has no rows. From FTS5's averages record, which is what
    /// `xRowCount` and `xColumnTotalSize` read: reaching those through an
    /// auxiliary function needs a scan of the table, which reads a row's
    /// content through the `section` view, decoding it (14% of a
    /// one-character search, perf).
    static func tableStatistics(_ db: Database) throws -> TableStatistics? {
        let totals = try FTS5Segments.averages(db, table: "section_fts").map { Int64(truncatingIfNeeded: $0) }
        guard let rows = totals.first, rows > 0 else { return nil }
        var statistics = TableStatistics()
        statistics.rowCount = rows
        statistics.averageLength = Double(totals.dropFirst().reduce(0, &+)) / Double(rows)
        return statistics
    }

    /// bm25 without its IDF for a row with `f` weighted instances and `d`
    /// tokens: `fts5_aux.c`'s expression, in its order of operations.
    @inline(__always)
    static func termFactor(f: Double, length d: Double, averageLength: Double) -> Double {
        (f * (k1 + 1.0)) / (f + k1 * (1 - b + b * d / averageLength))
    }

    /// Whether `termFactor` is surely below a positive `floor`: its
    /// fraction multiplied out, with a margin of 1e-9 of the floor.
    @inline(__always)
    static func termFactorBelow(_ floor: Double, f: Double, length d: Double, averageLength: Double) -> Bool {
        f * (k1 + 1.0) * averageLength < floor * ((f + k1 * (1 - b)) * averageLength + k1 * b * d) * (1 - 1e-9)
    }

    private static let k1 = 1.2
    private static let b = 0.75

    /// What one ranking pass gathers, reached from the auxiliary function
    /// through the pointer bound as its second argument.
    final class Collector {
        /// The table's rows and average row length, filled by the first call.
        var rowCount: Int64 = 0
        var averageLength = 0.0
        /// Section lengths read from `section_length`, where loaded.
        let lengths: LoadedSectionLengths?
        /// One weight per column, as `bm25()` takes them.
        let weights: [Double]
        let sections: SectionRanges
        var best: BestRows
        /// Rows holding the phrase, and of those the rows `within` sections.
        var matched = 0
        var total = 0
        /// Called for every row the statement returns, each visiting only
        /// itself: for a phrase with a prefix token, whose doclist FTS5
        /// merges from every term with the prefix before the first row,
        /// so that `xQueryPhrase` would merge it a second time (`PM2.5`
        /// at 1 GB: 43 → 67 ms of CPU).
        let perRow: Bool
        /// Where each counted row's instances in the text column go, if asked.
        let occurrences: SectionOccurrences?

        init(lengths: LoadedSectionLengths?, weights: [Double], sections: SectionRanges, wanted: Int, perRow: Bool,
             occurrences: SectionOccurrences?) {
            self.lengths = lengths
            self.weights = weights
            self.sections = sections
            self.perRow = perRow
            self.occurrences = occurrences
            best = BestRows(wanted: wanted)
        }
    }

    /// Called for the first row the statement matches: visits every row
    /// holding phrase 0 with FTS5's `xQueryPhrase`, inside FTS5, rather than
    /// returning each row through the statement (the virtual machine's
    /// steps, the function call and its result per row were a third of a
    /// common term's search at 1 GB, perf), and gathers each row's bm25
    /// without its IDF into the collector; or, `perRow`, visits the current
    /// row only. Arguments: the collector.
    private static let collect: fts5_extension_function = { api, fts, context, count, values in
        guard let api, let values, count >= 1,
              let raw = sqlite3_value_pointer(values[0], pointerType.utf8Start) else {
            sqlite3_result_error(context, "\(functionName): missing collector", -1)
            return
        }
        let collector = Unmanaged<Collector>.fromOpaque(raw).takeUnretainedValue()
        if collector.rowCount == 0 {
            var rows: Int64 = 0, tokens: Int64 = 0
            _ = api.pointee.xRowCount(fts, &rows)
            _ = api.pointee.xColumnTotalSize(fts, -1, &tokens)
            collector.rowCount = rows
            collector.averageLength = Double(tokens) / Double(rows)
        }
        let rc = collector.perRow ? visit(api, fts, raw) : api.pointee.xQueryPhrase(fts, 0, raw, visit)
        if rc != SQLITE_OK { sqlite3_result_error_code(context, rc) } else { sqlite3_result_null(context) }
    }

    /// One row holding the phrase (`xQueryPhrase`'s callback). The
    /// collector is borrowed, not retained: retain and release per row were
    /// a fifth of `rsearch 安全` at 1 GB (perf).
    private static let visit: @convention(c) (UnsafePointer<Fts5ExtensionApi>?, OpaquePointer?, UnsafeMutableRawPointer?)
        -> Int32 = { api, fts, raw in
        guard let api, let raw else { return SQLITE_MISUSE }
        return Unmanaged<Collector>.fromOpaque(raw)._withUnsafeGuaranteedRef { visitRow(api.pointee, fts, $0) }
    }

    @inline(__always)
    private static func visitRow(_ api: Fts5ExtensionApi, _ fts: OpaquePointer?, _ collector: Collector) -> Int32 {
        let id = api.xRowid(fts)
        collector.matched += 1
        let lengths = collector.lengths
        let known = lengths?.shape(of: id)
        guard collector.sections.contains(id) else {
            if known == nil { lengths?.missed(id) }
            return SQLITE_OK
        }
        // Instances of the phrase, weighted by column as bm25() weighs them.
        var f = 0.0
        var inText = 0
        var iterator = Fts5PhraseIter()
        var column: Int32 = 0, offset: Int32 = 0
        var rc = api.xPhraseFirst(fts, 0, &iterator, &column, &offset)
        let weights = collector.weights
        while rc == SQLITE_OK && column >= 0 {
            f += Int(column) < weights.count ? weights[Int(column)] : 1.0
            if column == textColumn { inText += 1 }
            api.xPhraseNext(fts, &iterator, &column, &offset)
        }
        guard rc == SQLITE_OK else { return rc }
        let d: Double, prior: Double
        if let known {
            (d, prior) = known
        } else {
            var text: Int32 = 0, heading: Int32 = 0
            rc = api.xColumnSize(fts, Int32(HeadingPrior.textColumn), &text)
            guard rc == SQLITE_OK else { return rc }
            rc = api.xColumnSize(fts, Int32(HeadingPrior.headingColumn), &heading)
            guard rc == SQLITE_OK else { return rc }
            d = Double(text) + Double(heading)
            prior = HeadingPrior.of(text: UInt64(text), heading: UInt64(heading))
            lengths?.missed(id)
        }
        collector.total += 1
        collector.occurrences?.add(id: id, count: inText)
        collector.best.add(id: id, f: f, length: d, averageLength: collector.averageLength, prior: prior)
        return SQLITE_OK
    }

    private static let textColumn = Int32(Schema.FTSColumn.allCases.firstIndex(of: .text)!)

    static func inverseDocumentFrequency(rows: Int64, matching: Int) -> Double {
        let idf = log((Double(rows - Int64(matching)) + 0.5) / (Double(matching) + 0.5))
        return idf <= 0.0 ? 1e-6 : idf
    }

    static func score(termFactor: Double, idf: Double) -> Double {
        -1.0 * (0.0 + idf * termFactor)
    }

    /// Every row matching `match` (a one-phrase FTS5 expression) and lying
    /// `within` the given sections, counted, and the best `wanted` of them by
    /// bm25 (`.max`: all), with every row that ties the last of them,
    /// unordered. Scores are bm25's (lower is better); as in `bm25()`, the
    /// IDF counts every row the phrase matches, filtered out or not. Each
    /// counted row's instances in the text column go to `occurrences`.
    static func rank(_ db: Database, match: String, weights: [Double], wanted: Int, within sections: SectionRanges = .all,
                     occurrences: SectionOccurrences? = nil)
        throws -> (total: Int, best: [(id: Int64, score: Double)])
    {
        let perRow = match.contains("*")
        let statement = try db.cachedStatement(sql: """
            SELECT \(functionName)(section_fts, ?) FROM section_fts WHERE section_fts MATCH ?\(perRow ? "" : " LIMIT 1")
            """)
        let handle = statement.sqliteStatement
        let collector = Collector(lengths: try LoadedSectionLengths(db), weights: weights,
                                  sections: sections, wanted: wanted, perRow: perRow,
                                  occurrences: occurrences)
        try withExtendedLifetime(collector) {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            _ = sqlite3_bind_pointer(handle, 1, Unmanaged.passUnretained(collector).toOpaque(), pointerType.utf8Start, nil)
            _ = sqlite3_bind_text(handle, 2, match, -1, SQLITE_TRANSIENT_VALUE)
            defer { sqlite3_reset(handle) }
            while true {
                let rc = sqlite3_step(handle)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc),
                                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                if !perRow { break }
            }
        }
        guard collector.total > 0 else { return (0, []) }
        let idf = inverseDocumentFrequency(rows: collector.rowCount, matching: collector.matched)
        let scored = collector.best.rows.map { (id: $0.id, score: score(termFactor: $0.factor, idf: idf)) }
        return (collector.total, scored)
    }
}

/// A set of sections as sorted, disjoint rowid ranges, or all of them.
struct SectionRanges {
    private let ranges: [ClosedRange<Int64>]?

    static let all = SectionRanges(nil)

    init(_ ranges: [ClosedRange<Int64>]?) {
        self.ranges = ranges?.sorted { $0.lowerBound < $1.lowerBound }
    }

    func contains(_ id: Int64) -> Bool {
        ranges == nil || index(of: id) != nil
    }

    /// The position, in lower-bound order, of the range holding `id`; nil
    /// for `.all` or when no range holds it.
    func index(of id: Int64) -> Int? {
        guard let ranges else { return nil }
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < id { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].contains(id) ? low : nil
    }
}

/// SQLite's SQLITE_TRANSIENT, which Swift does not import.
private let SQLITE_TRANSIENT_VALUE = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// The best rows of a stream by term factor (higher is better), keeping every
/// row whose score could tie the `wanted`-th once the IDF multiplies it.
///
/// Multiplying by the IDF preserves order but may round two factors a unit
/// in the last place apart to one score, so rows within a relative 1e-12 of
/// the cut are kept too, and the final order is decided on the scores.
struct BestRows {
    let wanted: Int
    private(set) var rows: [(id: Int64, factor: Double)] = []
    /// Rows below it cannot reach the page.
    private var floor = -Double.infinity
    private var pruneAt: Int

    init(wanted: Int) {
        self.wanted = min(max(wanted, 1), Int.max / 4)
        pruneAt = 2 * self.wanted + 64
    }

    mutating func add(id: Int64, factor: Double) {
        guard factor >= floor else { return }
        rows.append((id, factor))
        if rows.count >= pruneAt { prune() }
    }

    /// `add(id:factor:)` of `OnePassRanking.termFactor(f:length:averageLength:)`,
    /// which first tells, by multiplying alone, a row that cannot reach the
    /// floor: the two divisions' latency was most of a common character's
    /// loop at 1 GB (perf). The test's margin is far wider than the rounding
    /// of either form, so it never turns away a row the exact factor keeps.
    /// `prior`: the row's `HeadingPrior` multiplier, a power of two, which
    /// scales the factor exactly.
    @inline(__always)
    mutating func add(id: Int64, f: Double, length d: Double, averageLength: Double, prior: Double) {
        if floor > 0, OnePassRanking.termFactorBelow(prior == 1 ? floor : floor / prior, f: f, length: d,
                                                     averageLength: averageLength) { return }
        add(id: id, factor: OnePassRanking.termFactor(f: f, length: d, averageLength: averageLength) * prior)
    }

    private mutating func prune() {
        rows.sort { $0.factor > $1.factor }
        let cut = rows[wanted - 1].factor
        floor = cut - abs(cut) * 1e-12
        if let end = rows.firstIndex(where: { $0.factor < floor }) { rows.removeSubrange(end...) }
        // Many ties at the cut: prune less often rather than on every row.
        pruneAt = max(pruneAt, 2 * rows.count)
    }
}
