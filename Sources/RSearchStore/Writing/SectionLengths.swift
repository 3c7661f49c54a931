import Foundation
import GRDB
import GRDBSQLite
import RSearchDocuments

/// Every section's length in tokens (both FTS columns), packed by rowid, so
/// that ranking a term found in thousands of sections need not look up each
/// one's size in FTS5's `%_docsize` table: that lookup, a B-tree search per
/// match, was 70–90% of the time `OnePassRanking` spent on `经济`, `安全` or
/// `的` (150 MB corpus: `安全` 35 → 3.5 ms without it).
///
/// `section_length` holds one row per block of `blockSize` rowids: a blob of
/// little-endian `UInt16`, 0 where no section has that rowid; else the
/// section's length in its low 15 bits, `unknown` for a section longer than
/// that (rare: a section of over 32,766 tokens), and in the top bit whether
/// the section is only a heading (`HeadingPrior`), which such a long one
/// never is.
/// The figures are copied from `%_docsize`, which is what `bm25()` reads, so
/// the two cannot disagree. A reader treats 0, `unknown`, or a block it has
/// not loaded as "ask FTS5". Two bytes rather than four because a search
/// process reads every block a common term touches, into fresh memory: at
/// 1 GB (29 blocks) the copying and page faults were 17% of `rsearch 党`.
///
/// Invariant: every block holding the rowid of a live section is current,
/// and a removed section's entry is 0. Rowids come from SQLite (largest ever
/// + 1), so the sections a write adds all have rowids at or above the first
/// one it added: `record(from:)` rewrites the blocks from there on, and
/// `clear(_:ids:)` zeroes the entries of the sections removed below that. A
/// zero tells `CharacterRanking` that a posting's section is gone; FTS5
/// never returns a removed section's rowid.
enum SectionLengths {
    static let blockShift = 16
    static let blockSize = 1 << blockShift

    static func block(of rowid: Int64) -> Int64 { rowid >> Int64(blockShift) }

    /// A length too large for the entry: FTS5 is asked.
    static let unknown: UInt16 = 0x7FFF
    /// Set in the entry of a section that is only a heading.
    static let headingOnly: UInt16 = 0x8000

    /// The entry of a section with these token counts per FTS column.
    static func entry(columns: [UInt64]) -> UInt16 {
        let total = columns.reduce(0, &+)
        let length = total >= UInt64(unknown) ? unknown : UInt16(total)
        return HeadingPrior.isHeadingOnly(columns: columns) ? length | headingOnly : length
    }

    /// An entry's length, or nil where FTS5 must be asked (`unknown`, or 0: no live section).
    @inline(__always)
    static func length(ofEntry entry: UInt16) -> UInt16? {
        let length = entry & unknown
        return length == unknown || entry == 0 ? nil : length
    }

    /// An entry's `HeadingPrior` multiplier.
    @inline(__always)
    static func prior(ofEntry entry: UInt16) -> Double {
        entry & headingOnly != 0 ? HeadingPrior.factor : 1.0
    }

    /// Rewrites every block from the one holding `first` onwards from `%_docsize`.
    static func record(_ db: Database, from first: Int64) throws {
        let firstBlock = block(of: max(first, 0))
        let rows = try Row.fetchCursor(db, sql: "SELECT id, sz FROM section_fts_docsize WHERE id >= ? ORDER BY id",
                                       arguments: [firstBlock << Int64(blockShift)])
        let write = try db.makeStatement(sql: "INSERT OR REPLACE INTO section_length (block, lengths) VALUES (?, ?)")
        var current: Int64 = -1
        var lengths = [UInt16](repeating: 0, count: blockSize)
        var used = 0
        func flush() throws {
            guard current >= 0 else { return }
            let bytes = lengths[..<used].map(\.littleEndian).withUnsafeBytes { Data($0) }
            try write.execute(arguments: [current, bytes])
        }
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if block(of: id) != current {
                try flush()
                current = block(of: id)
                lengths = [UInt16](repeating: 0, count: blockSize)
                used = 0
            }
            let slot = Int(id & Int64(blockSize - 1))
            lengths[slot] = entry(columns: (row[1] as Data).withUnsafeBytes { columnSizes($0) })
            used = slot + 1
        }
        try flush()
    }

    /// Zeroes the entries of removed sections.
    static func clear(_ db: Database, ids: [Int64]) throws {
        let read = try db.makeStatement(sql: "SELECT lengths FROM section_length WHERE block = ?")
        let write = try db.makeStatement(sql: "UPDATE section_length SET lengths = ? WHERE block = ?")
        for (b, removed) in Dictionary(grouping: ids, by: block(of:)) {
            guard var bytes = try Data.fetchOne(read, arguments: [b]) else { continue }
            for id in removed {
                let offset = Int(id & Int64(blockSize - 1)) * 2
                if offset + 1 < bytes.count { bytes.replaceSubrange(offset..<(offset + 2), with: [0, 0]) }
            }
            try write.execute(arguments: [bytes, b])
        }
    }

    /// The sum of the varints (SQLite's encoding) of a `%_docsize` record:
    /// one token count per column.
    static func total(ofSizes bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(clamping: columnSizes(bytes).reduce(0, &+))
    }

    /// The varints of a `%_docsize` record, one token count per column.
    static func columnSizes(_ bytes: UnsafeRawBufferPointer) -> [UInt64] {
        var columns: [UInt64] = []
        var i = 0
        while i < bytes.count {
            var value: UInt64 = 0
            var n = 0
            while i < bytes.count {
                let byte = bytes[i]
                i += 1
                n += 1
                if n == 9 {
                    value = value << 8 | UInt64(byte)
                    break
                }
                value = value << 7 | UInt64(byte & 0x7F)
                if byte < 0x80 { break }
            }
            columns.append(value)
        }
        return columns
    }
}

/// The blocks of `SectionLengths` one query has loaded, for the ranking
/// function to read by rowid. A block is loaded once enough of the query's
/// matches fall in it to repay reading it.
final class LoadedSectionLengths {
    /// Blocks by number; nil until loaded.
    private var blocks: [UnsafeMutableBufferPointer<UInt16>?] = []
    private var misses: [Int64: Int] = [:]
    private let fetch: Statement

    /// Matches answered by FTS5's own lookup in a block before the block is
    /// read: a lookup costs about 1.5 µs, reading a 128 KB block about 0.1 ms.
    static let missesBeforeLoading = 64

    init(_ db: Database) throws {
        fetch = try db.cachedStatement(sql: "SELECT lengths FROM section_length WHERE block = ?")
    }

    deinit {
        for block in blocks { block?.deallocate() }
    }

    /// The length of `rowid`'s section and its `HeadingPrior` multiplier,
    /// or nil to ask FTS5.
    @inline(__always)
    func shape(of rowid: Int64) -> (length: Double, prior: Double)? {
        guard let value = entry(of: rowid), let length = SectionLengths.length(ofEntry: value) else { return nil }
        return (Double(length), SectionLengths.prior(ofEntry: value))
    }

    /// The entry of `rowid` (0: no live section), or nil if its block is not loaded.
    @inline(__always)
    func entry(of rowid: Int64) -> UInt16? {
        let b = Int(SectionLengths.block(of: rowid))
        guard b < blocks.count, let block = blocks[b] else { return nil }
        return UInt16(littleEndian: block[Int(rowid & Int64(SectionLengths.blockSize - 1))])
    }

    /// Called for each match FTS5 had to size: loads its block once it has
    /// been asked for often enough. A block that cannot be read stays
    /// unloaded: FTS5 keeps answering for it.
    func missed(_ rowid: Int64) {
        let b = SectionLengths.block(of: rowid)
        let count = misses[b, default: 0] + 1
        misses[b] = count
        guard count == Self.missesBeforeLoading else { return }
        let buffer = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: SectionLengths.blockSize)
        // Copied once, straight from SQLite's buffer.
        let handle = fetch.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, b)
        var copied = 0
        if sqlite3_step(handle) == SQLITE_ROW, let blob = sqlite3_column_blob(handle, 0) {
            copied = min(Int(sqlite3_column_bytes(handle, 0)), SectionLengths.blockSize * 2)
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: blob, count: copied))
        }
        sqlite3_reset(handle)
        // No row: nothing known of the block (0 would mean "no section").
        guard copied > 0 else {
            buffer.deallocate()
            return
        }
        let filled = copied / 2
        buffer[filled...].initialize(repeating: 0)
        if blocks.count <= Int(b) { blocks += Array(repeating: nil, count: Int(b) + 1 - blocks.count) }
        blocks[Int(b)] = buffer
    }
}
