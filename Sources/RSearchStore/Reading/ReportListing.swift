import GRDB
import RSearchQuery

/// The reports a query matches, each once, at the rank of its best section
/// (what `-l` prints), and matches ordered by report rather than by score
/// (`--sort year`, `--sort path`).
///
/// Listing them from the hits meant a row, a join and a `Hit` for every
/// matching section, and the tie-breaking keys looked up for every shared
/// score: 7.8 s and 450 MB for `rsearch 的 -l` on the 150 MB corpus, for
/// 7,309 lines of output. Here each section is placed in its report by rowid
/// (a report's sections are one range of rowids, in their order, as the
/// writer inserts them), the ties are broken with the report's year and path
/// and the rowid, and only each report's best section is read.
struct ReportListing {
    /// Each report's rowid range, sorted, and its tie-breaking keys, by the
    /// range's index (`reports` comes in the same order, by first rowid).
    private let ranges: SectionRanges
    /// Each report's place in `--sort year` order (newest first, no year
    /// last, then path in byte order, as SQLite sorts it), which is also
    /// how ties of score are broken across reports; and in path order.
    private let yearOrder: [Int]
    private let pathOrder: [Int]

    /// What the report ranges would be read for.
    enum Use {
        /// `-l`, instead of a row, a join and a `Hit` per match (about 35 µs).
        case listing
        /// `--sort year|path`, instead of SQLite's join and sorter (about 4 µs a match).
        case sorting
    }

    /// Whether reading every report's range pays for this many matches:
    /// it scans the section index, about 0.4 µs a section (90–120 ms at
    /// 150 MB, measured with the sqlite3 shell), so it pays once the matches
    /// are 2% of the sections for a listing, 15% for a sort.
    static func pays(for use: Use, matches: Int, _ db: Database) throws -> Bool {
        // The largest rowid, never less than the number of sections.
        let sections = try Int64.fetchOne(db, sql: "SELECT max(id) FROM section") ?? 0
        return Double(matches) >= (use == .listing ? 0.02 : 0.15) * Double(sections)
    }

    /// nil if some report's sections are not one range of rowids.
    init?(_ db: Database) throws {
        guard let reports = try Self.reports(db) else { return nil }
        ranges = SectionRanges(reports.map(\.sections))
        let path = reports.map { Array($0.path.utf8) }
        func places(_ precedes: (Int, Int) -> Bool) -> [Int] {
            var places = [Int](repeating: 0, count: reports.count)
            for (place, r) in reports.indices.sorted(by: precedes).enumerated() { places[r] = place }
            return places
        }
        pathOrder = places { path[$0].lexicographicallyPrecedes(path[$1]) }
        yearOrder = places { a, b in
            reports[a].year != reports[b].year ? reports[a].year > reports[b].year : path[a].lexicographicallyPrecedes(path[b])
        }
    }

    /// Every report, or those `conditions` on `report r` keep, with its
    /// sections as one range of rowids, its year (-1: none) and its path, in
    /// rowid order; nil if some report's sections are not one range, which
    /// the writer never produces (it inserts a report's sections one after
    /// another, numbered from 0) but which this does not assume.
    ///
    /// Three seeks per report in `section_report` (its first and last
    /// section by number, and that number) rather than a scan of every
    /// section: 150 → 24 ms at 1 GB (51,163 reports, 1.9 million sections),
    /// 66 → 24 at 150 MB. A range of exactly as many rowids as numbers holds
    /// that report's sections and no other's where they are numbered without
    /// a gap, as the writer numbers them; a range overlapping another is
    /// caught (all of them when nothing is filtered).
    static func reports(_ db: Database, where conditions: [String] = [], arguments: [DatabaseValueConvertible?] = [])
        throws -> [(sections: ClosedRange<Int64>, year: Int, path: String)]?
    {
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT coalesce(r.year, -1), r.path,
                   (SELECT id FROM section_store WHERE report_id = r.id ORDER BY ord LIMIT 1),
                   (SELECT id FROM section_store WHERE report_id = r.id ORDER BY ord DESC LIMIT 1),
                   (SELECT max(ord) FROM section_store WHERE report_id = r.id)
            FROM report r \(filter) ORDER BY 3
            """, arguments: StatementArguments(arguments))
        var reports: [(sections: ClosedRange<Int64>, year: Int, path: String)] = []
        while let row = try rows.next() {
            guard let low = row[2] as Int64?, let high = row[3] as Int64?, let last = row[4] as Int64? else { continue }
            guard high - low == last, reports.last.map({ $0.sections.upperBound < low }) ?? true else { return nil }
            reports.append((low...high, row[0], row[1]))
        }
        return reports
    }

    /// The position of the report holding section `id`, nil if none does.
    func report(of id: Int64) -> Int? { ranges.index(of: id) }

    /// The counts of `rows` summed by report, indexed by `report(of:)`.
    func totals(of rows: [(id: Int64, count: Int)]) -> [Int] {
        var totals = [Int](repeating: 0, count: yearOrder.count)
        for row in rows {
            if let r = report(of: row.id) { totals[r] += row.count }
        }
        return totals
    }

    /// `rows` in report order: newest year first (no year last), then path
    /// in byte order, as SQLite sorts it, then position; or path and
    /// position. Rows outside every report are left out.
    func sorted(_ rows: [(id: Int64, score: Double)], by order: SearchOptions.SortOrder)
        -> [(id: Int64, score: Double)]
    {
        let places = order == .year ? yearOrder : pathOrder
        var placed = rows.compactMap { r in report(of: r.id).map { (id: r.id, score: r.score, place: places[$0]) } }
        placed.sort { a, b in a.place != b.place ? a.place < b.place : a.id < b.id }
        return placed.map { ($0.id, $0.score) }
    }

    /// The best section of each report among `rows`, in rank order (score,
    /// then newer year, path in byte order as SQLite sorts it, position),
    /// with its rank among all the rows.
    func best(of rows: [(id: Int64, score: Double)]) -> [(id: Int64, score: Double, rank: Int)] {
        var placed = rows.compactMap { r in
            report(of: r.id).map { (id: r.id, score: r.score, report: $0, place: yearOrder[$0]) }
        }
        placed.sort { a, b in
            if a.score != b.score { return a.score < b.score }
            return a.place != b.place ? a.place < b.place : a.id < b.id
        }
        var seen = [Bool](repeating: false, count: yearOrder.count)
        var result: [(id: Int64, score: Double, rank: Int)] = []
        for (n, row) in placed.enumerated() where !seen[row.report] {
            seen[row.report] = true
            result.append((row.id, row.score, n + 1))
        }
        return result
    }
}
