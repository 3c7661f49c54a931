import Foundation
import GRDB
import Testing
@testable import RSearchKit

/// The character postings against the text they count: every section's
/// occurrences of each kept character, counted by brute force on
/// its folded heading and text, must be exactly what `char_posting` holds,
/// after a build and after each of several updates.
@Suite struct CharacterPostingsTests {
    typealias Counts = [UInt16: [Int64: (heading: UInt32, text: UInt32)]]

    /// character → section → counts, as stored.
    static func stored(_ index: IndexDatabase) throws -> Counts {
        try index.queue.read { db in
            var result: Counts = [:]
            var previous: [UInt16: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, postings FROM char_posting ORDER BY key") {
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
    /// Han characters of the BMP, folded as the index folds.
    static func counted(_ index: IndexDatabase) throws -> Counts {
        try index.queue.read { db in
            var result: Counts = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, heading, text FROM section") {
                let id: Int64 = row[0]
                for (column, text) in [(0, row[1] as String), (1, row[2] as String)] {
                    for v in Folding.index.scalars(text) where v < 0x10000 && CharacterClass.isHan(v) {
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

    static func expectEqual(_ a: Counts, _ b: Counts, _ label: String) {
        #expect(Set(a.keys) == Set(b.keys), "\(label): characters")
        for (character, sections) in b {
            let stored = a[character] ?? [:]
            #expect(Set(stored.keys) == Set(sections.keys), "\(label): sections of U+\(String(character, radix: 16))")
            for (id, c) in sections where stored[id].map({ $0 != c }) ?? false {
                Issue.record("\(label): U+\(String(character, radix: 16)) section \(id): stored \(stored[id]!), counted \(c)")
            }
        }
    }

    @Test func theShippedCorpusPostingsAreTheCounts() throws {
        let index = try Fixtures.shippedIndex.get()
        let counted = try Self.counted(index)
        #expect(counted.count > 2_000, "thousands of characters occur in the shipped corpus")
        Self.expectEqual(try Self.stored(index), counted, "shipped corpus")
    }

    /// Rounds of replaced, removed and added files, and in one round the
    /// files holding the largest rowids removed and others added, so that
    /// SQLite gives their rowids again within one transaction.
    @Test func postingsStayTheCountsThroughUpdates() throws {
        let root = Fixtures.temporaryDirectory("rsearch-postings-updates")
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
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
        var reusable: Set<Int64> = []
        for round in 0...4 {
            if round > 0 {
                if round == 3 {
                    // The last files written hold the largest rowids.
                    let names = ((next - 5)..<next).map { String(format: "r%03d.txt", $0) }
                    reusable = try Set(IndexDatabase(path: destination).queue.read { db in
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
                #expect(!reusable.isEmpty && !ids.isDisjoint(with: reusable), "rowids were given again")
            }
            Self.expectEqual(try Self.stored(index), try Self.counted(index), "round \(round)")
        }
    }

    /// The writer on its own, with a tiny flush threshold so that blocks are
    /// written early and rewritten by later changes, against a plain
    /// dictionary of what each section last had.
    @Test func theWriterAppliesChangesInOrderAcrossBlocksAndFlushes() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE char_posting (key INTEGER PRIMARY KEY, postings BLOB NOT NULL)")
        }
        var rng = SeededGenerator(seed: 0xF1_05E5)
        var model: [Int64: [CharacterPostings.Count]] = [:]
        // A few characters, so that sections share rows.
        let characters: [UInt16] = [0x3400, 0x4E00, 0x6CD5, 0x7684, 0x9F98]
        func randomCounts() -> [CharacterPostings.Count] {
            characters.compactMap { c -> CharacterPostings.Count? in
                guard Int.random(in: 0..<3, using: &rng) == 0 else { return nil }
                let heading = Int.random(in: 0..<3, using: &rng) == 0 ? UInt32.random(in: 1...300, using: &rng) : 0
                return .init(character: c, heading: heading, text: UInt32.random(in: 0...100_000, using: &rng))
            }.filter { $0.heading > 0 || $0.text > 0 }
        }
        for flushAt in [1, 50, 1 << 20] {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM char_posting")
                model = [:]
                for round in 0..<3 {
                    let writer = try CharacterPostingsWriter(db, flushAt: flushAt)
                    let blockSize = Int64(1) << Int64(CharacterPostings.blockShift)
                    // Ids across three blocks, some given again after removal.
                    for _ in 0..<150 {
                        let id = Int64.random(in: 0..<3, using: &rng) * blockSize + Int64.random(in: 0..<40, using: &rng)
                        if Bool.random(using: &rng), model[id] != nil {
                            writer.removed(id: id)
                            model[id] = nil
                        } else {
                            if model[id] != nil { writer.removed(id: id) }
                            let counts = randomCounts()
                            try writer.added(id: id, counts: counts)
                            model[id] = counts
                        }
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
                    let expected = model.filter { !$0.value.isEmpty }
                    #expect(stored.mapValues { $0.sorted { $0.character < $1.character } } == expected,
                            "flushAt \(flushAt), round \(round)")
                }
            }
        }
    }
}
