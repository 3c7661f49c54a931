import Foundation
import GRDB
import GRDBSQLite

/// What a hit is made from: a section's line and stored blob, which
/// `makeHit` decodes one hit at a time (every hit's text decoded at once,
/// four bytes a character, was most of the memory of `rsearch 的 -c`), and
/// its report's path and metadata.
///
/// Read with one prepared statement stepped per id through SQLite's C
/// interface rather than as GRDB rows: `Row.fetchAll` copies every row with
/// its column names, which was a third of `rsearch 党 -c` (1,903 hits, perf).
struct SectionDetails {
    var id: Int64
    var line: Int
    var body: Data
    var path: String
    var title: String
    var year: Int?
    var date: String?
    var kind: String?
    var author: String?
    var unit: String?
    var enacted: String?
    var digest: Int64
    var page: Int?
    /// Its report's text was partly recognised (`report.ocr` = 1).
    var ocr = false

    /// The details of each of `ids` that is a live section, keyed by id;
    /// when `bare`, nothing is read: each is only its id (for bare hits,
    /// `SearchOptions.textDeferred`; the ids come from the index's own
    /// ranking, so each is live).
    static func fetch(_ db: Database, ids: [Int64], bare: Bool = false) throws -> [Int64: SectionDetails] {
        guard !bare else {
            return Dictionary(uniqueKeysWithValues: ids.map {
                ($0, SectionDetails(id: $0, line: 0, body: Data(), path: "", title: "", year: nil, date: nil, kind: nil,
                                    author: nil, unit: nil, enacted: nil, digest: 0, page: nil))
            })
        }
        guard !ids.isEmpty else { return [:] }
        let statement = try db.cachedStatement(sql: """
            SELECT s.line, s.body, r.path, r.title, r.year, r.date, r.kind, r.author, r.unit, s.digest, r.enacted,
                   s.page, r.ocr
            FROM section_store s JOIN report r ON r.id = s.report_id WHERE s.id = ?
            """)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        func text(_ column: Int32) -> String? {
            guard sqlite3_column_type(handle, column) != SQLITE_NULL, let bytes = sqlite3_column_text(handle, column) else {
                return nil
            }
            return String(cString: bytes)
        }
        var result: [Int64: SectionDetails] = [:]
        result.reserveCapacity(ids.count)
        for id in ids {
            guard try PointLookup.step(handle, key: id, db) else { continue }
            let count = Int(sqlite3_column_bytes(handle, 1))
            let body = count == 0 ? Data() : Data(bytes: sqlite3_column_blob(handle, 1), count: count)
            result[id] = SectionDetails(
                id: id, line: Int(sqlite3_column_int64(handle, 0)), body: body, path: text(2) ?? "", title: text(3) ?? "",
                year: sqlite3_column_type(handle, 4) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, 4)),
                date: text(5), kind: text(6), author: text(7), unit: text(8), enacted: text(10),
                digest: sqlite3_column_int64(handle, 9),
                page: sqlite3_column_type(handle, 11) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, 11)),
                ocr: sqlite3_column_int64(handle, 12) == 1)
        }
        return result
    }

    /// The text of the first section under section `id` (whose heading path
    /// is `path`, its scalars) that has a body of its own: what a hit on a
    /// bare heading shows below it. nil when the next section with a body
    /// is not under it, or none follows within a few.
    static func passageBelow(_ db: Database, id: Int64, path: [UInt32]) throws -> [UInt32]? {
        let separator = UInt32(("\n" as Unicode.Scalar).value)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT body FROM section_store
            WHERE report_id = (SELECT report_id FROM section_store WHERE id = ?1)
              AND ord > (SELECT ord FROM section_store WHERE id = ?1)
            ORDER BY ord LIMIT 8
            """, arguments: [id])
        while let row = try rows.next() {
            let body: Data = row[0]
            guard let section = body.withUnsafeBytes({ StoredSection.decode($0, text: true) }) else { throw StoredSection.damaged }
            let under = section.path.count > path.count + 1 && section.path.starts(with: path)
                && section.path[path.count] == separator
            guard under || path.isEmpty else { return nil }
            if hasBody(heading: section.heading, text: section.text) { return section.text }
        }
        return nil
    }

    /// Whether a section's text holds more than its heading, whitespace aside.
    static func hasBody(heading: [UInt32], text: [UInt32]) -> Bool {
        let body = text.starts(with: heading) ? text.dropFirst(heading.count) : text[...]
        return body.contains { !SectionDigest.isWhitespace($0) }
    }
}
