import Foundation
import GRDB
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// `--no-fold` (`Folding.exact`) answered from the index and the variant
/// postings (`VariantMarks`) against brute force, on a corpus where the same
/// reports are written in simplified characters, in traditional ones and in
/// a mix: every matching section found and no other, the total exact, the
/// order the folded search's order restricted to those sections, a page the
/// head of the full list; and the plan is the one that reads only marked
/// sections, not a confirmation of every candidate.
@Suite struct UnfoldedSearchTests {
    /// One traditional form of each simplified character that has one.
    static let traditional: [UInt32: UInt32] = {
        var map: [UInt32: UInt32] = [:]
        for v in UInt32(0x3400)...0x9FFF {
            if let s = Folding.variantFold(v), map[s] == nil { map[s] = v }
        }
        return map
    }()

    static func convert(_ text: String, every n: Int) -> String {
        var out = String.UnicodeScalarView()
        var k = 0
        for s in text.unicodeScalars {
            if let t = traditional[s.value] {
                k += 1
                out.append(k % n == 0 ? Unicode.Scalar(t)! : s)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    static let fixture = Result { () throws -> (Searcher, SectionTruth) in
        var root: URL?
        let searcher = try Fixtures.smallIndex("rsearch-unfolded") { corpus in
            root = corpus
            // Four reports of different kinds, by their place in path order.
            let all = try Corpus(root: Fixtures.shippedCorpus).files().filter { $0.path.hasSuffix(".txt") }
            for file in [0, all.count / 3, 2 * all.count / 3, all.count - 1].map({ all[$0] }) {
                let name = file.url.lastPathComponent
                let text = try Fixtures.read(file.path)
                try text.write(to: corpus.appendingPathComponent("s-" + name), atomically: true, encoding: .utf8)
                try convert(text, every: 1).write(to: corpus.appendingPathComponent("t-" + name), atomically: true, encoding: .utf8)
                try convert(text, every: 3).write(to: corpus.appendingPathComponent("m-" + name), atomically: true, encoding: .utf8)
            }
        }
        return (searcher, try SectionTruth(root: root!))
    }

    func keys(_ hits: [Hit]) -> [SectionTruth.Key] {
        hits.map { SectionTruth.Key(path: $0.report.path, line: $0.section.line, heading: $0.section.heading) }
    }

    func search(_ searcher: Searcher, _ q: String, folding: Folding, limit: Int? = nil, offset: Int = 0) throws -> SearchResult {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = limit
        options.offset = offset
        options.folding = folding
        return try searcher.search(q, options: options)
    }

    func plan(_ searcher: Searcher, _ q: String) throws -> VariantMarks.Plan? {
        let query = try QueryParser().parse(q)
        let compiled = MatchCompiler(folding: .index).compile(query.expression!)
        return try searcher.index.queue.read { db in
            try VariantMarks.plan(db, expression: query.expression!, indexCompiled: compiled, folding: .exact,
                                  inHeading: false, filters: query.filters)
        }
    }

    func check(_ q: String, _ searcher: Searcher, _ truth: SectionTruth, seed: UInt64) throws {
        let expected = truth.keys(containing: q, folding: .exact)
        let all = try search(searcher, quoted(q), folding: .exact)
        #expect(Set(keys(all.hits)) == expected, "seed \(seed), query \(q)")
        #expect(all.total == expected.count, "seed \(seed), query \(q)")
        // The folded search's order, restricted to the sections that match.
        let folded = try search(searcher, quoted(q), folding: .index)
        #expect(keys(all.hits) == keys(folded.hits).filter(expected.contains), "seed \(seed), query \(q): order")
        let page = try search(searcher, quoted(q), folding: .exact, limit: 10, offset: 2)
        #expect(keys(page.hits) == Array(keys(all.hits).dropFirst(2).prefix(10)), "seed \(seed), query \(q): page")
        #expect(page.total == expected.count, "seed \(seed), query \(q): page total")
    }

    @Test func generatedQueriesFindExactlyTheSectionsThatHoldThem() throws {
        let (searcher, truth) = try Self.fixture.get()
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 0x7AD1)
        var checked = 0, traditionalChecked = 0, rejected = 0
        while checked < 150 {
            let entry = truth.entries.randomElement(using: &rng)!
            let text = Array(entry.text.unicodeScalars)
            guard text.count > 4 else { continue }
            let start = Int.random(in: 0..<text.count, using: &rng)
            var scalars = String.UnicodeScalarView()
            for s in text[start..<min(text.count, start + Int.random(in: 1...5, using: &rng))] {
                guard CharacterClass.isWord(Folding.index.fold(s.value)) else { break }
                scalars.append(s)
            }
            guard !scalars.isEmpty else { continue }
            let q = String(scalars)
            try check(q, searcher, truth, seed: seed)
            switch try plan(searcher, quoted(q)) {
            case .rejecting(let r)?:
                #expect(Folding.exact.string(q) == Folding.index.string(q), "\(q)")
                rejected += r.isEmpty ? 0 : 1
            case .confirming?, .restricting?:
                traditionalChecked += 1
            case nil:
                Issue.record("seed \(seed), query \(q): confirmed on every candidate")
            }
            checked += 1
        }
        #expect(traditionalChecked > 20 && rejected > 20, "both plans tried: \(traditionalChecked), \(rejected)")
    }

    @Test func oneCharacterAndBothForms() throws {
        let (searcher, truth) = try Self.fixture.get()
        for q in ["党", "黨", "的", "经济", "經濟", "经濟", "国家", "國家", "2022年", "GDP"] {
            try check(q, searcher, truth, seed: 0)
        }
        // With a report filter and in headings, against the folded search restricted.
        for q in ["经济 kind:述职", "经济 in:heading", "經濟 in:heading", "发展 OR 發展", "经济 NEAR/5 发展"] {
            let all = try search(searcher, q, folding: .exact)
            let slow = try search(searcher, q, folding: .index)
            let folded = QueryEvaluator(expression: try QueryParser().parse(q).expression, folding: .exact,
                                        inHeading: q.contains("in:heading"))
            let expected = truth.entries.filter {
                folded.matches(text: Folding.exact.scalars($0.text), heading: Folding.exact.scalars($0.heading))
            }
            if !q.contains("kind:") {
                #expect(Set(keys(all.hits)) == Set(expected.map { SectionTruth.Key(path: $0.path, line: $0.line, heading: $0.heading) }), "\(q)")
            }
            #expect(Set(keys(all.hits)).isSubset(of: Set(keys(slow.hits))), "\(q)")
            #expect(all.total == all.hits.count, "\(q)")
        }
    }
}
