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
        try Varint.decodeAll(try record(db, "main", table, id: 1))
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
            var reader = Varint.Reader(bytes: bytes, offset: 4)
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
            return cookie + Varint.encode(values)
        }
    }
}

struct FTS5SegmentsError: Error, CustomStringConvertible {
    var message: String
    var description: String { "FTS5 index records: \(message)" }
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
            let available = bytes.count - offset
            guard available > 0,
                  available >= 9 || bytes[offset...].contains(where: { $0 < 0x80 }) else {
                throw FTS5SegmentsError(message: "record ends inside a number")
            }
            return bytes.withUnsafeBufferPointer { Varint.read($0.baseAddress!, &offset) }
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
        var bytes: (UInt64, UInt64) = (0, 0)
        let length = withUnsafeMutableBytes(of: &bytes) { put(value, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        withUnsafeBytes(of: bytes) { out.append(contentsOf: $0.prefix(length)) }
    }

    /// Writes `value` at `p`; returns its length (at most 9).
    @inline(__always)
    static func put(_ value: UInt64, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0x80 {
            p[0] = UInt8(value)
            return 1
        }
        if value < 0x4000 {
            p[0] = UInt8(value >> 7) | 0x80
            p[1] = UInt8(value & 0x7f)
            return 2
        }
        if value >> 56 != 0 {
            // Nine bytes: eight groups of seven bits, then the low eight.
            for i in 0..<8 { p[i] = UInt8((value >> UInt64(57 - 7 * i)) & 0x7f) | 0x80 }
            p[8] = UInt8(value & 0xff)
            return 9
        }
        let length = (64 - value.leadingZeroBitCount + 6) / 7
        for i in 0..<length {
            p[i] = UInt8((value >> UInt64(7 * (length - 1 - i))) & 0x7f) | (i < length - 1 ? 0x80 : 0)
        }
        return length
    }

    /// Reads the varint at `offset`, which the caller knows is complete.
    @inline(__always)
    static func read(_ p: UnsafePointer<UInt8>, _ offset: inout Int) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 {
            let byte = p[offset]
            offset += 1
            value = value << 7 | UInt64(byte & 0x7f)
            if byte < 0x80 { return value }
        }
        let last = p[offset]
        offset += 1
        return value << 8 | UInt64(last)
    }

    /// The length of the varint at `p`.
    @inline(__always)
    static func length(at p: UnsafePointer<UInt8>) -> Int {
        for n in 0..<8 where p[n] < 0x80 { return n + 1 }
        return 9
    }
}
