import Foundation
import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif
import RSearchText

/// The full-text index of a write, made without FTS5's insert path: the
/// sections are tokenized and their postings sorted here, on a thread of
/// their own, and the result is written as one segment in FTS5's format
/// (`FTS5SegmentWriter`), with the row sizes and totals FTS5 keeps beside
/// it. A full build's segment is the one FTS5's `optimize` would have made
/// of its rows. An update's holds its new rows and, for each row it
/// removes, FTS5's delete marker under every term of the row; it becomes
/// the newest segment of the index, and FTS5 merges it with the others as
/// it would have merged a segment of its own (`write(into:)`).
///
/// Why: FTS5's own bulk load was most of a build and could not be made
/// faster from outside. For every token it hashes the term as a string into
/// its in-memory table, sorts that table by string at every flush, writes
/// small segments, merges them as they pile up, and `optimize` merges them
/// again (BENCHMARKS.md, "Where the time goes": about 58 s of CPU for
/// 156.6 MB). Here a token is a 64-bit key (its scalars) and a 64-bit place,
/// a batch of them is radix-sorted by key, and the sorted runs are merged
/// once, by concatenating each term's doclists, because each run holds
/// later rows than the one before it.
///
/// Memory stays bounded whatever the corpus: a batch holds at most about
/// `occurrencesPerRun` tokens (32 bytes each with the sort's second
/// buffer), each sorted batch goes to a run file beside the index, and the
/// merge reads each run through a buffer of its own.
///
/// Invariants the merge relies on: rows arrive in increasing rowid (the
/// rows an update removes first, then those it adds, whose rowids are above
/// every old one), every row is tokenized exactly as FTS5 would tokenize it
/// (the same `BigramScanner`, each column with positions from 0), and a run
/// is a list of (term, doclist) in increasing term order whose doclists
/// begin with an absolute rowid. `FTS5BulkLoadTests` holds a build's result
/// to what FTS5 itself writes, byte for byte, and an update's to what
/// `integrity-check` expects of the table.
final class FTS5BulkLoad: @unchecked Sendable {
    /// A section as the full-text index sees it: its rowid and two columns.
    struct SectionText {
        var id: Int64
        var heading: String
        var text: String
    }

    static let table = "section_fts"
    /// FTS5's default `pgsz`, used when the table does not set one.
    static let defaultPageSize = 4050

    /// Rows to add, or rows to remove (their indexed values, as stored).
    private struct Batch {
        var rows: [SectionText]
        var removed: Bool
    }

    let runsPath: URL
    private let file: UnsafeMutablePointer<FILE>
    /// Batches waiting to be tokenized: at most 64, and at most 8 MB of
    /// text unless one batch is larger.
    private let rows = Handoff<Batch>(capacity: 64, budget: 8 << 20)
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?
    private var finished = false

    // Filled by the thread; read after `finish()`.
    private var runs: [Range<Int>] = []
    // Each row's token count per column: counted by the thread, written to
    // `%_docsize` by whoever calls `writeSizes` (the builder, after each
    // file, so that the rows are written while the build is loading, not
    // after it).
    private let sizesLock = NSLock()
    private var pendingSizes: [RowSize] = []
    /// What the rows change of the averages record: the row count, then
    /// each column's token total.
    private var totals: [Int64] = [0, 0, 0]

    private struct RowSize {
        var id: Int64
        var text: UInt32
        var heading: UInt32
        var removed: Bool
    }

    /// Starts the thread; its runs go to a file at `runsPath`.
    init(runsPath: URL, occurrencesPerRun: Int = 1 << 20) throws {
        // Rows are tokenized text first (column 0), then heading (column 1).
        precondition(Schema.FTSColumn.allCases == [.text, .heading], "FTS5BulkLoad follows section_fts's column order")
        self.runsPath = runsPath
        try? FileManager.default.removeItem(at: runsPath)
        guard let file = fopen(runsPath.path, "wb") else {
            throw IndexError.notWritable(path: runsPath.path, reason: String(cString: strerror(errno)))
        }
        self.file = file
        let thread = Thread { [self, rows, done] in
            var batch = PostingsBatch(capacity: occurrencesPerRun)
            defer { batch.deallocate() }
            var written = 0
            do {
                while let incoming = rows.next() {
                    let sign: Int64 = incoming.removed ? -1 : 1
                    for row in incoming.rows {
                        let (text, heading) = batch.add(row, removed: incoming.removed)
                        totals[0] += sign
                        totals[1] += sign * Int64(text)
                        totals[2] += sign * Int64(heading)
                        sizesLock.withLock {
                            pendingSizes.append(RowSize(id: row.id, text: UInt32(text), heading: UInt32(heading),
                                                        removed: incoming.removed))
                        }
                        if batch.occurrences >= occurrencesPerRun {
                            runs.append(try batch.writeRun(to: self.file, at: written))
                            written = runs.last!.upperBound
                        }
                    }
                }
                if batch.rows > 0 { runs.append(try batch.writeRun(to: self.file, at: written)) }
            } catch {
                failure = error
                while rows.next() != nil {}  // the builder must never block on a full handoff
            }
            if fclose(self.file) != 0, failure == nil {
                failure = IndexError.notWritable(path: runsPath.path, reason: String(cString: strerror(errno)))
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues sections to add, in increasing rowid.
    func add(_ batch: [SectionText]) {
        rows.put(Batch(rows: batch, removed: false), weight: Self.weight(of: batch))
    }

    /// Queues sections to remove, with the values they were indexed with,
    /// in increasing rowid, before any section is added.
    func remove(_ batch: [SectionText]) {
        rows.put(Batch(rows: batch, removed: true), weight: Self.weight(of: batch))
    }

    private static func weight(of batch: [SectionText]) -> Int {
        batch.reduce(0) { $0 + $1.text.utf8.count + $1.heading.utf8.count }
    }

    /// Waits until every queued section is in a run; throws what stopped it.
    func finish() throws {
        guard !finished else { return }
        finished = true
        rows.close()
        done.wait()
        if let failure { throw failure }
    }

    /// Writes the sizes of the rows tokenized so far to `%_docsize`, and
    /// deletes those of the rows removed.
    func writeSizes(into db: Database) throws {
        var taken: [RowSize] = []
        sizesLock.withLock { swap(&taken, &pendingSizes) }
        guard !taken.isEmpty else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO \(Self.table)_docsize (id, sz) VALUES (?, ?)")
        let delete = try db.cachedStatement(sql: "DELETE FROM \(Self.table)_docsize WHERE id = ?")
        var size: [UInt8] = []
        for row in taken {
            if row.removed {
                try delete.execute(arguments: [row.id])
                continue
            }
            size.removeAll(keepingCapacity: true)
            SQLiteVarint.append(UInt64(row.text), to: &size)
            SQLiteVarint.append(UInt64(row.heading), to: &size)
            try size.withUnsafeBufferPointer { try Self.execute(insert, db, row.id, $0) }
        }
    }

    /// Writes the segment into `section_fts`, with the rows' sizes not
    /// written yet and the new totals, through a connection that has not
    /// used that table in this transaction (FTS5 caches its structure
    /// record per connection, and this changes it underneath).
    ///
    /// Into a table without a segment, the segment goes to the top of four
    /// levels, where FTS5's own bulk load and `optimize` left it on the
    /// 150 MB corpus. Beside existing segments, it becomes the newest one
    /// on level 0, and FTS5 is asked for the merge work it does after
    /// writing a segment of its own (`fts5IndexAutomerge`: about as many
    /// leaves as the segment has, per level, on levels with `usermerge`
    /// segments or more): the segments stay as few as FTS5 would keep them.
    func write(into db: Database) throws {
        try finish()
        try writeSizes(into: db)
        let pageSize = try Int.fetchOne(db, sql: "SELECT v FROM \(Self.table)_config WHERE k = 'pgsz'") ?? Self.defaultPageSize
        var structure = try FTS5Segments.Structure([UInt8](try FTS5Segments.record(db, "main", Self.table, id: 10)))
        let existing = Set(structure.levels.joined().map(\.id))
        // FTS5's own choice (`fts5AllocateSegid`): the smallest id not in use.
        let segment = (1...).first { !existing.contains($0) }!
        guard segment <= FTS5Segments.maximumSegments else {
            throw FTS5SegmentsError(message: "\(Self.table) has no segment id left")
        }

        let leaves = try writeSegment(segment, pageSize: pageSize, into: db)

        let newest = FTS5Segments.Structure.Segment(id: segment, firstPage: 1, lastPage: leaves)
        if leaves > 0 {
            if existing.isEmpty {
                structure = FTS5Segments.Structure(cookie: structure.cookie, writeCounter: structure.writeCounter,
                                                   levels: [[], [], [], [newest]])
            } else {
                structure.levels[0].append(newest)
            }
            structure.writeCounter += UInt64(leaves)
            try db.execute(sql: "UPDATE \(Self.table)_data SET block = ? WHERE id = 10", arguments: [Data(structure.encoded)])
        }
        var averages = try FTS5Segments.averages(db, table: Self.table).map { Int64(bitPattern: $0) }
        if averages.isEmpty { averages = [0, 0, 0] }
        guard averages.count == totals.count else {
            throw FTS5SegmentsError(message: "the averages record has \(averages.count) values, not \(totals.count)")
        }
        let updated = zip(averages, totals).map { UInt64(max(0, $0 + $1)) }
        try db.execute(sql: "INSERT OR REPLACE INTO \(Self.table)_data (id, block) VALUES (1, ?)",
                       arguments: [Data(SQLiteVarint.encode(updated))])
        if leaves > 0, !existing.isEmpty {
            try db.execute(sql: "INSERT INTO \(Self.table) (\(Self.table), rank) VALUES ('merge', ?)",
                           arguments: [leaves * structure.levels.count])
        }
    }

    /// A record of the segment, from the merging thread to the inserting one.
    private enum SegmentRecord {
        case block(id: Int64, [UInt8])
        case indexEntry(term: [UInt8], pageAndFlag: Int64)
    }

    /// What the merging thread leaves for the inserting one.
    private final class MergeOutcome: @unchecked Sendable {
        var leaves = 0
        var failure: Error?
        let done = DispatchSemaphore(value: 0)
    }

    /// Merges the runs into segment `segment` on a thread of its own while
    /// this one inserts its leaves and `%_idx` entries into `db`, in
    /// batches; returns the leaf count. On one thread, SQLite's inserts and
    /// the kernel's copies of the pages were about a quarter of the merge
    /// (perf, 150 MB build), with the other core idle.
    private func writeSegment(_ segment: Int, pageSize: Int, into db: Database) throws -> Int {
        let records = Handoff<[SegmentRecord]>(capacity: 16)
        let outcome = MergeOutcome()
        let thread = Thread { [self] in
            var batch: [SegmentRecord] = []
            func hand(_ record: SegmentRecord) {
                batch.append(record)
                if batch.count == 64 {
                    records.put(batch)
                    batch = []
                }
            }
            let sink = FTS5SegmentWriter.Sink(
                writeBlock: { id, block in hand(.block(id: id, Array(block))) },
                writeIndexEntry: { term, page in hand(.indexEntry(term: Array(term), pageAndFlag: page)) })
            var writer = FTS5SegmentWriter(segment: segment, pageSize: pageSize, sink: sink)
            do {
                outcome.leaves = try mergeRuns(into: &writer)
            } catch {
                outcome.failure = error
            }
            writer.deallocate()
            if !batch.isEmpty { records.put(batch) }
            records.close()
            outcome.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()

        let insertBlock = try db.makeStatement(sql: "INSERT INTO \(Self.table)_data (id, block) VALUES (?, ?)")
        let insertEntry = try db.makeStatement(sql: "INSERT INTO \(Self.table)_idx (segid, term, pgno) VALUES (?, ?, ?)")
        var failure: Error?
        while let batch = records.next() {
            guard failure == nil else { continue }  // taken all the same, so that the merge never blocks
            do {
                for record in batch {
                    switch record {
                    case .block(let id, let bytes):
                        try bytes.withUnsafeBufferPointer { try Self.execute(insertBlock, db, id, $0) }
                    case .indexEntry(let term, let page):
                        sqlite3_bind_int64(insertEntry.sqliteStatement, 1, Int64(segment))
                        try term.withUnsafeBufferPointer {
                            try Self.execute(insertEntry, db, page, $0, blobColumn: 2, integerColumn: 3)
                        }
                    }
                }
            } catch {
                failure = error
            }
        }
        outcome.done.wait()
        if let failure = outcome.failure ?? failure { throw failure }
        return outcome.leaves
    }

    /// Stops the thread if it still runs and deletes the run file.
    func discard() {
        try? finish()
        try? FileManager.default.removeItem(at: runsPath)
    }

    /// Merges the runs term by term into `writer`; returns its leaf count.
    private func mergeRuns(into writer: inout FTS5SegmentWriter) throws -> Int {
        let fd = open(runsPath.path, O_RDONLY)
        guard fd >= 0 else {
            throw IndexError.notWritable(path: runsPath.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var merge = try RunMerge(fd: fd, runs: runs)
        defer { merge.deallocate() }
        var term = [UInt8](repeating: 0, count: 9)
        while let key = merge.minimumKey {
            try term.withUnsafeMutableBufferPointer {
                let length = PostingsBatch.term(key, into: $0.baseAddress!)
                try writer.appendTerm(UnsafeBufferPointer(rebasing: $0[..<length]))
            }
            try merge.writeDoclists(of: key, to: &writer)
        }
        return try writer.finish()
    }

    /// Binds an integer and a blob and runs `statement` once, through
    /// SQLite's C API: a zero-length blob must stay a blob (FTS5's `%_idx`
    /// holds the empty term for a segment's first leaf), and these inserts
    /// run once per leaf.
    private static func execute(_ statement: Statement, _ db: Database, _ integer: Int64,
                                _ blob: UnsafeBufferPointer<UInt8>, blobColumn: Int32 = 2, integerColumn: Int32 = 1) throws {
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, integerColumn, integer)
        if let base = blob.baseAddress, !blob.isEmpty {
            sqlite3_bind_blob(s, blobColumn, base, Int32(blob.count), SQLITE_TRANSIENT)
        } else {
            sqlite3_bind_zeroblob(s, blobColumn, 0)
        }
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}

private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The postings of one batch of rows, sorted by term when written out.
///
/// Each token is kept as its term's key and its place (row in the batch,
/// column, position), appended in the order the rows are tokenized, and the
/// batch is sorted by key with a stable radix sort: a term's postings then
/// stay in row, column and position order, and nothing is looked up per
/// token. (A hash table from term to postings, FTS5's way and this type's
/// first version, missed the cache on nearly every token: 8 of the 11 s it
/// took at 150 MB, perf.)
private struct PostingsBatch {
    struct Posting {
        var key: UInt64
        /// Row in the batch << 32 | column << 31 | position.
        var place: UInt64
    }

    private var postings: UnsafeMutablePointer<Posting>
    private var spare: UnsafeMutablePointer<Posting>
    private var capacity: Int
    private(set) var occurrences = 0
    private var rowIDs: [Int64] = []
    /// Whether each row is one removed (FTS5's delete marker, no positions).
    private var rowRemoved: [Bool] = []

    init(capacity: Int) {
        self.capacity = capacity + (1 << 16)
        postings = .allocate(capacity: self.capacity)
        spare = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        postings.deallocate()
        spare.deallocate()
    }

    var rows: Int { rowIDs.count }

    /// A term's key: its scalars, the second plus one (0 for none), so that
    /// integer order is FTS5's order, the byte order of the UTF-8.
    static func key(_ first: UInt32, _ second: UInt32) -> UInt64 {
        UInt64(first) << 22 | (second == BigramScanner.noScalar ? 0 : UInt64(second) + 1)
    }

    /// The UTF-8 of the term with `key`, after FTS5's index prefix '0'.
    static func term(_ key: UInt64, into out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = 0x30
        var length = 1 + BigramScanner.encode(UInt32(key >> 22), into: out + 1)
        let second = key & ((1 << 22) - 1)
        if second != 0 { length += BigramScanner.encode(UInt32(second - 1), into: out + length) }
        return length
    }

    /// Tokenizes a row; returns its token counts.
    mutating func add(_ row: FTS5BulkLoad.SectionText, removed: Bool) -> (text: Int, heading: Int) {
        let r = UInt64(rowIDs.count)
        rowIDs.append(row.id)
        rowRemoved.append(removed)
        return (tokenize(row.text, place: r << 32), tokenize(row.heading, place: r << 32 | 1 << 31))
    }

    private mutating func tokenize(_ string: String, place: UInt64) -> Int {
        var string = string
        return string.withUTF8 { utf8 -> Int in
            // A token begins at a character of at least one byte.
            reserve(occurrences + utf8.count)
            let out = postings + occurrences
            var n = 0
            BigramScanner.scanScalars(utf8) { first, second, _, _ in
                out[n] = Posting(key: Self.key(first, second), place: place | UInt64(n))
                n += 1
                return true
            }
            occurrences += n
            return n
        }
    }

    private mutating func reserve(_ count: Int) {
        guard count > capacity else { return }
        let grown = max(count, capacity * 2)
        let moved = UnsafeMutablePointer<Posting>.allocate(capacity: grown)
        moved.update(from: postings, count: occurrences)
        deallocate()
        postings = moved
        spare = .allocate(capacity: grown)
        capacity = grown
    }

    /// Sorts by key, stably: least significant digit first, eleven bits a
    /// pass. A key has 43 bits; when every scalar of the batch is in the
    /// Basic Multilingual Plane (nearly always) the sort runs on 33 of them
    /// (first scalar, then second + 1 in 17 bits), one pass fewer, and a
    /// pass whose digit every key shares is skipped.
    private mutating func sortByKey() {
        var firsts: UInt64 = 0, seconds: UInt64 = 0
        for i in 0..<occurrences {
            firsts |= postings[i].key >> 22
            seconds |= postings[i].key & 0x3F_FFFF
        }
        let compact = firsts < 0x1_0000 && seconds < 0x2_0000
        @inline(__always) func sortKey(_ key: UInt64) -> UInt64 {
            compact ? (key >> 22) << 17 | (key & 0x1_FFFF) : key
        }
        let bits = 11, buckets = 1 << bits, mask = UInt64(buckets - 1)
        let passes = compact ? 3 : 4
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: buckets * passes)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: buckets * passes)
        for i in 0..<occurrences {
            let key = sortKey(postings[i].key)
            for pass in 0..<passes { counts[pass * buckets + Int((key >> UInt64(pass * bits)) & mask)] += 1 }
        }
        for pass in 0..<passes {
            let count = counts + pass * buckets
            guard !(0..<buckets).contains(where: { count[$0] == occurrences }) else { continue }
            var running = 0
            for b in 0..<buckets {
                let n = count[b]
                count[b] = running
                running += n
            }
            let shift = UInt64(pass * bits)
            for i in 0..<occurrences {
                let posting = postings[i]
                let b = Int((sortKey(posting.key) >> shift) & mask)
                spare[count[b]] = posting
                count[b] += 1
            }
            swap(&postings, &spare)
        }
    }

    /// Appends this batch's postings to `file` as a run, then empties the
    /// batch: for each term in increasing order, its key (8 bytes), the
    /// doclist's length and the doclist.
    mutating func writeRun(to file: UnsafeMutablePointer<FILE>, at offset: Int) throws -> Range<Int> {
        sortByKey()
        var out = ByteBuffer(capacity: occurrences * 3 + 64)
        var doclist = ByteBuffer(capacity: 1 << 16)
        var positions = ByteBuffer(capacity: 1 << 12)
        defer {
            out.deallocate()
            doclist.deallocate()
            positions.deallocate()
        }
        var j = 0
        while j < occurrences {
            let key = postings[j].key
            doclist.count = 0
            var previousRowid: Int64 = 0
            var first = true
            while j < occurrences, postings[j].key == key {
                let row = postings[j].place >> 32
                positions.count = 0
                var column: UInt64 = 0
                var previous: UInt64 = 0
                let removed = rowRemoved[Int(row)]
                while j < occurrences, postings[j].key == key, postings[j].place >> 32 == row {
                    let place = postings[j].place
                    if removed {
                        j += 1
                        continue
                    }
                    let c = place >> 31 & 1, position = place & 0x7FFF_FFFF
                    if c != column {
                        positions.appendVarint(0x01)
                        positions.appendVarint(c)
                        column = c
                        previous = 0
                    }
                    positions.appendVarint(position - previous + 2)
                    previous = position
                    j += 1
                }
                let rowid = rowIDs[Int(row)]
                doclist.appendVarint(UInt64(bitPattern: first ? rowid : rowid - previousRowid))
                // The size field: the position list's length in bytes times
                // two, plus one for FTS5's delete marker.
                doclist.appendVarint(UInt64(positions.count * 2) | (removed ? 1 : 0))
                doclist.append(positions.contents)
                previousRowid = rowid
                first = false
            }
            withUnsafeBytes(of: key.littleEndian) { out.append(UnsafeBufferPointer(start: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 8)) }
            out.appendVarint(UInt64(doclist.count))
            out.append(doclist.contents)
        }
        guard fwrite(out.bytes, 1, out.count, file) == out.count else {
            throw IndexError.notWritable(path: "the build's run file", reason: String(cString: strerror(errno)))
        }
        occurrences = 0
        rowIDs.removeAll(keepingCapacity: true)
        rowRemoved.removeAll(keepingCapacity: true)
        return offset..<(offset + out.count)
    }
}

/// A reader of one run of the run file, at one record, through a buffer of
/// its own (the run file is as large as the index: mapping it whole would
/// count it all in the build's resident memory).
private struct RunCursor {
    private let fd: Int32
    private let end: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The file offset of `buffer[0]`, and how much of `buffer` is read.
    private var bufferOffset: Int
    private var filled = 0
    private(set) var key: UInt64 = 0
    private var doclistStart = 0
    private var doclistEnd = 0

    init(fd: Int32, range: Range<Int>, bufferSize: Int = 128 << 10) {
        self.fd = fd
        end = range.upperBound
        bufferOffset = range.lowerBound
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
    }

    func deallocate() { buffer.deallocate() }

    /// Moves to the next record; false at the end of the run.
    mutating func advance() throws -> Bool {
        var offset = doclistEnd
        guard bufferOffset + offset < end else { return false }
        offset = try ensure(offset, min(17, end - bufferOffset - offset))  // a key and a varint
        key = UInt64(littleEndian: UnsafeRawPointer(buffer + offset).loadUnaligned(as: UInt64.self))
        offset += 8
        let length = Int(SQLiteVarint.read(buffer, &offset))
        doclistStart = try ensure(offset, length)
        doclistEnd = doclistStart + length
        return true
    }

    /// Makes `count` bytes from buffer offset `offset` readable; returns
    /// their new offset.
    private mutating func ensure(_ offset: Int, _ count: Int) throws -> Int {
        if offset + count <= filled { return offset }
        buffer.update(from: buffer + offset, count: filled - offset)
        filled -= offset
        bufferOffset += offset
        if count > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
            grown.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = grown
            capacity = count
        }
        while filled < count {
            let got = pread(fd, buffer + filled, min(capacity - filled, end - bufferOffset - filled), off_t(bufferOffset + filled))
            guard got > 0 else {
                throw IndexError.notWritable(path: "the build's run file", reason: "cannot be read back")
            }
            filled += got
        }
        return 0
    }

    /// Hands the record's rows to `writer`. The first goes through
    /// `appendRow` (its rowid is absolute in the run, a delta in the
    /// segment), and so does each row that would start a new leaf; runs of
    /// rows that fit on the current leaf are copied as they are.
    func writeDoclist(to writer: inout FTS5SegmentWriter) throws {
        var offset = doclistStart
        var rowid = Int64(bitPattern: SQLiteVarint.read(buffer, &offset))
        while true {
            let sizeField = SQLiteVarint.read(buffer, &offset)
            let size = Int(sizeField / 2)
            try writer.appendRow(rowid, sizeField: sizeField, positions: UnsafeBufferPointer(start: buffer + offset, count: size))
            offset += size
            guard offset < doclistEnd else { return }
            if writer.canAppendVerbatim {
                let room = writer.room
                var copied = offset, last = rowid
                var next = offset
                while next < doclistEnd {
                    let delta = Int64(bitPattern: SQLiteVarint.read(buffer, &next))
                    next += Int(SQLiteVarint.read(buffer, &next) / 2)
                    guard next - offset < room else { break }
                    copied = next
                    last &+= delta
                }
                if copied > offset {
                    writer.appendVerbatim(UnsafeBufferPointer(start: buffer + offset, count: copied - offset), lastRowid: last)
                    offset = copied
                    rowid = last
                    guard offset < doclistEnd else { return }
                }
            }
            rowid &+= Int64(bitPattern: SQLiteVarint.read(buffer, &offset))
        }
    }
}

/// The runs' cursors ordered by (key, run), so that a term's doclists come
/// out in run order, which is rowid order. A binary heap of (key, run)
/// pairs; the cursors stay in place.
private struct RunMerge {
    private var cursors: [RunCursor]
    private var heap: [(key: UInt64, run: Int)] = []

    init(fd: Int32, runs: [Range<Int>]) throws {
        cursors = runs.map { RunCursor(fd: fd, range: $0) }
        for run in cursors.indices where try cursors[run].advance() { push(run) }
    }

    func deallocate() { cursors.forEach { $0.deallocate() } }

    var minimumKey: UInt64? { heap.first?.key }

    /// Hands every doclist of `key` to `writer`, in run order. A run that
    /// goes on takes its new key down from the top; only an exhausted one
    /// leaves the heap (a pop and a push per doclist were 15% of the merge).
    mutating func writeDoclists(of key: UInt64, to writer: inout FTS5SegmentWriter) throws {
        while let top = heap.first, top.key == key {
            try cursors[top.run].writeDoclist(to: &writer)
            if try cursors[top.run].advance() {
                heap[0].key = cursors[top.run].key
                siftDown()
            } else {
                pop()
            }
        }
    }

    private static func less(_ a: (key: UInt64, run: Int), _ b: (key: UInt64, run: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : a.run < b.run
    }

    private mutating func push(_ run: Int) {
        heap.append((cursors[run].key, run))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func pop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown()
    }

    private mutating func siftDown() {
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, Self.less(heap[l], heap[m]) { m = l }
            if r < heap.count, Self.less(heap[r], heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
    }
}
