import Foundation
import GRDB

/// Browsing the index rather than searching it: the reports it holds, a
/// report's outline, one section, and figures about the whole.
public struct Catalog: Sendable {
    public let index: IndexDatabase

    public init(index: IndexDatabase) {
        self.index = index
    }

    public struct ReportEntry: Sendable, Equatable {
        public var path: String
        public var metadata: ReportMetadata
        public var sections: Int
        public var characters: Int
        public var encoding: String
    }

    public struct OutlineEntry: Sendable, Equatable {
        /// 1-based position of the section in the report (`--section N`).
        public var number: Int
        public var path: [String]
        public var line: Int
    }

    public struct Stats: Sendable {
        public var reports: Int
        public var sections: Int
        public var characters: Int
        public var skipped: Int
        public var indexBytes: Int
        public var updated: String?
        public var corpus: String?
    }

    /// Reports matching the filters, by year (newest first) then path.
    public func reports(_ filters: Filters = Filters()) throws -> [ReportEntry] {
        let (conditions, arguments) = filters.sqlConditions()
        let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try index.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.*, (SELECT count(*) FROM section s WHERE s.report_id = r.id) AS sections,
                       (SELECT coalesce(sum(s.length), 0) FROM section s WHERE s.report_id = r.id) AS characters
                FROM report r \(whereSQL) ORDER BY r.year IS NULL, r.year DESC, r.path
                """, arguments: StatementArguments(arguments)).map(Self.entry)
        }
    }

    static func entry(_ row: Row) -> ReportEntry {
        ReportEntry(
            path: row["path"],
            metadata: ReportMetadata(title: row["title"], year: row["year"], date: row["date"], kind: row["kind"],
                                     author: row["author"], unit: row["unit"]),
            sections: row["sections"], characters: row["characters"], encoding: row["encoding"])
    }

    /// The report a user names: its path relative to the corpus, or a unique
    /// ending of it (`述职报告.txt`).
    public func report(named name: String) throws -> ReportEntry {
        let all = try reports()
        if let exact = all.first(where: { $0.path == name }) { return exact }
        let matches = all.filter { $0.path.hasSuffix("/" + name) || $0.path.hasSuffix(name) }
        guard matches.count == 1 else {
            throw RSearchError.io(path: name, reason: matches.isEmpty
                ? "no such report in the index (see `rsearch list`)"
                : "\(matches.count) reports end with this name; give more of the path")
        }
        return matches[0]
    }

    public func outline(of report: ReportEntry) throws -> [OutlineEntry] {
        try index.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.ord, s.path, s.line FROM section s JOIN report r ON r.id = s.report_id
                WHERE r.path = ? ORDER BY s.ord
                """, arguments: [report.path]).map {
                OutlineEntry(number: ($0["ord"] as Int) + 1, path: SectionPath.decode($0["path"]), line: $0["line"])
            }
        }
    }

    /// One section in full: by its number in the outline, or the section
    /// that holds a line of the file.
    public func section(of report: ReportEntry, number: Int? = nil, line: Int? = nil) throws -> SectionInfo {
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
            throw RSearchError.io(path: report.path, reason: number.map { "has no section \($0)" } ?? "has no such line")
        }
        return SectionInfo(path: SectionPath.decode(row["path"]), heading: row["heading"], line: row["line"], text: row["text"])
    }

    public func stats() throws -> Stats {
        try index.queue.read { db in
            Stats(
                reports: try Int.fetchOne(db, sql: "SELECT count(*) FROM report") ?? 0,
                sections: try Int.fetchOne(db, sql: "SELECT count(*) FROM section") ?? 0,
                characters: try Int.fetchOne(db, sql: "SELECT coalesce(sum(length), 0) FROM section") ?? 0,
                skipped: try Int.fetchOne(db, sql: "SELECT count(*) FROM skipped_file") ?? 0,
                indexBytes: (try? FileManager.default.attributesOfItem(atPath: index.path.path)[.size] as? Int) ?? 0,
                updated: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'updated'"),
                corpus: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'corpus'"))
        }
    }
}
