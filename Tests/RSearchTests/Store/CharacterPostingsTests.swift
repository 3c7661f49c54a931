import Foundation
import GRDB
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchStore

/// The character postings against the text they count: every live
/// section's occurrences of each kept character, counted by brute force on
/// its folded heading and text, must be exactly what `char_posting` holds for
/// it, after a build and after each of several updates; removed sections'
/// postings may remain only within the bound compaction keeps.
@Suite struct CharacterPostingsTests {
    typealias Counts = [UInt16: [Int64: (heading: UInt32, text: UInt32)]]

    /// character → section → counts, as stored.
    static func stored(_ index: IndexDatabase, _ table: CharacterPostings.Table) throws -> Counts {
        try index.queue.read { db in
            var result: Counts = [:]
            var previous: [UInt16: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, postings FROM \(table.postings) ORDER BY key") {
                let key: Int64 = row[0]
                let character = UInt16(key & 0xFFFF)
                let block = CharacterPostings.block(ofKey: key)
                #expect(CharacterPostings.isKept(UInt32(character)))
                (row[1] as Data).withUnsafeBytes { bytes in
                    CharacterPostings.decode(bytes, block: block) { id, heading, text in
                        #expect(id > previous[character, default: -1], "postings in rowid order")
                        #expect(CharacterPostings.block(of: id) == block, "section \(id) in its block")
                        previous[character] = id
                        result[character, default: [:]][id] = (heading, text)
                    }
                }
            }
            return result
        }
    }

    /// character → section → counts, counted on the live sections' text:
    /// Han characters of the BMP, folded as the index folds; for
    /// `.variants`, only where that folding differs from `Folding.exact`.
    static func counted(_ index: IndexDatabase, _ table: CharacterPostings.Table) throws -> Counts {
        try index.queue.read { db in
            var result: Counts = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, heading, text FROM section") {
                let id: Int64 = row[0]
                for (column, text) in [(0, row[1] as String), (1, row[2] as String)] {
                    let folded = zip(Folding.exact.scalars(text), Folding.index.scalars(text))
                        .compactMap { exact, index in table == .characters || exact != index ? index : nil }
                    for v in folded where v < 0x10000 && CharacterClass.isHan(v) {
                        let c = UInt16(v)
                        var entry = result[c, default: [:]][id] ?? (0, 0)
                        if column == 0 { entry.heading += 1 } else { entry.text += 1 }
                        result[c, default: [:]][id] = entry
                    }
                }
            }
            return result
        }
    }

    /// Stored postings of live sections equal the counts; stale ones (of
    /// removed sections) are at most the removals recorded for their block,
    /// which stay under the compaction threshold.
    static func expectCurrent(_ index: IndexDatabase, _ label: String) throws {
        for table in [CharacterPostings.Table.characters, .variants] {
            try expectCurrent(index, table, "\(label), \(table.postings)")
        }
    }

    static func expectCurrent(_ index: IndexDatabase, _ table: CharacterPostings.Table, _ label: String) throws {
        let stored = try Self.stored(index, table)
        let counted = try Self.counted(index, table)
        let (live, recorded) = try index.queue.read { db in
            (try Set(Int64.fetchAll(db, sql: "SELECT id FROM section")),
             try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT block, removed FROM \(table.blocks)")
                .map { ($0[0] as Int64, $0[1] as Int) }))
        }
        #expect(Set(stored.keys) == Set(counted.keys), "\(label): characters")
        var stale: [Int64: Set<Int64>] = [:]
        for (character, sections) in stored {
            let liveOnes = sections.filter { live.contains($0.key) }
            for id in sections.keys where !live.contains(id) { stale[CharacterPostings.block(of: id), default: []].insert(id) }
            let expected = counted[character] ?? [:]
            #expect(Set(liveOnes.keys) == Set(expected.keys), "\(label): sections of U+\(String(character, radix: 16))")
            for (id, c) in expected where liveOnes[id].map({ $0 != c }) ?? false {
                Issue.record("\(label): U+\(String(character, radix: 16)) section \(id): stored \(liveOnes[id]!), counted \(c)")
            }
        }
        for (block, ids) in stale {
            let removed = recorded[block] ?? 0
            let liveInBlock = live.filter { CharacterPostings.block(of: $0) == block }.count
            #expect(ids.count <= removed, "\(label): block \(block) has \(ids.count) removed sections' postings, \(removed) recorded")
            #expect(removed * CharacterPostingsWriter.compactionRatio < liveInBlock, "\(label): block \(block) left uncompacted")
        }
    }

    @Test func theShippedCorpusPostingsAreTheCounts() throws {
        let index = try Fixtures.shippedIndex.get()
        #expect(try Self.counted(index, .characters).count > 2_000, "thousands of characters occur in the shipped corpus")
        try Self.expectCurrent(index, "shipped corpus")
    }

    /// Rounds of replaced, removed and added files (enough removals that
    /// blocks are compacted), and in one round the files holding the largest
    /// rowids removed and others added, where SQLite would give those rowids
    /// again without `AUTOINCREMENT`.
    @Test func postingsStayTheCountsThroughUpdates() throws {
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-postings-updates")
        var rng = SeededGenerator(seed: 0xC4A2_5E11)
        let words = ["的", "第一条", "國家", "法律", "人民", "工作", "規定", "诗", "ｐｍ２.５", "应当"]
        func write(_ n: Int) throws {
            var text = "第\(n)号报告的标题\n\n"
            for h in 0..<Int.random(in: 1...5, using: &rng) {
                text += "\(h + 1)、\(words.randomElement(using: &rng)!)的情况\n\n"
                text += (0..<Int.random(in: 1...40, using: &rng)).map { _ in words.randomElement(using: &rng)! }
                    .joined(separator: "，") + "。\n\n"
            }
            try text.write(to: corpus.appendingPathComponent(String(format: "r%03d.txt", n)), atomically: true, encoding: .utf8)
        }
        for n in 0..<60 { try write(n) }
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: destination)
        _ = try builder.build()
        var next = 60
        var lastIDs: Set<Int64> = []
        var compactions = 0
        for round in 0...4 {
            if round > 0 {
                if round == 3 {
                    // The last files written hold the largest rowids.
                    let names = ((next - 5)..<next).map { String(format: "r%03d.txt", $0) }
                    lastIDs = try Set(IndexDatabase(path: destination).queue.read { db in
                        try Row.fetchAll(db, sql: """
                            SELECT s.id FROM section s JOIN report r ON r.id = s.report_id WHERE r.path IN (%@)
                            """, in: names).map { $0[0] as Int64 }
                    })
                    for name in names { try FileManager.default.removeItem(at: corpus.appendingPathComponent(name)) }
                } else {
                    for n in stride(from: round, to: next, by: 7) { try write(n) }
                    for n in stride(from: round + 2, to: next, by: 13) {
                        try? FileManager.default.removeItem(at: corpus.appendingPathComponent(String(format: "r%03d.txt", n)))
                    }
                }
                for n in next..<(next + 6) { try write(n) }
                next += 6
                _ = try builder.update()
            }
            let index = try IndexDatabase(path: destination)
            if round == 3 {
                let ids = try index.queue.read { db in try Int64.fetchSet(db, sql: "SELECT id FROM section") }
                #expect(!lastIDs.isEmpty && ids.isDisjoint(with: lastIDs), "rowids are never given again")
            }
            compactions += try index.queue.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM char_posting_block WHERE removed = 0") ?? 0
            }
            try Self.expectCurrent(index, "round \(round)")
            #expect(try !Self.stored(index, .variants).isEmpty, "國 and 規 are traditional forms")
        }
        #expect(compactions > 0, "some update compacted a block")
    }

    /// The writer on its own, with a tiny flush threshold so that blocks are
    /// written early, against a plain dictionary of the live sections.
    @Test func theWriterKeepsLivePostingsExactAndStaleOnesBounded() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE section (id INTEGER PRIMARY KEY);
                CREATE TABLE char_posting (key INTEGER PRIMARY KEY, postings BLOB NOT NULL);
                CREATE TABLE char_posting_block (block INTEGER PRIMARY KEY, removed INTEGER NOT NULL);
                """)
        }
        var rng = SeededGenerator(seed: 0xF1_05E5)
        // A few characters, so that sections share rows.
        let characters: [UInt16] = [0x3400, 0x4E00, 0x6CD5, 0x7684, 0x9F98]
        func randomCounts() -> [CharacterPostings.Count] {
            characters.compactMap { c -> CharacterPostings.Count? in
                guard Int.random(in: 0..<3, using: &rng) == 0 else { return nil }
                let heading = Int.random(in: 0..<3, using: &rng) == 0 ? UInt32.random(in: 1...300, using: &rng) : 0
                return .init(character: c, heading: heading, text: UInt32.random(in: 0...100_000, using: &rng))
            }.filter { $0.heading > 0 || $0.text > 0 }
        }
        let blockSize = Int64(1) << Int64(CharacterPostings.blockShift)
        for flushAt in [1, 50, 1 << 20] {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM section; DELETE FROM char_posting; DELETE FROM char_posting_block")
                var model: [Int64: [CharacterPostings.Count]] = [:]
                var next: Int64 = blockSize - 30  // the first round spans two blocks
                var compacted = false
                for round in 0..<6 {
                    let writer = try CharacterPostingsWriter(db, flushAt: flushAt)
                    for id in model.keys.sorted() where Int.random(in: 0..<3, using: &rng) == 0 {
                        writer.removed(id: id)
                        model[id] = nil
                        try db.execute(sql: "DELETE FROM section WHERE id = ?", arguments: [id])
                    }
                    for _ in 0..<(round == 0 ? 60 : 20) {
                        let counts = randomCounts()
                        try db.execute(sql: "INSERT INTO section (id) VALUES (?)", arguments: [next])
                        try writer.added(id: next, counts: counts)
                        model[next] = counts
                        next += Int64.random(in: 1...3, using: &rng)
                    }
                    try writer.finish()
                    var stored: [Int64: [CharacterPostings.Count]] = [:]
                    for row in try Row.fetchAll(db, sql: "SELECT key, postings FROM char_posting") {
                        let key: Int64 = row[0]
                        (row[1] as Data).withUnsafeBytes { bytes in
                            CharacterPostings.decode(bytes, block: CharacterPostings.block(ofKey: key)) { id, heading, text in
                                stored[id, default: []].append(.init(character: UInt16(key & 0xFFFF), heading: heading, text: text))
                            }
                        }
                    }
                    let live = stored.filter { model[$0.key] != nil }.mapValues { $0.sorted { $0.character < $1.character } }
                    #expect(live == model.filter { !$0.value.isEmpty }, "flushAt \(flushAt), round \(round)")
                    let recorded = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT block, removed FROM char_posting_block")
                        .map { ($0[0] as Int64, $0[1] as Int) })
                    compacted = compacted || recorded.values.contains(0)
                    let stale = Dictionary(grouping: stored.keys.filter { model[$0] == nil }, by: CharacterPostings.block(of:))
                    for (block, ids) in stale {
                        #expect(ids.count <= recorded[block] ?? 0, "flushAt \(flushAt), round \(round), block \(block)")
                    }
                }
                #expect(compacted, "flushAt \(flushAt): some block was compacted")
            }
        }
    }
}
