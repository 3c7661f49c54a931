import Foundation
import GRDB

/// A second FTS5 writer for a full build: its own database file, its own
/// thread, its own share of the sections.
///
/// FTS5's index work (hashing every token, sorting and writing segments) is
/// most of a build, and one connection does it on one core. The builder
/// hands about half of the sections here; this thread indexes them into a
/// `section_fts` table of the same definition while the builder's own
/// connection indexes the rest, and when both are done their segments are
/// joined into the index's table (`FTS5Segments`) and merged by the one
/// `optimize` the build ends with anyway. Only the FTS5 table is built
/// here; the sections themselves, their postings and lengths are written by
/// the builder alone.
final class FTSShard: @unchecked Sendable {
    struct Row {
        var id: Int64
        var heading: String
        var text: String
    }

    let path: URL
    private let rows = Handoff<[Row]>(capacity: 64)
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?
    private var finished = false
    /// Sections indexed here; read after `finish()`.
    private(set) var indexed = 0

    /// Creates the shard's database at `path` (replacing any file there)
    /// and starts its thread.
    init(path: URL) throws {
        self.path = path
        try? FileManager.default.removeItem(at: path)
        let queue = try IndexBuilder.openForWriting(path)
        try queue.inDatabase { db in
            try Schema.createFTS(db)
            try Schema.beginBulkLoad(db)
        }
        let thread = Thread { [self, rows, done] in
            do {
                try queue.inDatabase { db in
                    try db.inTransaction {
                        let insert = try db.makeStatement(sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)")
                        while let batch = rows.next() {
                            for row in batch { try insert.execute(arguments: [row.id, row.heading, row.text]) }
                            self.indexed += batch.count
                        }
                        return .commit
                    }
                }
                try queue.close()
            } catch {
                failure = error
                while rows.next() != nil {}  // the builder must never block on a full handoff
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues one file's sections; they are indexed in the order given,
    /// which must be increasing rowids, as for any FTS5 bulk load.
    func add(_ batch: [Row]) {
        rows.put(batch)
    }

    /// Waits until every queued section is indexed and the shard is written;
    /// throws what stopped it.
    func finish() throws {
        guard !finished else { return }
        finished = true
        rows.close()
        done.wait()
        if let failure { throw failure }
    }

    /// Appends the shard's segments to the index's `section_fts`, through
    /// `db`, a connection that has not used that table yet (FTS5 would keep
    /// its old structure record).
    func join(into db: Database) throws {
        try FTS5Segments.append(table: "section_fts", from: path, into: db)
    }

    /// Stops the thread if it still runs and deletes the shard's file.
    func discard() {
        try? finish()
        try? FileManager.default.removeItem(at: path)
    }
}
