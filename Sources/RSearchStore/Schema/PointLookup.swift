import GRDB
import GRDBSQLite

/// One step of a prepared statement that takes one integer (a rowid or a
/// key) and returns at most one row, through SQLite's C interface: what the
/// search's per-match loops use instead of GRDB's row fetches, which copy
/// every row (`SectionDetails`, `CharacterRanking`).
enum PointLookup {
    /// Whether `handle`, reset and bound to `key`, returned a row (read its
    /// columns before the next step); SQLite's error as a `DatabaseError`.
    static func step(_ handle: OpaquePointer, key: Int64, _ db: Database) throws -> Bool {
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, key)
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE { return false }
        guard rc == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return true
    }
}
