import Foundation
import GRDB
import GRDBSQLite
import RSearchText

/// For every Han character, every section holding it, with how many times
/// it occurs in the heading and in the text: what a query of that one
/// character needs to count and rank its matches without FTS5.
///
/// A one-character query is the FTS5 prefix query `"c"*`, and FTS5 answers a
/// prefix query by merging the doclist of every token that begins with `c`,
/// positions and all, before it returns a row. On the 150 MB corpus that took
/// 170–200 ms for `的` (in 201,176 of 267,317 sections) and 20–37 ms for
/// characters that begin thousands of distinct bigrams, common or not (`日`,
/// `无`, `山`, `诗`); `prefix='1'` (an FTS5 prefix index) still left `的` near
/// 115 ms (BENCHMARKS.md). Every character of a Han run begins exactly one
/// token (`BigramScanner`), so the tokens `"c"*` matches in a column are
/// exactly the occurrences of the folded character there, and a count per
/// section is all bm25 needs of them.
///
/// Kept: the Han characters of the Basic Multilingual Plane, where all but
/// the rarest are (the rest, in extensions B to H, FTS5 answers: few tokens
/// begin with them). 150 MB corpus: 14 million postings, about 2.3 bytes each.
///
/// `char_posting` holds one row per block of 8,192 rowids (`blockShift`) and
/// character, keyed `block << 16 | character`, so that a block's rows are
/// one range for the writer; a query reads its character's row of each
/// block. The blob lists the block's sections holding the character in rowid
/// order, each as LEB128 varints: the rowid's distance from the previous one
/// (from the block's first rowid − 1), then `text << 1 | (heading > 0)`, then
/// `heading` if that bit is set.
///
/// The same structure, in `variant_posting`, lists for every kept character
/// the sections where a traditional form of it occurs (`經` for `经`), with
/// how many times: the sections where a search that keeps traditional and
/// simplified apart (`--no-fold`) may answer otherwise than the index, and
/// so the only ones it must read (`VariantMarks`). 150 MB corpus: almost
/// all in the classical poetry.
///
/// Invariant: the postings of every live section equal the counts in its
/// folded heading and text (in `variant_posting`: of the characters that
/// folding changed there, by their folded form); a removed section's
/// postings may remain, for a search to skip, until its block is compacted
/// (`CharacterPostingsWriter`).
enum CharacterPostings {
    /// Which of the two posting tables.
    enum Table: Sendable {
        /// Every kept character, folded as the index folds.
        case characters
        /// The traditional characters, by the simplified character each
        /// folds to.
        case variants

        var postings: String { self == .characters ? "char_posting" : "variant_posting" }
        var blocks: String { self == .characters ? "char_posting_block" : "variant_posting_block" }
    }

    /// 8,192 rowids: small enough that a build holds one block's changes in
    /// a few megabytes, large enough that `的` reads a few dozen rows.
    static let blockShift = 13

    static func block(of rowid: Int64) -> Int64 { rowid >> Int64(blockShift) }

    static func isKept(_ character: UInt32) -> Bool { character < 0x10000 && CharacterClass.isHan(character) }

    static func key(block: Int64, character: UInt16) -> Int64 { block << 16 | Int64(character) }

    static func block(ofKey key: Int64) -> Int64 { key >> 16 }

    /// The keys of every row of a block.
    static func keys(block: Int64) -> ClosedRange<Int64> { key(block: block, character: 0)...key(block: block, character: 0xFFFF) }

    /// One character's occurrences in one section.
    struct Count: Equatable, Sendable {
        var character: UInt16
        var heading: UInt32
        var text: UInt32
    }

    /// A section's line in one character's postings.
    struct Posting: Equatable {
        var id: Int64
        var heading: UInt32
        var text: UInt32
    }

    /// A section's counts for both tables, each in character order.
    struct SectionCounts: Sendable {
        var characters: [Count]
        var variants: [Count]
    }

    /// Counts kept characters section by section, in tables reused from
    /// one section to the next (one per loading thread).
    struct Counter {
        /// Heading count of character `c` at `2c`, text count at `2c + 1`.
        private var table = [UInt32](repeating: 0, count: 0x20000)
        private var seen: [UInt16] = []
        /// The same for the traditional characters, by simplified form.
        private var variantTable = [UInt32](repeating: 0, count: 0x20000)
        private var variantsSeen: [UInt16] = []
        private var scalars: [UInt32] = []

        init() {}

        /// The kept characters' occurrences in a section's heading and text,
        /// folded as the index folds them, and those of the characters that
        /// the variant folding changed, by their folded form.
        mutating func counts(heading: String, text: String) -> SectionCounts {
            var heading = heading, text = text
            seen.removeAll(keepingCapacity: true)
            variantsSeen.removeAll(keepingCapacity: true)
            heading.withUTF8 { Folding.exact.scalars(utf8: $0, into: &scalars) }
            tally(column: 0)
            text.withUTF8 { Folding.exact.scalars(utf8: $0, into: &scalars) }
            tally(column: 1)
            return SectionCounts(characters: Self.drain(&table, &seen), variants: Self.drain(&variantTable, &variantsSeen))
        }

        private static func drain(_ table: inout [UInt32], _ seen: inout [UInt16]) -> [Count] {
            guard !seen.isEmpty else { return [] }
            seen.sort()
            var result: [Count] = []
            result.reserveCapacity(seen.count)
            for c in seen {
                let i = Int(c) << 1
                result.append(Count(character: c, heading: table[i], text: table[i + 1]))
                table[i] = 0
                table[i + 1] = 0
            }
            return result
        }

        /// `scalars` holds the column folded with `Folding.exact`; folded
        /// on to `Folding.index` here, so that the changed ones are seen.
        private mutating func tally(column: Int) {
            Folding.foldVariants(&scalars) { v in
                guard CharacterPostings.isKept(v) else { return }
                let i = Int(v) << 1
                if variantTable[i] == 0 && variantTable[i + 1] == 0 { variantsSeen.append(UInt16(v)) }
                variantTable[i | column] += 1
            }
            for v in scalars where CharacterPostings.isKept(v) {
                let i = Int(v) << 1
                if table[i] == 0 && table[i + 1] == 0 { seen.append(UInt16(v)) }
                table[i | column] += 1
            }
        }
    }

    /// Appends `postings` to `out`, a blob of `block` whose last posting
    /// is `after`'s (nil: `out` is empty).
    static func encode(_ postings: [Posting], block: Int64, after: Int64? = nil, into out: inout [UInt8]) {
        if after == nil { out.removeAll(keepingCapacity: true) }
        var previous = after ?? (block << Int64(blockShift)) - 1
        func varint(_ value: UInt64) { LEB128.append(value, to: &out) }
        for p in postings {
            varint(UInt64(p.id - previous))
            previous = p.id
            varint(UInt64(p.text) << 1 | (p.heading > 0 ? 1 : 0))
            if p.heading > 0 { varint(UInt64(p.heading)) }
        }
    }

    /// The rowid of the last posting of a block's blob; nil if it has none.
    static func lastID(_ bytes: UnsafeRawBufferPointer, block: Int64) -> Int64? {
        var last: Int64?
        decode(bytes, block: block) { id, _, _ in last = id }
        return last
    }

    /// Calls `body(id, heading, text)` for each posting of a block's blob.
    /// A damaged blob ends the walk where it stops making sense.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer, block: Int64, _ body: (Int64, UInt32, UInt32) -> Void) {
        var i = 0
        let n = bytes.count
        var previous = (block << Int64(blockShift)) - 1
        @inline(__always) func varint() -> UInt64? { LEB128.read(bytes, at: &i) }
        while i < n {
            guard let delta = varint(), let packed = varint() else { return }
            var heading: UInt64 = 0
            if packed & 1 == 1 {
                guard let h = varint() else { return }
                heading = h
            }
            previous += Int64(truncatingIfNeeded: delta)
            body(previous, UInt32(truncatingIfNeeded: heading), UInt32(truncatingIfNeeded: packed >> 1))
        }
    }
}

/// Keeps a posting table (`char_posting` or `variant_posting`) current with
/// the sections a write adds and removes.
///
/// Sections added are held per block and merged into the stored postings
/// when the writer finishes, or, during a bulk load, once enough are held: a
/// block is then written as soon as the writer has moved past it, so a build
/// holds about one block's worth.
///
/// Sections removed leave their postings behind, and a search skips them
/// (their length in `section_length` is 0, their `%_docsize` row gone):
/// rewriting every posting of every block an update touched cost more than
/// the rest of the update (150 MB corpus, 1% of the files changed: 3.05 s
/// against 1.39 s before the postings). Rowids are never given twice
/// (`AUTOINCREMENT`), so a stale posting cannot be mistaken for a new
/// section's. `char_posting_block` counts each block's removed sections, and
/// a block is compacted, its stale postings dropped, once they reach a
/// quarter of its live sections: a block carries at most that much dead
/// weight, and a removal is paid for once, later, in bulk.
final class CharacterPostingsWriter {
    private let db: Database
    /// Per block, in rowid order: the sections added, with their counts.
    private var pending: [Int64: [(id: Int64, counts: [CharacterPostings.Count])]] = [:]
    private var pendingCounts = 0
    private var removedByBlock: [Int64: Int] = [:]
    private let read: Statement
    private let write: Statement
    private let delete: Statement
    /// Counts held before the blocks below the one being written are
    /// flushed. A block of the 150 MB corpus has about 430,000 (8,192
    /// sections, 53 distinct characters each), so a build holds the block
    /// being written and at most one more. A block of long sections holds
    /// far more (a poetry collection cut into 64K-character sections has
    /// thousands of distinct characters in each: 75 MB of counts held for
    /// one 110 MB file), so at four times this the block being written is
    /// flushed too, and later flushes append to it.
    private let flushAt: Int

    /// A block is compacted when its removed sections reach this share of its live ones.
    static let compactionRatio = 4

    private let table: CharacterPostings.Table

    init(_ db: Database, table: CharacterPostings.Table = .characters, flushAt: Int = 1 << 18) throws {
        self.db = db
        self.table = table
        self.flushAt = flushAt
        read = try db.makeStatement(sql: "SELECT key, postings FROM \(table.postings) WHERE key BETWEEN ? AND ?")
        write = try db.makeStatement(sql: "INSERT OR REPLACE INTO \(table.postings) (key, postings) VALUES (?, ?)")
        delete = try db.makeStatement(sql: "DELETE FROM \(table.postings) WHERE key = ?")
    }

    /// A section added; ids come in increasing order, above every id ever
    /// used (SQLite's `AUTOINCREMENT` gives them so).
    func added(id: Int64, counts: [CharacterPostings.Count]) throws {
        let block = CharacterPostings.block(of: id)
        pending[block, default: []].append((id, counts))
        pendingCounts += counts.count + 1
        if pendingCounts >= flushAt {
            for b in pending.keys.sorted() where b < block { try flush(block: b) }
            if pendingCounts >= 4 * flushAt { try flush(block: block) }
        }
    }

    func removed(id: Int64) {
        removedByBlock[CharacterPostings.block(of: id), default: 0] += 1
    }

    func finish() throws {
        for b in pending.keys.sorted() { try flush(block: b) }
        for (block, count) in removedByBlock.sorted(by: { $0.key < $1.key }) {
            let removed = try Int.fetchOne(db, sql: """
                INSERT INTO \(table.blocks) (block, removed) VALUES (?, ?)
                ON CONFLICT (block) DO UPDATE SET removed = removed + excluded.removed RETURNING removed
                """, arguments: [block, count]) ?? 0
            // Live sections counted only as far as the threshold: a block
            // has thousands, and counting them all, block after block, read
            // the whole table (70 ms of an update of 1% of the 150 MB corpus).
            let first = block << Int64(CharacterPostings.blockShift)
            let live = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM section WHERE id BETWEEN ? AND ? LIMIT ?)
                """, arguments: [first, first + (1 << Int64(CharacterPostings.blockShift)) - 1,
                                 removed * Self.compactionRatio + 1]) ?? 0
            if removed * Self.compactionRatio >= live { try compact(block: block) }
        }
        removedByBlock = [:]
    }

    /// The stored postings of a block, by key.
    private func stored(block: Int64) throws -> [(key: Int64, postings: [CharacterPostings.Posting])] {
        let range = CharacterPostings.keys(block: block)
        return try Row.fetchAll(read, arguments: [range.lowerBound, range.upperBound]).map { row in
            var postings: [CharacterPostings.Posting] = []
            (row[1] as Data).withUnsafeBytes { bytes in
                CharacterPostings.decode(bytes, block: block) { postings.append(.init(id: $0, heading: $1, text: $2)) }
            }
            return (row[0], postings)
        }
    }

    private func store(_ key: Int64, _ postings: [CharacterPostings.Posting], block: Int64) throws {
        if postings.isEmpty {
            try delete.execute(arguments: [key])
            return
        }
        var bytes: [UInt8] = []
        CharacterPostings.encode(postings, block: block, into: &bytes)
        try write.execute(arguments: [key, Data(bytes)])
    }

    /// Appends the sections added in a block to its characters' postings:
    /// to the stored bytes, without decoding and encoding them again (an
    /// update adds to the last block, whose rows hold thousands of
    /// sections each).
    private func flush(block: Int64) throws {
        guard let sections = pending.removeValue(forKey: block) else { return }
        var added: [UInt16: [CharacterPostings.Posting]] = [:]
        for section in sections {
            pendingCounts -= section.counts.count + 1
            for c in section.counts {
                added[c.character, default: []].append(.init(id: section.id, heading: c.heading, text: c.text))
            }
        }
        let range = CharacterPostings.keys(block: block)
        var bytes: [UInt8] = []
        for row in try Row.fetchAll(read, arguments: [range.lowerBound, range.upperBound]) {
            let key: Int64 = row[0]
            guard let new = added.removeValue(forKey: UInt16(truncatingIfNeeded: key)) else { continue }
            let blob: Data = row[1]
            let last = blob.withUnsafeBytes { CharacterPostings.lastID($0, block: block) }
            // New ids lie above every stored one (AUTOINCREMENT). Were one
            // not to, it would replace the stored posting, in rowid order,
            // rather than stop the write.
            if let last, last >= new[0].id {
                var postings: [CharacterPostings.Posting] = []
                blob.withUnsafeBytes { CharacterPostings.decode($0, block: block) { postings.append(.init(id: $0, heading: $1, text: $2)) } }
                let replaced = Set(new.map(\.id))
                try store(key, (postings.filter { !replaced.contains($0.id) } + new).sorted { $0.id < $1.id }, block: block)
            } else {
                bytes = [UInt8](blob)
                CharacterPostings.encode(new, block: block, after: last, into: &bytes)
                try write.execute(arguments: [key, Data(bytes)])
            }
        }
        for (character, postings) in added {
            try store(CharacterPostings.key(block: block, character: character), postings, block: block)
        }
    }

    /// Drops the postings of removed sections from a block.
    private func compact(block: Int64) throws {
        let first = block << Int64(CharacterPostings.blockShift)
        let live = try Set(Int64.fetchAll(db, sql: "SELECT id FROM section WHERE id BETWEEN ? AND ?",
                                          arguments: [first, first + (1 << Int64(CharacterPostings.blockShift)) - 1]))
        for (key, postings) in try stored(block: block) {
            let kept = postings.filter { live.contains($0.id) }
            if kept.count != postings.count { try store(key, kept, block: block) }
        }
        try db.execute(sql: "UPDATE \(table.blocks) SET removed = 0 WHERE block = ?", arguments: [block])
    }
}
