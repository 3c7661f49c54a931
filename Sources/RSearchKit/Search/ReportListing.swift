import GRDB

/// The reports a query matches, each once, at the rank of its best section:
/// what `-l` prints.
///
/// Listing them from the hits meant a row, a join and a `Hit` for every
/// matching section, and the tie-breaking keys looked up for every shared
/// score: 7.8 s and 450 MB for `rsearch 的 -l` on the 150 MB corpus, for
/// 7,309 lines of output. Here each section is placed in its report by rowid
/// (a report's sections are one range of rowids, in their order, as the
/// writer inserts them), the ties are broken with the report's year and path
/// and the rowid, and only each report's best section is read.
struct ReportListing {
    /// Each report's rowid range, sorted, with its tie-breaking keys.
    private var first: [Int64] = []
    private var last: [Int64] = []
    private var year: [Int] = []
    private var path: [[UInt8]] = []

    /// Below this many matching sections, listing from the hits is cheaper
    /// than reading every report's range (a scan of the section index:
    /// about 15 ms at 150 MB, 100 ms at 1 GB).
    static let fromMatches = 1_000

    /// nil if some report's sections are not one range of rowids.
    init?(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT coalesce(r.year, -1), r.path, min(s.id), max(s.id), count(*)
            FROM report r JOIN section s ON s.report_id = r.id GROUP BY r.id ORDER BY 3
            """)
        while let row = try rows.next() {
            let low: Int64 = row[2], high: Int64 = row[3], count: Int64 = row[4]
            guard high - low + 1 == count else { return nil }
            year.append(row[0])
            path.append(Array((row[1] as String).utf8))
            first.append(low)
            last.append(high)
        }
    }

    private func report(of id: Int64) -> Int? {
        var low = 0, high = first.count
        while low < high {
            let mid = (low + high) / 2
            if last[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < first.count && first[low] <= id ? low : nil
    }

    /// The best section of each report among `rows`, in rank order (score,
    /// then newer year, path in byte order as SQLite sorts it, position),
    /// with its rank among all the rows.
    func best(of rows: [(id: Int64, score: Double)]) -> [(id: Int64, score: Double, rank: Int)] {
        var placed = rows.compactMap { r in report(of: r.id).map { (id: r.id, score: r.score, report: $0) } }
        placed.sort { a, b in
            if a.score != b.score { return a.score < b.score }
            if a.report != b.report {
                if year[a.report] != year[b.report] { return year[a.report] > year[b.report] }
                return path[a.report].lexicographicallyPrecedes(path[b.report])
            }
            return a.id < b.id
        }
        var seen = [Bool](repeating: false, count: first.count)
        var result: [(id: Int64, score: Double, rank: Int)] = []
        for (n, row) in placed.enumerated() where !seen[row.report] {
            seen[row.report] = true
            result.append((row.id, row.score, n + 1))
        }
        return result
    }
}
