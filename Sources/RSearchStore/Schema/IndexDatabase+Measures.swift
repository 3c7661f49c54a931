import Foundation
import GRDB

/// What a benchmark measures of an index, and the copy of its sections that
/// a baseline indexes, so that no caller reads the schema itself.
extension IndexDatabase {
    /// Bytes of the corpus files the index accounts for, read or skipped.
    public func sourceBytes() throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT coalesce(sum(size), 0) FROM report) + (SELECT coalesce(sum(size), 0) FROM skipped_file)
                """) ?? 0
        }
    }

    /// Every report's path, in path order.
    public func reportPaths() throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT path FROM report ORDER BY path") }
    }

    /// Bytes on disk of each table and index (SQLite's `dbstat`); the
    /// full-text index is every name that begins with `fullTextTablePrefix`.
    public func tableSizes() throws -> [String: Int] {
        try queue.read { db in
            var sizes: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, sum(pgsize) FROM dbstat GROUP BY name") {
                sizes[row[0]] = row[1]
            }
            return sizes
        }
    }

    public static let fullTextTablePrefix = "section_fts"

    /// Writes the sections into a new SQLite database at `path` as a plain
    /// table `section(id INTEGER PRIMARY KEY, heading TEXT, text TEXT)`,
    /// rowids kept: what another full-text index (a baseline) is built over.
    public func copySections(to path: URL) throws {
        try? FileManager.default.removeItem(at: path)
        var configuration = Configuration()
        configuration.prepareDatabase { db in Self.addExtensions(to: db) }
        let copy = try DatabaseQueue(path: path.path, configuration: configuration)
        try copy.inDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [self.path.path])
            try db.execute(sql: """
                CREATE TABLE section (id INTEGER PRIMARY KEY, heading TEXT, text TEXT);
                INSERT INTO section SELECT id, heading, text FROM src.section;
                DETACH DATABASE src;
                """)
        }
        try copy.close()
    }
}
