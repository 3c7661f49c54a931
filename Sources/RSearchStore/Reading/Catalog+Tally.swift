import GRDB
import GRDBSQLite
import RSearchDocuments

extension Catalog {
    /// The reports holding `sections` (section ids, as a search's hits carry
    /// them), each with how many of them it holds, in no particular order.
    /// A point lookup per section (about 1 µs) and a row per report: the
    /// sections of `的` on the 150 MB corpus (205,709) in about 0.2 s.
    public func tally(sections: [Int64]) throws -> [(report: ReportInfo, sections: Int)] {
        try index.queue.read { db in
            let lookup = try db.cachedStatement(sql: "SELECT report_id FROM section_store WHERE id = ?")
            let handle = lookup.sqliteStatement
            defer { sqlite3_reset(handle) }
            var counts: [Int64: Int] = [:]
            for id in sections where try PointLookup.step(handle, key: id, db) {
                counts[sqlite3_column_int64(handle, 0), default: 0] += 1
            }
            let report = try db.cachedStatement(sql: "SELECT * FROM report WHERE id = ?")
            return try counts.compactMap { id, count in
                guard let row = try Row.fetchOne(report, arguments: [id]) else { return nil }
                return (ReportInfo(path: row["path"], metadata: Self.metadata(row), ocr: (row["ocr"] as Int?) == 1), count)
            }
        }
    }
}
