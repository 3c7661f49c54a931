import Foundation

/// Writes one FTS5 segment: leaf pages, their b-tree entries in `%_idx`,
/// and the doclist indexes of long doclists, byte for byte as FTS5's own
/// segment writer does when it merges segments (`fts5WriteAppendTerm`,
/// `fts5WriteAppendRowid`, `fts5WriteAppendPoslistData`, `fts5WriteFinish`
/// and their helpers in SQLite 3.40's `fts5_index.c`), so that a table
/// loaded this way is the table FTS5's `optimize` would have left.
///
/// The caller appends terms in FTS5's order (byte order, a prefix before
/// its extensions), and under each term its rows in increasing rowid, each
/// with its position list. What the writer must keep true, as FTS5 does:
/// - a leaf holds at most about `pageSize` bytes: a term, a rowid or a
///   position list that does not fit starts a new leaf, and a position list
///   is split between leaves only between two varints;
/// - a leaf's 4-byte header gives the offset of its first rowid if that
///   comes before its first term (else 0) and the offset of its footer, the
///   footer lists the offsets of the terms that begin on it;
/// - the first term of every leaf but the first goes to `%_idx` as its
///   shortest prefix greater than the term before it, with the leaf's page
///   number times two, plus one if a doclist index was written for the
///   doclist the leaf before it ended;
/// - a doclist that spans `minimumEmptyPagesForIndex` or more leaves without
///   a term gets a doclist index (the first rowid of each of its leaves).
///
/// One quirk is kept so that the result is exactly `optimize`'s: FTS5
/// merges in steps of `optimizeStepLeaves` leaves, and each step ends at the
/// next term with its leaf flushed, however short, and the next step starts
/// a fresh writer (whose first b-tree key is the whole term). It costs a
/// short leaf per thousand.
struct FTS5SegmentWriter {
    /// Where the segment goes: `%_data` records and `%_idx` entries.
    struct Sink {
        var writeBlock: (_ id: Int64, _ block: UnsafeBufferPointer<UInt8>) throws -> Void
        var writeIndexEntry: (_ term: UnsafeBufferPointer<UInt8>, _ pageAndFlag: Int64) throws -> Void
    }

    /// FTS5_MIN_DLIDX_SIZE.
    static let minimumEmptyPagesForIndex = 4
    /// FTS5_OPT_WORK_UNIT.
    static let optimizeStepLeaves = 1000

    /// A `%_data` rowid: segment id, doclist-index flag, height, page.
    static func blockID(segment: Int, doclistIndex: Bool = false, height: Int = 0, page: Int) -> Int64 {
        Int64(segment) << 37 | (doclistIndex ? 1 << 36 : 0) | Int64(height) << 31 | Int64(page)
    }

    /// One level of a doclist index being built (`Fts5DlidxWriter`).
    private struct DoclistIndexLevel {
        var page = 0
        var previousValid = false
        var previous: Int64 = 0
        var buffer: [UInt8] = []
    }

    let segment: Int
    let pageSize: Int
    private let sink: Sink

    // The leaf being filled (`Fts5PageWriter`). Raw buffers: a merge
    // appends to them for every row of the index.
    private var page: ByteBuffer
    private var footer: ByteBuffer
    private var previousTermOffset = 0
    private var pageNumber = 1
    private var lastTerm: [UInt8] = []

    private var firstTermInPage = true
    private var firstRowidInPage = false
    private var firstRowidInDoclist = true
    private var previousRowid: Int64 = 0
    private var emptyPages = 0
    private var leavesThisStep = 0

    // The `%_idx` entry pending for the leaf `btreePage` (0: none).
    private var btreePage = 1
    private var btreeTerm: [UInt8] = []

    private var doclistIndex = [DoclistIndexLevel()]

    init(segment: Int, pageSize: Int, sink: Sink) {
        self.segment = segment
        self.pageSize = pageSize
        self.sink = sink
        page = ByteBuffer(capacity: 2 * pageSize + 64)
        footer = ByteBuffer(capacity: pageSize + 64)
        page.append(contentsOf: [0, 0, 0, 0])
    }

    /// Frees the buffers; the writer is not used afterwards.
    func deallocate() {
        page.deallocate()
        footer.deallocate()
    }

    /// Whether `appendVerbatim` may be used: the current term has a row on
    /// the current leaf, so the next row is written as a rowid delta.
    var canAppendVerbatim: Bool { !firstRowidInPage && !firstRowidInDoclist }

    /// How many bytes of rows fit on the current leaf without any of them
    /// starting a new one.
    var room: Int { pageSize - page.count - footer.count }

    /// Appends rows encoded as in a doclist after its first row (rowid
    /// delta, size field, positions), which must be fewer than `room` bytes
    /// and follow the last row appended: the bytes `appendRow` would write
    /// for each of them. `lastRowid` is the last row's rowid.
    mutating func appendVerbatim(_ rows: UnsafeBufferPointer<UInt8>, lastRowid: Int64) {
        precondition(canAppendVerbatim && rows.count < room)
        page.append(rows)
        previousRowid = lastRowid
    }

    /// Starts the doclist of `term` (which must sort after every term
    /// appended before it).
    mutating func appendTerm(_ term: UnsafeBufferPointer<UInt8>) throws {
        if leavesThisStep > Self.optimizeStepLeaves { try endStep() }
        let shared = min(lastTerm.count, term.count)
        if page.count + footer.count + term.count + 2 >= pageSize, page.count > 4 {
            try flushLeaf()
        }
        footer.appendVarint(UInt64(page.count - previousTermOffset))
        previousTermOffset = page.count

        var prefix = 0
        if firstTermInPage {
            if pageNumber != 1 {
                // The b-tree key of this leaf: the shortest prefix of the term
                // that sorts after the previous term.
                let keyLength = lastTerm.isEmpty ? term.count : 1 + commonPrefix(shared, term)
                try flushBtree()
                btreeTerm = Array(term[..<keyLength])
                btreePage = pageNumber
            }
        } else {
            prefix = commonPrefix(shared, term)
            page.appendVarint(UInt64(prefix))
        }
        page.appendVarint(UInt64(term.count - prefix))
        page.append(UnsafeBufferPointer(rebasing: term[prefix...]))

        lastTerm.removeAll(keepingCapacity: true)
        lastTerm.append(contentsOf: term)
        firstTermInPage = false
        firstRowidInPage = false
        firstRowidInDoclist = true
        doclistIndex[0].page = pageNumber
    }

    /// Appends a row of the current term's doclist and its position list
    /// (`sizeField`: the list's size in bytes times two, as FTS5 stores it).
    mutating func appendRow(_ rowid: Int64, sizeField: UInt64, positions: UnsafeBufferPointer<UInt8>) throws {
        if page.count + footer.count >= pageSize { try flushLeaf() }
        if firstRowidInPage {
            putUInt16(page.count, at: 0)
            try appendToDoclistIndex(rowid)
        }
        if firstRowidInDoclist || firstRowidInPage {
            page.appendVarint(UInt64(bitPattern: rowid))
        } else {
            page.appendVarint(UInt64(bitPattern: rowid &- previousRowid))
        }
        previousRowid = rowid
        firstRowidInDoclist = false
        firstRowidInPage = false

        page.appendVarint(sizeField)
        var rest = positions
        while page.count + footer.count + rest.count >= pageSize {
            // Whole varints up to at least the space left; the leaf may end a
            // few bytes past `pageSize`, as FTS5's do.
            let wanted = pageSize - page.count - footer.count
            var taken = 0
            while taken < wanted { taken += SQLiteVarint.length(at: rest.baseAddress! + taken) }
            page.append(UnsafeBufferPointer(rebasing: rest[..<taken]))
            rest = UnsafeBufferPointer(rebasing: rest[taken...])
            try flushLeaf()
        }
        if !rest.isEmpty { page.append(rest) }
    }

    /// Writes what is pending; returns the number of leaves (0: the segment
    /// is empty and nothing was written).
    mutating func finish() throws -> Int {
        if page.count > 4 { try flushLeaf() }
        let leaves = pageNumber - 1
        if pageNumber > 1 { try flushBtree() }
        return leaves
    }

    /// Ends one of `optimize`'s steps: what `fts5WriteFinish` writes, then
    /// the state of a writer that continues the segment.
    private mutating func endStep() throws {
        if page.count > 4 { try flushLeaf() }
        try flushBtree()
        lastTerm.removeAll(keepingCapacity: true)
        doclistIndex = [DoclistIndexLevel()]
        emptyPages = 0
        firstRowidInPage = false
        leavesThisStep = 0
    }

    private func commonPrefix(_ limit: Int, _ term: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        while i < limit, lastTerm[i] == term[i] { i += 1 }
        return i
    }

    private mutating func putUInt16(_ value: Int, at offset: Int) {
        page.bytes[offset] = UInt8(truncatingIfNeeded: value >> 8)
        page.bytes[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    private mutating func flushLeaf() throws {
        putUInt16(page.count, at: 2)
        if firstTermInPage {
            // A leaf without a term: one more page the doclist index covers.
            if firstRowidInPage, !doclistIndex[0].buffer.isEmpty {
                SQLiteVarint.append(0, to: &doclistIndex[0].buffer)
            }
            emptyPages += 1
        } else {
            page.append(footer.contents)
        }
        try sink.writeBlock(Self.blockID(segment: segment, page: pageNumber), page.contents)
        page.count = 0
        page.append(contentsOf: [0, 0, 0, 0])
        footer.count = 0
        previousTermOffset = 0
        pageNumber += 1
        leavesThisStep += 1
        firstTermInPage = true
        firstRowidInPage = true
    }

    /// Writes the `%_idx` entry of the leaf `btreePage`, and the doclist
    /// index of the doclist that ended before it if that is long enough.
    private mutating func flushBtree() throws {
        guard btreePage != 0 else { return }
        let flag = try flushDoclistIndex()
        try btreeTerm.withUnsafeBufferPointer {
            try sink.writeIndexEntry($0, Int64(btreePage) << 1 | (flag ? 1 : 0))
        }
        btreePage = 0
    }

    private mutating func flushDoclistIndex() throws -> Bool {
        let write = !doclistIndex[0].buffer.isEmpty && emptyPages >= Self.minimumEmptyPagesForIndex
        for height in doclistIndex.indices {
            if doclistIndex[height].buffer.isEmpty { break }
            if write {
                let level = doclistIndex[height]
                try level.buffer.withUnsafeBufferPointer {
                    try sink.writeBlock(Self.blockID(segment: segment, doclistIndex: true, height: height, page: level.page), $0)
                }
            }
            doclistIndex[height].buffer.removeAll(keepingCapacity: true)
            doclistIndex[height].previousValid = false
        }
        emptyPages = 0
        return write
    }

    /// `rowid` is the first on the leaf being filled: it goes into the
    /// doclist index, whose full nodes are written and pushed up a level.
    private mutating func appendToDoclistIndex(_ rowid: Int64) throws {
        var height = 0
        var done = false
        while !done {
            if doclistIndex[height].buffer.count >= pageSize {
                doclistIndex[height].buffer[0] = 0x01  // not the root
                let full = doclistIndex[height]
                try full.buffer.withUnsafeBufferPointer {
                    try sink.writeBlock(Self.blockID(segment: segment, doclistIndex: true, height: height, page: full.page), $0)
                }
                if doclistIndex.count < height + 2 { doclistIndex.append(DoclistIndexLevel()) }
                if doclistIndex[height + 1].buffer.isEmpty {
                    // This was the root: its first rowid goes up to the new root.
                    let first = Self.firstRowid(ofIndexNode: full.buffer)
                    doclistIndex[height + 1].page = full.page
                    SQLiteVarint.append(0, to: &doclistIndex[height + 1].buffer)
                    SQLiteVarint.append(UInt64(full.page), to: &doclistIndex[height + 1].buffer)
                    SQLiteVarint.append(UInt64(bitPattern: first), to: &doclistIndex[height + 1].buffer)
                    doclistIndex[height + 1].previousValid = true
                    doclistIndex[height + 1].previous = first
                }
                doclistIndex[height].buffer.removeAll(keepingCapacity: true)
                doclistIndex[height].previousValid = false
                doclistIndex[height].page += 1
            } else {
                done = true
            }

            let value: Int64
            if doclistIndex[height].previousValid {
                value = rowid &- doclistIndex[height].previous
            } else {
                let childPage = height == 0 ? pageNumber : doclistIndex[height - 1].page
                SQLiteVarint.append(done ? 0 : 1, to: &doclistIndex[height].buffer)
                SQLiteVarint.append(UInt64(childPage), to: &doclistIndex[height].buffer)
                value = rowid
            }
            SQLiteVarint.append(UInt64(bitPattern: value), to: &doclistIndex[height].buffer)
            doclistIndex[height].previousValid = true
            doclistIndex[height].previous = rowid
            height += 1
        }
    }

    private static func firstRowid(ofIndexNode node: [UInt8]) -> Int64 {
        node.withUnsafeBufferPointer { p in
            var offset = 1
            _ = SQLiteVarint.read(p.baseAddress!, &offset)
            return Int64(bitPattern: SQLiteVarint.read(p.baseAddress!, &offset))
        }
    }
}

/// A byte buffer that grows by doubling and is freed explicitly.
struct ByteBuffer {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
    }

    func deallocate() { bytes.deallocate() }

    var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: count) }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(count + extra, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = moved
        capacity = grown
    }

    @inline(__always)
    mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, !source.isEmpty else { return }
        reserve(source.count)
        (bytes + count).update(from: base, count: source.count)
        count += source.count
    }

    mutating func append(contentsOf source: [UInt8]) {
        source.withUnsafeBufferPointer { append($0) }
    }

    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        reserve(9)
        count += SQLiteVarint.put(value, bytes + count)
    }
}
