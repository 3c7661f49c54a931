import Foundation
import GRDB

/// Every section's length in tokens (both FTS columns), packed by rowid, so
/// that ranking a term found in thousands of sections need not look up each
/// one's size in FTS5's `%_docsize` table: that lookup, a B-tree search per
/// match, was 70–90% of the time `OnePassRanking` spent on `经济`, `安全` or
/// `的` (150 MB corpus: `安全` 35 → 3.5 ms without it).
///
/// `section_length` holds one row per block of `blockSize` rowids: a blob of
/// little-endian `UInt32`, 0 where no section has that rowid. The figures are
/// copied from `%_docsize`, which is what `bm25()` reads, so the two cannot
/// disagree. A reader treats 0, or a block it has not loaded, as "ask FTS5".
///
/// Invariant: every block holding the rowid of a live section is current.
/// Rowids come from SQLite (largest so far + 1), so the sections a write adds
/// all have rowids at or above the first one it added: `record(from:)`
/// rewrites the blocks from there on. Sections removed leave their stale
/// figures behind, harmless because FTS5 never returns their rowids, and
/// overwritten when a rowid is used again, which only an insert does.
enum SectionLengths {
    static let blockShift = 16
    static let blockSize = 1 << blockShift

    static func block(of rowid: Int64) -> Int64 { rowid >> Int64(blockShift) }

    /// Rewrites every block from the one holding `first` onwards from `%_docsize`.
    static func record(_ db: Database, from first: Int64) throws {
        let firstBlock = block(of: max(first, 0))
        let rows = try Row.fetchCursor(db, sql: "SELECT id, sz FROM section_fts_docsize WHERE id >= ? ORDER BY id",
                                       arguments: [firstBlock << Int64(blockShift)])
        let write = try db.makeStatement(sql: "INSERT OR REPLACE INTO section_length (block, lengths) VALUES (?, ?)")
        var current: Int64 = -1
        var lengths = [UInt32](repeating: 0, count: blockSize)
        var used = 0
        func flush() throws {
            guard current >= 0 else { return }
            let bytes = lengths[..<used].withUnsafeBytes { Data($0) }
            try write.execute(arguments: [current, bytes])
        }
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if block(of: id) != current {
                try flush()
                current = block(of: id)
                lengths = [UInt32](repeating: 0, count: blockSize)
                used = 0
            }
            let slot = Int(id & Int64(blockSize - 1))
            lengths[slot] = (row[1] as Data).withUnsafeBytes { total(ofSizes: $0) }
            used = slot + 1
        }
        try flush()
    }

    /// The sum of the varints (SQLite's encoding) of a `%_docsize` record:
    /// one token count per column.
    static func total(ofSizes bytes: UnsafeRawBufferPointer) -> UInt32 {
        var sum: UInt64 = 0
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
            sum += value
        }
        return UInt32(clamping: sum)
    }
}

/// The blocks of `SectionLengths` one query has loaded, for the ranking
/// function to read by rowid. A block is loaded once enough of the query's
/// matches fall in it to repay reading it.
final class LoadedSectionLengths {
    /// Blocks by number; nil until loaded.
    private(set) var blocks: [UnsafeMutableBufferPointer<UInt32>?] = []
    private var misses: [Int64: Int] = [:]
    private let fetch: Statement

    /// Matches answered by FTS5's own lookup in a block before the block is
    /// read: a lookup costs about 1.5 µs, reading a 256 KB block about 0.1 ms.
    static let missesBeforeLoading = 64

    init(_ db: Database) throws {
        fetch = try db.makeStatement(sql: "SELECT lengths FROM section_length WHERE block = ?")
    }

    deinit {
        for block in blocks { block?.deallocate() }
    }

    /// The length of `rowid`'s section, or nil to ask FTS5.
    @inline(__always)
    func length(of rowid: Int64) -> Double? {
        let b = Int(SectionLengths.block(of: rowid))
        guard b < blocks.count, let block = blocks[b] else { return nil }
        let value = block[Int(rowid & Int64(SectionLengths.blockSize - 1))]
        return value == 0 ? nil : Double(value)
    }

    /// Called for each match FTS5 had to size: loads its block once it has
    /// been asked for often enough.
    func missed(_ rowid: Int64) throws {
        let b = SectionLengths.block(of: rowid)
        let count = misses[b, default: 0] + 1
        misses[b] = count
        guard count == Self.missesBeforeLoading else { return }
        let buffer = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: SectionLengths.blockSize)
        buffer.initialize(repeating: 0)
        if let data = try Data.fetchOne(fetch, arguments: [b]) {
            data.withUnsafeBytes { raw in
                let n = min(raw.count / 4, SectionLengths.blockSize)
                for i in 0..<n { buffer[i] = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
            }
        }
        if blocks.count <= Int(b) { blocks += Array(repeating: nil, count: Int(b) + 1 - blocks.count) }
        blocks[Int(b)] = buffer
    }
}
