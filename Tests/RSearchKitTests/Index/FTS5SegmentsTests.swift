import Foundation
import GRDB
import Testing
@testable import RSearchKit

/// Joining FTS5 tables built apart (`FTS5Segments`, `FTSShard`), against the
/// independent truth of one table built from the same rows in one piece:
/// SQLite's own `integrity-check` (which re-tokenizes every row of the
/// content table and compares it with the index), and every query's rows
/// and bm25 scores.
@Suite struct FTS5SegmentsTests {
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
    /// table indexing `indexed`, written with tiny in-memory and page
    /// budgets so that even this small corpus makes several levels of
    /// segments and doclist indexes.
    static func makeTable(_ url: URL, content: [Section], indexed: [Section]) throws {
        let queue = try IndexBuilder.openForWriting(url)
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE TABLE section (id INTEGER PRIMARY KEY, heading TEXT NOT NULL, text TEXT NOT NULL)")
            try Schema.createFTS(db)
            try Schema.beginBulkLoad(db)
            try db.execute(sql: "INSERT INTO section_fts(section_fts, rank) VALUES('hashsize', 16384)")
            try db.execute(sql: "INSERT INTO section_fts(section_fts, rank) VALUES('crisismerge', 8)")
            try db.execute(sql: "INSERT INTO section_fts(section_fts, rank) VALUES('pgsz', 256)")
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

    static func structure(_ db: Database) throws -> FTS5Segments.Structure {
        try FTS5Segments.Structure([UInt8](try Data.fetchOne(db, sql: "SELECT block FROM section_fts_data WHERE id = 10")!))
    }

    /// Phrases cut from the sections' own text: 1 to 4 characters, so
    /// common and rare bigrams, long doclists and short ones.
    static func phrases(_ sections: [Section], count: Int) -> [String] {
        var rng = SystemRandomNumberGenerator()
        var result: [String] = []
        while result.count < count {
            let scalars = Array(sections.randomElement(using: &rng)!.text.unicodeScalars)
            guard scalars.count > 8 else { continue }
            let start = Int.random(in: 0..<(scalars.count - 4), using: &rng)
            let length = Int.random(in: 1...4, using: &rng)
            let phrase = String(String.UnicodeScalarView(scalars[start..<(start + length)]))
            guard phrase.unicodeScalars.allSatisfy({ CharacterClass.isHan($0.value) }) else { continue }
            result.append(phrase)
        }
        return result
    }

    static func answers(_ db: Database, _ phrase: String) throws -> [String] {
        try Row.fetchAll(db, sql: """
            SELECT rowid, bm25(section_fts, 2.0, 1.0) FROM section_fts WHERE section_fts MATCH ? ORDER BY rowid
            """, arguments: ["\"\(phrase)\""]).map { "\($0[0] as Int64):\($0[1] as Double)" }
    }

    static func integrityCheck(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO section_fts(section_fts) VALUES('integrity-check')")
    }

    @Test func twoHalvesJoinedAnswerAsOneTable() throws {
        let sections = try Self.sections()
        let dir = Fixtures.temporaryDirectory("rsearch-segments")
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole.sqlite")
        let joined = dir.appendingPathComponent("joined.sqlite")
        let half = dir.appendingPathComponent("half.sqlite")
        // Interleaved, not two ranges: the builder gives each writer whole
        // files in turn.
        let second = sections.filter { $0.id % 3 == 1 }
        try Self.makeTable(whole, content: sections, indexed: sections)
        try Self.makeTable(joined, content: sections, indexed: sections.filter { $0.id % 3 != 1 })
        try Self.makeTable(half, content: [], indexed: second)

        let before = try DatabaseQueue(path: half.path, configuration: IndexDatabase.configuration(readonly: false))
        try before.read { db in
            let levels = try Self.structure(db).levels.filter { !$0.isEmpty }
            #expect(levels.count >= 2, "the test should join segments on several levels: \(levels.count)")
            let doclistIndexes = try Int.fetchOne(db, sql: "SELECT count(*) FROM section_fts_data WHERE (id >> 36) & 1")!
            #expect(doclistIndexes > 0, "the test should copy doclist-index pages")
        }
        try before.close()

        let queue = try DatabaseQueue(path: joined.path, configuration: IndexDatabase.configuration(readonly: false))
        let reference = try DatabaseQueue(path: whole.path, configuration: IndexDatabase.configuration(readonly: false))
        try queue.inDatabase { db in
            let own = try Self.structure(db).levels.joined().count
            try FTS5Segments.append(table: "section_fts", from: half, into: db)
            let after = try Self.structure(db)
            #expect(after.levels.joined().count > own)
            #expect(Set(after.levels.joined().map(\.id)).count == after.levels.joined().count, "segment ids unique")
            try Self.integrityCheck(db)
        }
        let phrases = Self.phrases(sections, count: 300)
        for merged in [false, true] {
            if merged {
                try queue.inDatabase { db in
                    try Schema.finishBulkLoad(db)
                    try Self.integrityCheck(db)
                    #expect(try Self.structure(db).levels.joined().count == 1)
                }
            }
            for phrase in phrases {
                let expected = try reference.read { try Self.answers($0, phrase) }
                let got = try queue.read { try Self.answers($0, phrase) }
                let first = got.indices.first { $0 < expected.count && got[$0] != expected[$0] }.map { "\(got[$0]) for \(expected[$0])" }
                #expect(got == expected, "\(phrase) \(merged ? "after optimize" : "as joined"): \(got.count) rows for \(expected.count), \(first ?? "")")
            }
        }
        let rows = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM section_fts_docsize")! }
        #expect(rows == sections.count)
    }

    /// A table that was never written (a one-file corpus leaves the second
    /// writer nothing) joins as nothing, either way round.
    @Test func anEmptyTableJoinsAsNothing() throws {
        let sections = Array(try Self.sections().prefix(50))
        let dir = Fixtures.temporaryDirectory("rsearch-segments")
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = dir.appendingPathComponent("whole.sqlite")
        try Self.makeTable(whole, content: sections, indexed: sections)
        for emptyFirst in [false, true] {
            let full = dir.appendingPathComponent("full-\(emptyFirst).sqlite")
            let empty = dir.appendingPathComponent("empty-\(emptyFirst).sqlite")
            try Self.makeTable(full, content: sections, indexed: sections)
            try Self.makeTable(empty, content: sections, indexed: [])
            let (target, source) = emptyFirst ? (empty, full) : (full, empty)
            let queue = try DatabaseQueue(path: target.path, configuration: IndexDatabase.configuration(readonly: false))
            try queue.inDatabase { db in
                try FTS5Segments.append(table: "section_fts", from: source, into: db)
                try Self.integrityCheck(db)
            }
            let reference = try DatabaseQueue(path: whole.path, configuration: IndexDatabase.configuration(readonly: false))
            for phrase in Self.phrases(sections, count: 50) {
                let expected = try reference.read { try Self.answers($0, phrase) }
                #expect(try queue.read { try Self.answers($0, phrase) } == expected, "\(phrase), empty first: \(emptyFirst)")
            }
        }
    }

    /// A corpus of one file gives the second writer nothing; its index must
    /// rank as any other (a first version lost the row count and token
    /// totals in the join, and every ranked search failed).
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
        let dir = Fixtures.temporaryDirectory("rsearch-segments")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("levels.sqlite")
        let sections = try Self.sections()
        try Self.makeTable(url, content: [], indexed: sections)
        let queue = try DatabaseQueue(path: url.path, configuration: IndexDatabase.configuration(readonly: false))
        for db in [index.queue, queue] {
            try db.read { db in
                let bytes = [UInt8](try Data.fetchOne(db, sql: "SELECT block FROM section_fts_data WHERE id = 10")!)
                #expect(try FTS5Segments.Structure(bytes).encoded == bytes)
                let totals = [UInt8](try Data.fetchOne(db, sql: "SELECT block FROM section_fts_data WHERE id = 1")!)
                #expect(Varint.encode(try Varint.decodeAll(totals)) == totals)
                #expect(try Varint.decodeAll(totals).count == 3, "rows, then the tokens of each of two columns")
            }
        }
    }

    @Test func varintsRoundTripAtEveryWidth() throws {
        #expect(Varint.encode([0, 127, 128, 300]) == [0x00, 0x7f, 0x81, 0x00, 0x82, 0x2c])
        var values: [UInt64] = [0, .max, 1 << 56, (1 << 56) - 1]
        for bits in 1...63 { values += [1 << UInt64(bits), (1 << UInt64(bits)) - 1, (1 << UInt64(bits)) + 1] }
        for value in values {
            let bytes = Varint.encode([value])
            #expect(bytes.count == (value >> 56 != 0 ? 9 : max(1, (64 - value.leadingZeroBitCount + 6) / 7)))
            #expect(try Varint.decodeAll(bytes) == [value], "\(value)")
        }
    }

    /// A full build gives both writers sections, joins them into one
    /// segment that passes SQLite's check, and leaves no file behind.
    @Test func aBuildSplitsTheIndexingAndJoinsIt() throws {
        let dir = Fixtures.temporaryDirectory("rsearch-segments")
        defer { try? FileManager.default.removeItem(at: dir) }
        let destination = dir.appendingPathComponent("rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: Fixtures.shippedCorpus), destination: destination).build()
        #expect(summary.sectionsIndexedBySecondWriter > summary.sections / 4)
        #expect(summary.sectionsIndexedBySecondWriter < summary.sections * 3 / 4)
        let index = try IndexDatabase(path: destination)
        try index.queue.read { (db: Database) throws in
            #expect(try Self.structure(db).levels.joined().count == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM section_fts_docsize") == summary.sections)
        }
        try index.queue.inDatabase { db in
            try db.execute(sql: "PRAGMA query_only = 0")
            try Self.integrityCheck(db)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.sorted() == ["rsearch.sqlite", "rsearch.sqlite.lock"], "\(files)")
    }
}
