import Foundation
import GRDB
import Testing
@testable import RSearchDocuments
@testable import RSearchStore

/// A full build's full-text index written without FTS5's insert path
/// (`FTS5BulkLoad`, `FTS5SegmentWriter`), against an independent truth: the
/// same rows inserted into FTS5 and merged by its own `optimize` must give
/// the same `%_data` pages, `%_idx` entries, row sizes and totals, byte for
/// byte; and SQLite's `integrity-check` (which re-tokenizes every row of the
/// content table and looks each token up in the index) must pass.
@Suite struct FTS5BulkLoadTests {
    struct Section {
        var id: Int64
        var heading: String
        var text: String
    }

    /// The shipped corpus's sections, as a build stores them.
    static func sections() throws -> [Section] {
        let index = try Fixtures.shippedIndex.get()
        return try index.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, heading, text FROM section ORDER BY id").map {
                Section(id: $0[0], heading: $0[1], text: $0[2])
            }
        }
    }

    /// A database with the content table holding `content` and an FTS5
    /// table with leaves of `pageSize` bytes indexing `indexed` through
    /// FTS5, with a tiny in-memory budget so that it writes many segments.
    static func makeTable(_ url: URL, content: [Section], indexed: [Section], pageSize: Int = 4050) throws {
        let queue = try IndexBuilder.openForWriting(url)
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE section (id INTEGER PRIMARY KEY, heading TEXT NOT NULL, text TEXT NOT NULL)")
            try Schema.createFTS(db)
            try db.execute(sql: "INSERT INTO section_fts(section_fts, rank) VALUES('automerge', 0)")
            try db.execute(sql: "INSERT INTO section_fts(section_fts, rank) VALUES('hashsize', 16384)")
            try db.execute(sql: "INSERT INTO section_fts(section_fts, rank) VALUES('crisismerge', 8)")
            try db.execute(sql: "INSERT INTO section_fts(section_fts, rank) VALUES('pgsz', ?)", arguments: [pageSize])
            try db.inTransaction {
                for s in content {
                    try db.execute(sql: "INSERT INTO section (id, heading, text) VALUES (?, ?, ?)",
                                   arguments: [s.id, s.heading, s.text])
                }
                for s in indexed {
                    try db.execute(sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)",
                                   arguments: [s.id, s.heading, s.text])
                }
                return .commit
            }
        }
        try queue.close()
    }

    /// Loads `sections` into the (empty) table at `url` with a bulk load
    /// whose runs hold at most `occurrencesPerRun` tokens.
    static func bulkLoad(_ url: URL, _ sections: [Section], occurrencesPerRun: Int) throws {
        let bulk = try FTS5BulkLoad(runsPath: url.appendingPathExtension("runs"), occurrencesPerRun: occurrencesPerRun)
        defer { bulk.discard() }
        for chunk in stride(from: 0, to: sections.count, by: 37) {
            bulk.add(sections[chunk..<min(chunk + 37, sections.count)].map {
                FTS5BulkLoad.SectionText(id: $0.id, heading: $0.heading, text: $0.text)
            })
        }
        let queue = try IndexBuilder.openForWriting(url)
        try queue.inDatabase { db in try bulk.write(into: db) }
        try queue.close()
    }

    /// Removes `removing` and adds `adding` at `url`, the content table
    /// and the index in one transaction, as an update does.
    static func bulkUpdate(_ url: URL, removing: [Section], adding: [Section], occurrencesPerRun: Int) throws {
        let bulk = try FTS5BulkLoad(runsPath: url.appendingPathExtension("runs"), occurrencesPerRun: occurrencesPerRun)
        defer { bulk.discard() }
        func rows(_ sections: [Section]) -> [FTS5BulkLoad.SectionText] {
            sections.map { FTS5BulkLoad.SectionText(id: $0.id, heading: $0.heading, text: $0.text) }
        }
        bulk.remove(rows(removing))
        bulk.add(rows(adding))
        try Self.open(url).inDatabase { db in
            try db.inTransaction {
                for s in removing { try db.execute(sql: "DELETE FROM section WHERE id = ?", arguments: [s.id]) }
                for s in adding {
                    try db.execute(sql: "INSERT INTO section (id, heading, text) VALUES (?, ?, ?)",
                                   arguments: [s.id, s.heading, s.text])
                }
                try bulk.write(into: db)
                return .commit
            }
        }
    }

    /// The same change through FTS5 itself.
    static func fts5Update(_ url: URL, removing: [Section], adding: [Section]) throws {
        try Self.open(url).inDatabase { db in
            try db.inTransaction {
                for s in removing {
                    try db.execute(sql: "INSERT INTO section_fts (section_fts, rowid, heading, text) VALUES ('delete', ?, ?, ?)",
                                   arguments: [s.id, s.heading, s.text])
                    try db.execute(sql: "DELETE FROM section WHERE id = ?", arguments: [s.id])
                }
                for s in adding {
                    try db.execute(sql: "INSERT INTO section (id, heading, text) VALUES (?, ?, ?)",
                                   arguments: [s.id, s.heading, s.text])
                    try db.execute(sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)",
                                   arguments: [s.id, s.heading, s.text])
                }
                return .commit
            }
        }
    }

    /// What the index says, whatever its segments: every token instance
    /// (term, row, column, position) as FTS5 reads them through all
    /// segments and delete markers, and the row sizes and totals.
    static func logicalContents(_ url: URL) throws -> (instances: [String], sizes: [Int64: Data], averages: [UInt64]) {
        try Self.open(url).inDatabase { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, section_fts, instance)")
            var instances: [String] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT term, doc, col, offset FROM temp.vocab")
            while let row = try rows.next() {
                instances.append("\(row[0] as String) \(row[1] as Int64) \(row[2] as String) \(row[3] as Int64)")
            }
            var sizes: [Int64: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, sz FROM section_fts_docsize") { sizes[row[0]] = row[1] }
            return (instances, sizes, try FTS5Segments.averages(db, table: "section_fts"))
        }
    }

    static func structure(_ db: Database) throws -> FTS5Segments.Structure {
        try FTS5Segments.Structure([UInt8](try Data.fetchOne(db, sql: "SELECT block FROM section_fts_data WHERE id = 10")!))
    }

    /// Everything of the index but the segment ids, which FTS5 allocates
    /// as it merges: each page by its number, doclist-index flag and height.
    struct Contents: Equatable {
        var pages: [Int64: Data]
        var entries: [String]
        var sizes: [Int64: Data]
        var averages: Data
    }

    static func contents(_ db: Database) throws -> Contents {
        var pages: [Int64: Data] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, block FROM section_fts_data WHERE id >= (1 << 37)") {
            pages[(row[0] as Int64) & ((1 << 37) - 1)] = row[1]
        }
        let entries = try Row.fetchAll(db, sql: "SELECT hex(term), pgno FROM section_fts_idx ORDER BY term").map {
            "\($0[0] as String):\($0[1] as Int64)"
        }
        var sizes: [Int64: Data] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, sz FROM section_fts_docsize") { sizes[row[0]] = row[1] }
        let averages = try Data.fetchOne(db, sql: "SELECT block FROM section_fts_data WHERE id = 1") ?? Data()
        return Contents(pages: pages, entries: entries, sizes: sizes, averages: averages)
    }

    static func integrityCheck(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO section_fts(section_fts) VALUES('integrity-check')")
    }

    static func open(_ url: URL) throws -> DatabaseQueue {
        try DatabaseQueue(path: url.path, configuration: IndexDatabase.configuration(readonly: false))
    }

    /// Tiny pages make the shipped corpus's common bigrams span hundreds of
    /// leaves (doclist indexes two levels deep) and its long sections'
    /// position lists span several; FTS5's default page size is what builds
    /// use. Small runs make every term's doclist a concatenation of many.
    @Test(arguments: [(64, 3_000), (4050, 3_000), (4050, 4 << 20)])
    func theSegmentIsTheOneFTS5Optimizes(pageSize: Int, occurrencesPerRun: Int) throws {
        var sections = try Self.sections()
        // Characters beyond the Basic Multilingual Plane take the radix
        // sort's longer path for their batch.
        sections.append(Section(id: sections.last!.id + 1, heading: "𠀀𠀁 篇",
                                text: "𠀀𠀁𪚥𠀀，“龘”與𠀁𪚥并见ＡＢＣ１２"))
        let dir = Fixtures.temporaryDirectory("rsearch-bulk")
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = dir.appendingPathComponent("fts5.sqlite")
        let loaded = dir.appendingPathComponent("bulk.sqlite")
        try Self.makeTable(reference, content: sections, indexed: sections, pageSize: pageSize)
        try Self.makeTable(loaded, content: sections, indexed: [], pageSize: pageSize)
        try Self.bulkLoad(loaded, sections, occurrencesPerRun: occurrencesPerRun)

        let expected = try Self.open(reference).inDatabase { db -> Contents in
            #expect(try Self.structure(db).levels.joined().count > 1, "FTS5 should have segments to merge")
            try db.execute(sql: "INSERT INTO section_fts(section_fts) VALUES('optimize')")
            #expect(try Self.structure(db).levels.joined().count == 1)
            if pageSize == 64 {
                let deepest = try Int.fetchOne(db, sql: "SELECT max((id >> 31) & 31) FROM section_fts_data WHERE (id >> 36) & 1 = 1")
                #expect(deepest == 1, "the test should cover doclist indexes of two levels")
            }
            return try Self.contents(db)
        }
        try Self.open(loaded).inDatabase { db in
            let got = try Self.contents(db)
            #expect(got.pages.count == expected.pages.count)
            let differing = expected.pages.keys.sorted().filter { got.pages[$0] != expected.pages[$0] }
            #expect(differing.isEmpty, "\(differing.count) pages differ, first \(differing.first.map { String($0, radix: 16) } ?? "")")
            #expect(got.entries == expected.entries)
            #expect(got.sizes == expected.sizes)
            #expect(got.averages == expected.averages)
            #expect(try Self.structure(db).levels.joined().count == 1)
            try Self.integrityCheck(db)
        }
    }

    /// An update's segment (delete markers for the rows removed, postings
    /// for those added) on top of the others, round after round, against
    /// the same changes made through FTS5: the index must read the same,
    /// token instance by token instance, pass `integrity-check`, and stay
    /// as few segments as FTS5's merging keeps it (small pages, so that
    /// the rounds' segments are large enough to be merged, some of them
    /// part way when the next round comes).
    @Test func updatesAddSegmentsThatReadAsFTS5Would() throws {
        let all = try Self.sections()
        let dir = Fixtures.temporaryDirectory("rsearch-bulk")
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = dir.appendingPathComponent("fts5.sqlite")
        let loaded = dir.appendingPathComponent("bulk.sqlite")
        var live = Array(all.prefix(400))
        try Self.makeTable(reference, content: live, indexed: live, pageSize: 128)
        try Self.makeTable(loaded, content: live, indexed: [], pageSize: 128)
        try Self.bulkLoad(loaded, live, occurrencesPerRun: 1 << 20)

        var generator = SeededGenerator(seed: 0x5E6_0008)
        var nextID = live.last!.id + 1
        var sawMerge = false
        for round in 0..<8 {
            var removing = Array(live.shuffled(using: &generator).prefix(30 + round * 5)).sorted { $0.id < $1.id }
            if round == 0 { removing = [] }  // additions alone
            let removed = Set(removing.map(\.id))
            var adding = all.shuffled(using: &generator).prefix(round == 7 ? 0 : 40).map {
                defer { nextID += 1 }
                return Section(id: nextID, heading: $0.heading, text: $0.text)
            }
            if round == 3 { adding.append(Section(id: nextID, heading: "", text: "，。")) }  // a row without tokens
            nextID += 1
            try Self.fts5Update(reference, removing: removing, adding: adding)
            try Self.bulkUpdate(loaded, removing: removing, adding: adding, occurrencesPerRun: round % 2 == 0 ? 2_000 : 1 << 20)
            live = live.filter { !removed.contains($0.id) } + adding

            let expected = try Self.logicalContents(reference), got = try Self.logicalContents(loaded)
            // The first difference, not `==`: the testing library's diff
            // of two arrays this long would take minutes.
            let differ = zip(got.instances, expected.instances).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(got.instances.count == expected.instances.count && differ == nil,
                    "round \(round): \(got.instances.count) instances, \(expected.instances.count) expected; first difference: \(differ.map { "\(got.instances[$0]) for \(expected.instances[$0])" } ?? "none")")
            #expect(got.sizes == expected.sizes, "round \(round)")
            #expect(got.averages == expected.averages, "round \(round)")
            try Self.open(loaded).inDatabase { db in
                try Self.integrityCheck(db)
                let structure = try Self.structure(db)
                #expect(structure.levels.joined().count <= 6, "round \(round): \(structure.levels.map(\.count))")
                if structure.levels.joined().count < round + 2 || structure.merging.contains(where: { $0 > 0 }) { sawMerge = true }
            }
        }
        #expect(sawMerge, "the rounds should make FTS5 merge the segments")
    }

    /// No rows, or rows without a token: no segment, and FTS5 still
    /// counts the rows.
    @Test func rowsWithoutTokensMakeNoSegment() throws {
        let dir = Fixtures.temporaryDirectory("rsearch-bulk")
        defer { try? FileManager.default.removeItem(at: dir) }
        for sections in [[], [Section(id: 1, heading: "", text: "，。"), Section(id: 5, heading: "", text: "")]] {
            let url = dir.appendingPathComponent("empty-\(sections.count).sqlite")
            try Self.makeTable(url, content: sections, indexed: [])
            try Self.bulkLoad(url, sections, occurrencesPerRun: 100)
            try Self.open(url).inDatabase { db in
                #expect(try Self.structure(db).levels.joined().isEmpty)
                #expect(try FTS5Segments.averages(db, table: "section_fts") == [UInt64(sections.count), 0, 0])
                try Self.integrityCheck(db)
            }
        }
    }

    /// A corpus of one file builds an index that ranks (a first version of
    /// the two-writer build lost the row count and token totals, and every
    /// ranked search failed).
    @Test func aOneFileCorpusBuildsAndRanks() throws {
        let searcher = try Fixtures.smallIndex("rsearch-one-file") { corpus in
            try "一份报告\n一、主要工作\n加强意识形态工作，落实意识形态工作责任制。\n".write(
                to: corpus.appendingPathComponent("报告.txt"), atomically: true, encoding: .utf8)
        }
        for query in ["意识形态", "意", "工作 责任制"] {
            let result = try searcher.search(query)
            #expect(result.total == 1, "\(query)")
            #expect(result.hits.first.map { $0.score.isFinite && $0.score > 0 } == true, "\(query)")
        }
    }

    /// Records as SQLite wrote them read back and write out byte for byte.
    @Test func structureRecordsRoundTrip() throws {
        let index = try Fixtures.shippedIndex.get()
        let dir = Fixtures.temporaryDirectory("rsearch-bulk")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("levels.sqlite")
        try Self.makeTable(url, content: [], indexed: try Self.sections(), pageSize: 256)
        for db in [index.queue, try Self.open(url)] {
            try db.read { db in
                let bytes = [UInt8](try Data.fetchOne(db, sql: "SELECT block FROM section_fts_data WHERE id = 10")!)
                #expect(try FTS5Segments.Structure(bytes).encoded == bytes)
                let totals = [UInt8](try Data.fetchOne(db, sql: "SELECT block FROM section_fts_data WHERE id = 1")!)
                #expect(SQLiteVarint.encode(try SQLiteVarint.decodeAll(totals)) == totals)
                #expect(try SQLiteVarint.decodeAll(totals).count == 3, "rows, then the tokens of each of two columns")
            }
        }
    }

    @Test func varintsRoundTripAtEveryWidth() throws {
        #expect(SQLiteVarint.encode([0, 127, 128, 300]) == [0x00, 0x7f, 0x81, 0x00, 0x82, 0x2c])
        var values: [UInt64] = [0, .max, 1 << 56, (1 << 56) - 1]
        for bits in 1...63 { values += [1 << UInt64(bits), (1 << UInt64(bits)) - 1, (1 << UInt64(bits)) + 1] }
        for value in values {
            let bytes = SQLiteVarint.encode([value])
            #expect(bytes.count == (value >> 56 != 0 ? 9 : max(1, (64 - value.leadingZeroBitCount + 6) / 7)))
            #expect(try SQLiteVarint.decodeAll(bytes) == [value], "\(value)")
            #expect(bytes.withUnsafeBufferPointer { SQLiteVarint.length(at: $0.baseAddress!) } == bytes.count)
            var put = [UInt8](repeating: 0, count: 9)
            let length = put.withUnsafeMutableBufferPointer { SQLiteVarint.put(value, $0.baseAddress!) }
            #expect(Array(put[..<length]) == bytes, "\(value)")
        }
        #expect(throws: FTS5SegmentsError.self) { try SQLiteVarint.decodeAll([0x81, 0x80]) }
    }

    /// A full build writes one segment that passes SQLite's check, leaves
    /// no free pages (nothing was merged away) and no file behind; an
    /// update then adds a segment of its own.
    @Test func aBuildWritesOneSegmentThatUpdatesExtend() throws {
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-bulk-build")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.shippedCorpus.path) {
            try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(name),
                                             to: corpus.appendingPathComponent(name))
        }
        let destination = root.appendingPathComponent("index/rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: destination)
        let summary = try builder.build()
        try Self.open(destination).inDatabase { db in
            #expect(try Self.structure(db).levels.joined().count == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM section_fts_docsize") == summary.sections)
            #expect(try Int.fetchOne(db, sql: "PRAGMA freelist_count") == 0)
            try Self.integrityCheck(db)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: destination.deletingLastPathComponent().path)
        #expect(files.sorted() == ["rsearch.sqlite", "rsearch.sqlite.lock"], "\(files)")

        try "新增报告\n一、主要工作\n筑牢意识形态根基，落实意识形态工作责任制。\n".write(
            to: corpus.appendingPathComponent("新增.txt"), atomically: true, encoding: .utf8)
        #expect(try builder.update().added == 1)
        try Self.open(destination).inDatabase { db in
            #expect(try Self.structure(db).levels.joined().count == 2)
            try Self.integrityCheck(db)
        }
        let searcher = Searcher(index: try IndexDatabase(path: destination))
        #expect(try searcher.search("落实意识形态工作责任制").hits.contains { $0.report.path == "新增.txt" })
    }
}
