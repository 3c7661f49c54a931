import Foundation
import GRDB

/// Opening an index for reading.
///
/// A published index is never written in place (`IndexBuilder` replaces it
/// whole), so readers open it read-only in SQLite's default rollback-journal
/// mode: no `-wal` or `-shm` files exist that a rename could separate from
/// their database, and a reader never waits for a writer.
public struct IndexDatabase: Sendable {
    public let path: URL
    let queue: DatabaseQueue

    static func configuration(readonly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.label = "rsearch"
        config.prepareDatabase { db in
            db.add(tokenizer: FTS5BigramTokenizer.self)
        }
        return config
    }

    public static func exists(at path: URL) -> Bool {
        FileManager.default.fileExists(atPath: path.path)
    }

    /// Opens and checks the index: that it is an SQLite database, that it
    /// holds rsearch's tables, and that its format is this version's.
    public init(path: URL) throws {
        self.path = path
        guard Self.exists(at: path) else { throw RSearchError.indexMissing(path: path.path) }
        do {
            queue = try DatabaseQueue(path: path.path, configuration: Self.configuration(readonly: true))
        } catch {
            throw RSearchError.indexUnreadable(path: path.path, reason: Self.reason(error))
        }
        let format: String?
        do {
            format = try queue.read { db -> String? in
                guard try db.tableExists("meta") else { return nil }
                return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'")
            }
        } catch {
            throw RSearchError.indexUnreadable(path: path.path, reason: Self.reason(error))
        }
        guard let format else {
            throw RSearchError.indexUnreadable(path: path.path, reason: "not an rsearch index")
        }
        guard format == Schema.format else {
            throw RSearchError.indexIncompatible(path: path.path, found: format, expected: Schema.format)
        }
    }

    static func reason(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return String(describing: error)
    }

    /// The corpus folder the index was built from.
    public func corpusRoot() throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'corpus'") }
    }

    struct FileStamp: Equatable {
        var size: Int
        var mtime: Double
        var hash: String
    }

    /// Every file the index knows, indexed or skipped, with its stamp.
    func fileStamps() throws -> [String: FileStamp] {
        try queue.read { db in
            var result: [String: FileStamp] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT path, size, mtime, hash FROM report UNION ALL SELECT path, size, mtime, hash FROM skipped_file
                """)
            while let row = try rows.next() {
                result[row[0]] = FileStamp(size: row[1], mtime: row[2], hash: row[3])
            }
            return result
        }
    }

    public func reportCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM report") ?? 0 }
    }

    /// The corpus fingerprint recorded when the index was last written.
    public func fingerprint() throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fingerprint'") }
    }
}
