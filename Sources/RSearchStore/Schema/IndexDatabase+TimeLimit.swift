import Foundation
import GRDB
import GRDBSQLite

extension IndexDatabase {
    /// Runs `body`, which reads this index, with SQLite's progress handler
    /// watching the clock: once `seconds` have passed, the statement running
    /// stops with SQLITE_INTERRUPT and `body` ends in `IndexError.timeLimit`.
    /// Every stage of a search steps SQLite statements (the FTS5 queries,
    /// the ranking passes' segment reads, each candidate's text), so the
    /// bound holds to within one statement's step.
    public func withTimeLimit<T>(_ seconds: Double, _ body: () throws -> T) throws -> T {
        // [0]: the deadline (uptime nanoseconds); [1]: 1 once the handler stopped a statement.
        let watch = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        watch.initialize(repeating: 0, count: 2)
        watch[0] = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        defer { watch.deallocate() }
        try queue.inDatabase { db in
            sqlite3_progress_handler(db.sqliteConnection, 256, { context in
                let watch = context!.assumingMemoryBound(to: UInt64.self)
                guard DispatchTime.now().uptimeNanoseconds > watch[0] else { return 0 }
                watch[1] = 1
                return 1
            }, watch)
        }
        defer { try? queue.inDatabase { db in sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil) } }
        do {
            return try body()
        } catch where watch[1] == 1 {
            // However the reader reported the interrupted statement.
            throw IndexError.timeLimit(seconds: seconds)
        }
    }
}
