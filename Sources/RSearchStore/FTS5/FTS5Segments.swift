import Foundation
import GRDB

/// FTS5's records about a table's index, as stored in its `%_data` table.
///
/// The formats are those of SQLite's `fts5_index.c` (3.40; the comments at
/// its top): `%_data` rowid 1 is the *averages record* (the row count, then
/// each column's token total, from which bm25 takes its averages), rowid 10
/// the *structure record* (the segments of the index, level by level), and a
/// segment's pages have rowids `segid << 37 | …` (`FTS5SegmentWriter`).
enum FTS5Segments {
    /// The most segments an index may have (`FTS5_MAX_SEGMENT`).
    static let maximumSegments = 2000

    /// A table's averages record: its row count, then each column's token
    /// total; empty for a table never written.
    static func averages(_ db: Database, table: String) throws -> [UInt64] {
        try SQLiteVarint.decodeAll(try record(db, "main", table, id: 1))
    }

    static func record(_ db: Database, _ schema: String, _ table: String, id: Int) throws -> [UInt8] {
        guard let blob = try Data.fetchOne(db, sql: "SELECT block FROM \(schema).\(table)_data WHERE id = ?",
                                           arguments: [id]) else {
            throw FTS5SegmentsError(message: "\(schema).\(table) has no record \(id)")
        }
        return [UInt8](blob)
    }

    /// A structure record: the configuration cookie, a write counter, and
    /// for each level its segments, oldest first.
    struct Structure: Equatable {
        struct Segment: Equatable {
            var id: Int
            var firstPage: Int
            var lastPage: Int
        }

        var cookie: [UInt8]
        var writeCounter: UInt64
        var levels: [[Segment]]
        /// Per level, how many of its oldest segments an incremental merge
        /// (FTS5's automerge or `merge` command) is part way through
        /// merging into the newest segment of the level above; 0 for none.
        var merging: [Int]

        init(cookie: [UInt8], writeCounter: UInt64, levels: [[Segment]]) {
            self.cookie = cookie
            self.writeCounter = writeCounter
            self.levels = levels
            merging = levels.map { _ in 0 }
        }

        init(_ bytes: [UInt8]) throws {
            guard bytes.count >= 4 else { throw FTS5SegmentsError(message: "structure record too short") }
            var reader = SQLiteVarint.Reader(bytes: bytes, offset: 4)
            cookie = Array(bytes[0..<4])
            let levelCount = try reader.next()
            let segmentCount = try reader.next()
            writeCounter = try reader.next()
            levels = []
            merging = []
            for _ in 0..<levelCount {
                merging.append(Int(try reader.next()))
                var level: [Segment] = []
                for _ in 0..<(try reader.next()) {
                    level.append(Segment(id: Int(try reader.next()), firstPage: Int(try reader.next()),
                                         lastPage: Int(try reader.next())))
                }
                levels.append(level)
            }
            guard reader.atEnd, levels.joined().count == segmentCount else {
                throw FTS5SegmentsError(message: "structure record is not in the format this build reads")
            }
        }

        var encoded: [UInt8] {
            var values: [UInt64] = [UInt64(levels.count), UInt64(levels.joined().count), writeCounter]
            for (level, merging) in zip(levels, merging) {
                values += [UInt64(merging), UInt64(level.count)]
                for s in level { values += [UInt64(s.id), UInt64(s.firstPage), UInt64(s.lastPage)] }
            }
            return cookie + SQLiteVarint.encode(values)
        }
    }
}

struct FTS5SegmentsError: Error, CustomStringConvertible {
    var message: String
    var description: String { "FTS5 index records: \(message)" }
}
