import Foundation
import GRDB
import RSearchDocuments
import RSearchQuery

/// Browsing the index rather than searching it: the reports it holds, a
/// report's outline, one section, and figures about the whole.
public struct Catalog: Sendable {
    public let index: IndexDatabase

    public init(index: IndexDatabase) {
        self.index = index
    }

    /// The index's own figures.
    public struct Totals: Sendable, Equatable {
        public var reports: Int
        public var sections: Int
        public var characters: Int
        public var skipped: Int
        public var indexBytes: Int
        /// When the index was last written (ISO 8601).
        public var updated: String?
        /// The corpus folder it was built from.
        public var corpus: String?
    }

    /// Reports matching the filters, by year (newest first) then path.
    public func reports(_ filters: Filters = Filters()) throws -> [ReportSummary] {
        let (conditions, arguments) = filters.sqlConditions()
        let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try index.queue.read { db in
            try Row.fetchAll(db, sql: """
                \(Self.summaryColumns) FROM report r \(whereSQL) ORDER BY r.year IS NULL, r.year DESC, r.path
                """, arguments: StatementArguments(arguments)).map(Self.entry)
        }
    }

    /// A report row with its section count and length, as `entry` reads them.
    static let summaryColumns = """
        SELECT r.*, (SELECT count(*) FROM section s WHERE s.report_id = r.id) AS sections,
               (SELECT coalesce(sum(s.length), 0) FROM section s WHERE s.report_id = r.id) AS characters
        """

    static func entry(_ row: Row) -> ReportSummary {
        ReportSummary(path: row["path"], metadata: metadata(row), sections: row["sections"], characters: row["characters"],
                      encoding: row["encoding"], ocr: (row["ocr"] as Int?).map { $0 == 1 })
    }

    /// The metadata columns of a `report` row.
    static func metadata(_ row: Row) -> ReportMetadata {
        ReportMetadata(title: row["title"], year: row["year"], date: row["date"], kind: row["kind"],
                       author: row["author"], unit: row["unit"], enacted: row["enacted"])
    }

    /// A `section` row (its `path` column named `pathColumn`).
    static func section(_ row: Row, pathColumn: String = "path") -> SectionInfo {
        SectionInfo(path: SectionPath.decode(row[pathColumn]), heading: row["heading"], line: row["line"], text: row["text"],
                    page: row["page"])
    }

    /// The report a user names: its path relative to the corpus, or a unique
    /// ending of it (`述职报告.txt`).
    public func report(named name: String) throws -> ReportSummary {
        // A path is one row by the path index; only an ending reads them all
        // (a server's preview of a report at 150 MB: 160 ms, most of it here).
        let exact = try index.queue.read { db in
            try Row.fetchOne(db, sql: "\(Self.summaryColumns) FROM report r WHERE r.path = ?", arguments: [name])
        }
        if let exact { return Self.entry(exact) }
        let all = try reports()
        let matches = all.filter { $0.path.hasSuffix("/" + name) || $0.path.hasSuffix(name) }
        guard matches.count == 1 else {
            throw matches.isEmpty ? IndexError.noSuchReport(name: name)
                : IndexError.ambiguousReport(name: name, matches: matches.count)
        }
        return matches[0]
    }

    public func outline(of report: ReportSummary) throws -> [OutlineEntry] {
        try index.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.ord, s.path, s.line, s.page FROM section s JOIN report r ON r.id = s.report_id
                WHERE r.path = ? ORDER BY s.ord
                """, arguments: [report.path]).map {
                OutlineEntry(number: ($0["ord"] as Int) + 1, path: SectionPath.decode($0["path"]), line: $0["line"],
                             page: $0["page"])
            }
        }
    }

    /// One section in full: by its number in the outline, or the section
    /// that holds a line of the file.
    public func section(of report: ReportSummary, number: Int? = nil, line: Int? = nil) throws -> SectionInfo {
        let row: Row? = try index.queue.read { db in
            if let number {
                return try Row.fetchOne(db, sql: """
                    SELECT s.* FROM section s JOIN report r ON r.id = s.report_id WHERE r.path = ? AND s.ord = ?
                    """, arguments: [report.path, number - 1])
            }
            return try Row.fetchOne(db, sql: """
                SELECT s.* FROM section s JOIN report r ON r.id = s.report_id
                WHERE r.path = ? AND s.line <= ? ORDER BY s.line DESC, s.ord DESC LIMIT 1
                """, arguments: [report.path, line ?? 1])
        }
        guard let row else {
            throw number.map { IndexError.noSuchSection(report: report.path, number: $0) }
                ?? IndexError.noSuchLine(report: report.path, line: line ?? 1)
        }
        return Self.section(row)
    }

    /// Every section of a report in full, in order.
    public func sections(of report: ReportSummary) throws -> [SectionInfo] {
        try index.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.* FROM section s JOIN report r ON r.id = s.report_id WHERE r.path = ? ORDER BY s.ord
                """, arguments: [report.path]).map { Self.section($0) }
        }
    }

    public func totals() throws -> Totals {
        try index.queue.read { db in
            Totals(
                reports: try Int.fetchOne(db, sql: "SELECT count(*) FROM report") ?? 0,
                sections: try Int.fetchOne(db, sql: "SELECT count(*) FROM section") ?? 0,
                characters: try Int.fetchOne(db, sql: "SELECT coalesce(sum(length), 0) FROM section") ?? 0,
                skipped: try Int.fetchOne(db, sql: "SELECT count(*) FROM skipped_file") ?? 0,
                indexBytes: (try? FileManager.default.attributesOfItem(atPath: index.path.path)[.size] as? Int) ?? 0,
                updated: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'updated'"),
                corpus: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'corpus'"))
        }
    }

    /// Every section of every report, in report path and position order,
    /// streamed (any size): the report, the section, and its 1-based
    /// position in the report.
    public func forEachSection(_ body: (ReportInfo, SectionInfo, Int) throws -> Void) throws {
        try index.queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT r.path AS rpath, r.title, r.year, r.date, r.kind, r.author, r.unit, r.enacted, r.ocr,
                       s.ord, s.path AS spath, s.heading, s.line, s.page, s.text
                FROM section s JOIN report r ON r.id = s.report_id ORDER BY r.path, s.ord
                """)
            while let row = try rows.next() {
                let report = ReportInfo(path: row["rpath"], metadata: Self.metadata(row), ocr: (row["ocr"] as Int?) == 1)
                try body(report, Self.section(row, pathColumn: "spath"), (row["ord"] as Int) + 1)
            }
        }
    }
}
