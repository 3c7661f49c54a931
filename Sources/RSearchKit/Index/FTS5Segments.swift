import Foundation
import GRDB

/// Appending the segments of one FTS5 table to another's, so that two
/// writers can each build half of an index and the halves become one table.
///
/// FTS5 keeps an index as segments, each a b-tree of term lists stored as
/// rows of `%_data` (and its top level in `%_idx`), listed by the
/// *structure record*; the *averages record* holds the row count and each
/// column's token total, from which bm25 takes its averages. Nothing in a
/// segment refers to another segment or to the table's other rows, so a
/// segment built elsewhere joins a table when its rows are copied under a
/// segment id the table does not use and the structure record lists it.
/// The two tables must have been created with the same definition and
/// tokenizer, and must hold disjoint rowids (each section is indexed by
/// exactly one of them): FTS5 merges segments by rowid, and a rowid in two
/// segments would be read as an older version and a newer one.
///
/// The formats are those of SQLite's `fts5_index.c` (3.40; the comments at
/// its top): `%_data` rowid 1 is the averages record, rowid 10 the structure
/// record, and a segment's pages have rowids `segid << 37 | …`. Only
/// structure records without a merge in progress are accepted; a table
/// loaded with `automerge=0` has none (crisis merges run to completion).
///
/// FTS5 caches a table's structure record per connection and re-reads it
/// only when another connection changed the file (`PRAGMA data_version`),
/// so the copy must be made by a connection that has not used the FTS5
/// table, and the table used only afterwards.
enum FTS5Segments {
    /// The bits of a `%_data` rowid below the segment id.
    static let segmentShift: Int64 = 37
    /// FTS5's limits on segment ids and on segments in a structure.
    static let maxSegmentID = 65_535
    static let maxSegments = 2_000

    /// Appends the segments, row sizes and totals of `table` in the
    /// database file `source` to `table` in `db`'s main database, in one
    /// transaction.
    static func append(table: String, from source: URL, into db: Database) throws {
        try db.execute(sql: "ATTACH DATABASE ? AS segments_source", arguments: [source.path])
        defer { try? db.execute(sql: "DETACH DATABASE segments_source") }
        try db.inTransaction {
            try append(table: table, from: "segments_source", in: db)
            return .commit
        }
    }

    private static func append(table: String, from source: String, in db: Database) throws {
        let target = try Structure(try record(db, "main", table, id: 10))
        let added = try Structure(try record(db, source, table, id: 10))
        let offset = target.levels.joined().map(\.id).max() ?? 0
        let merged = try target.appending(added, offsettingIDsBy: offset)

        try db.execute(sql: """
            INSERT INTO main.\(table)_data (id, block)
            SELECT id + (? << \(segmentShift)), block FROM \(source).\(table)_data WHERE id >= (1 << \(segmentShift))
            """, arguments: [offset])
        try db.execute(sql: """
            INSERT INTO main.\(table)_idx (segid, term, pgno)
            SELECT segid + ?, term, pgno FROM \(source).\(table)_idx
            """, arguments: [offset])
        try db.execute(sql: "INSERT INTO main.\(table)_docsize (id, sz) SELECT id, sz FROM \(source).\(table)_docsize")

        // A table that was never written has an empty averages record.
        let own = try averages(db, table: table)
        let other = try Varint.decodeAll(try record(db, source, table, id: 1))
        let totals = (0..<max(own.count, other.count)).map {
            (own.indices.contains($0) ? own[$0] : 0) + (other.indices.contains($0) ? other[$0] : 0)
        }
        try db.execute(sql: "UPDATE main.\(table)_data SET block = ? WHERE id = 1",
                       arguments: [Data(Varint.encode(totals))])
        try db.execute(sql: "UPDATE main.\(table)_data SET block = ? WHERE id = 10", arguments: [Data(merged.encoded)])
    }

    /// A table's averages record: its row count, then each column's token
    /// total; empty for a table never written.
    static func averages(_ db: Database, table: String) throws -> [UInt64] {
        try Varint.decodeAll(try record(db, "main", table, id: 1))
    }

    private static func record(_ db: Database, _ schema: String, _ table: String, id: Int) throws -> [UInt8] {
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

        init(cookie: [UInt8], writeCounter: UInt64, levels: [[Segment]]) {
            self.cookie = cookie
            self.writeCounter = writeCounter
            self.levels = levels
        }

        init(_ bytes: [UInt8]) throws {
            guard bytes.count >= 4 else { throw FTS5SegmentsError(message: "structure record too short") }
            var reader = Varint.Reader(bytes: bytes, offset: 4)
            cookie = Array(bytes[0..<4])
            let levelCount = try reader.next()
            let segmentCount = try reader.next()
            writeCounter = try reader.next()
            levels = []
            for _ in 0..<levelCount {
                let merging = try reader.next()
                guard merging == 0 else { throw FTS5SegmentsError(message: "a merge is in progress") }
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
            for level in levels {
                values += [0, UInt64(level.count)]
                for s in level { values += [UInt64(s.id), UInt64(s.firstPage), UInt64(s.lastPage)] }
            }
            return cookie + Varint.encode(values)
        }

        /// This structure with `other`'s segments, renumbered, after its own
        /// on each level.
        func appending(_ other: Structure, offsettingIDsBy offset: Int) throws -> Structure {
            var levels = self.levels
            for (n, level) in other.levels.enumerated() {
                if n == levels.count { levels.append([]) }
                levels[n] += level.map { Segment(id: $0.id + offset, firstPage: $0.firstPage, lastPage: $0.lastPage) }
            }
            let all = levels.joined()
            guard all.count <= maxSegments, all.allSatisfy({ $0.id <= maxSegmentID }) else {
                throw FTS5SegmentsError(message: "too many segments to join (\(all.count))")
            }
            return Structure(cookie: cookie, writeCounter: writeCounter + other.writeCounter, levels: levels)
        }
    }
}

struct FTS5SegmentsError: Error, CustomStringConvertible {
    var message: String
    var description: String { "joining FTS5 segments: \(message)" }
}

/// SQLite's variable-length integers, as FTS5 writes them: big-endian groups
/// of seven bits, the high bit set on every byte but the last, and a ninth
/// byte, when there is one, carrying eight bits.
enum Varint {
    struct Reader {
        var bytes: [UInt8]
        var offset: Int

        var atEnd: Bool { offset == bytes.count }

        mutating func next() throws -> UInt64 {
            var value: UInt64 = 0
            for n in 0..<9 {
                guard offset < bytes.count else { throw FTS5SegmentsError(message: "record ends inside a number") }
                let byte = bytes[offset]
                offset += 1
                if n == 8 { return value << 8 | UInt64(byte) }
                value = value << 7 | UInt64(byte & 0x7f)
                if byte < 0x80 { return value }
            }
            fatalError("unreachable")
        }
    }

    static func decodeAll(_ bytes: [UInt8]) throws -> [UInt64] {
        var reader = Reader(bytes: bytes, offset: 0)
        var values: [UInt64] = []
        while !reader.atEnd { values.append(try reader.next()) }
        return values
    }

    static func encode(_ values: [UInt64]) -> [UInt8] {
        var out: [UInt8] = []
        for value in values { append(value, to: &out) }
        return out
    }

    static func append(_ value: UInt64, to out: inout [UInt8]) {
        if value >> 56 != 0 {
            // Nine bytes: eight groups of seven bits, then the low eight.
            var groups: [UInt8] = []
            var rest = value >> 8
            for _ in 0..<8 {
                groups.append(UInt8(rest & 0x7f) | 0x80)
                rest >>= 7
            }
            out += groups.reversed()
            out.append(UInt8(value & 0xff))
            return
        }
        var groups: [UInt8] = [UInt8(value & 0x7f)]
        var rest = value >> 7
        while rest != 0 {
            groups.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        out += groups.reversed()
    }
}
