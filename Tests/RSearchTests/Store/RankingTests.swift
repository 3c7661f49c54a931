import Foundation
import GRDB
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// The ranking, checked against SQLite's own: every page rsearch returns must
/// be the page of the plain SQL ordering by `bm25()` (times `HeadingPrior`), then year (newer first),
/// report path and position, with the same scores to the last bit, and the
/// total must be the plain `count(*)`. rsearch reaches that page by shortcuts
/// (one pass for one-phrase queries, FTS5 ranking alone for the rest); this
/// is the slow, obvious statement they must agree with.
@Suite struct RankingTests {
    struct Row: Equatable, CustomStringConvertible {
        var report: String
        var line: Int
        var score: Double
        var description: String { "\(report):\(line) \(score)" }
    }

    /// `fts`: the MATCH expression, if not the query's own (one the
    /// compiler does not give, as for more than 64 alternatives).
    static func reference(_ searcher: Searcher, query: String, folding: Folding = .index, offset: Int, limit: Int,
                          fts given: String? = nil) throws -> (total: Int, rows: [Row])
    {
        let parsed = try QueryParser().parse(query)
        let compiled = MatchCompiler(folding: folding, inHeading: parsed.filters.inHeading).compile(parsed.expression!)
        let fts = try #require(given ?? compiled.fts)
        let filter = parsed.filters.sqlConditions()
        let conditions = (["section_fts MATCH ?"] + filter.conditions).joined(separator: " AND ")
        let from = "section_fts JOIN section s ON s.id = section_fts.rowid JOIN report r ON r.id = s.report_id"
        return try searcher.index.queue.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(from) WHERE \(conditions)",
                                         arguments: StatementArguments([fts] + filter.arguments))!
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT r.path, s.line, \(Searcher.score) AS score
                FROM \(from) WHERE \(conditions) ORDER BY score, r.year DESC, r.path, s.ord LIMIT ? OFFSET ?
                """, arguments: StatementArguments([fts] + filter.arguments + [limit, offset]))
                .map { Row(report: $0[0], line: $0[1], score: $0[2]) }
            return (total, rows)
        }
    }

    @discardableResult
    static func check(_ searcher: Searcher, _ query: String, folding: Folding = .index, offset: Int = 0,
                      limit: Int = 10, fts: String? = nil) throws -> Int
    {
        var options = SearchOptions()
        options.allCopies = true
        options.offset = offset
        options.limit = limit
        options.folding = folding
        let result = try searcher.search(query, options: options)
        let expected = try reference(searcher, query: query, folding: folding, offset: offset, limit: limit, fts: fts)
        let got = result.hits.map { Row(report: $0.report.path, line: $0.section.line, score: -$0.score) }
        #expect(result.total == expected.total, "total of \(query)")
        #expect(got == expected.rows, "page \(offset)+\(limit) of \(query)")
        return result.total
    }

    @Test func pagesEqualTheSQLOrderingOnTheShippedCorpus() throws {
        let searcher = try Fixtures.shippedSearcher()
        // Common and rare single characters (prefix queries), bigrams, longer
        // phrases, Latin and digits, a term only in headings, a traditional form.
        let queries = ["的", "党", "法", "诗", "工作", "发展", "意识形态", "全面从严治党", "2022年", "GDP", "一",
                       "in:heading 党建", "in:heading 的", "國家",
                       // Report filters: the IDF still counts every section.
                       "经济 year:2010..2020", "的 year:2020", "党 kind:政府工作报告", "发展 title:四川", "工作 year:1900"]
        for query in queries {
            for (offset, limit) in [(0, 10), (0, 1), (3, 7), (17, 25), (0, 200)] {
                let total = try Self.check(searcher, query, offset: offset, limit: limit)
                if query.contains(":"), !query.contains("1900") { #expect(total > 0, "\(query) finds something") }
            }
        }
    }

    /// Terms with punctuation are candidates in FTS5 and confirmed on the
    /// text: the pages must be the SQL ordering of the candidates with those
    /// whose folded text lacks the folded term (strstr) left out.
    @Test func confirmedTermsKeepTheSQLOrdering() throws {
        let searcher = try Fixtures.shippedSearcher()
        for query in ["一、", "（二）", "PM2.5", "发展。", "党的建设，"] {
            let parsed = try QueryParser().parse(query)
            let compiled = MatchCompiler().compile(parsed.expression!)
            #expect(!compiled.exact, "\(query) should need confirming")
            let fts = try #require(compiled.fts)
            let needle = Folding.index.string(query)
            let all = try searcher.index.queue.read { db in
                try GRDB.Row.fetchAll(db, sql: """
                    SELECT r.path, s.line, s.text, \(Searcher.score) AS score
                    FROM section_fts JOIN section s ON s.id = section_fts.rowid JOIN report r ON r.id = s.report_id
                    WHERE section_fts MATCH ? ORDER BY score, r.year DESC, r.path, s.ord
                    """, arguments: [fts])
            }
            let candidates = all.count
            let confirmed = all.filter { row in
                Folding.index.string(row["text"]).withCString { h in needle.withCString { strstr(h, $0) != nil } }
            }.map { Row(report: $0[0], line: $0[1], score: $0[3]) }
            #expect(!confirmed.isEmpty, "\(query) is in the shipped corpus")
            if query.hasSuffix("、") { #expect(confirmed.count < candidates, "some candidates for \(query) fail") }
            for (offset, limit) in [(0, 10), (4, 6), (0, 1000)] {
                var options = SearchOptions()
                options.allCopies = true
                options.offset = offset
                options.limit = limit
                let result = try searcher.search(query, options: options)
                #expect(result.total == confirmed.count, "total of \(query)")
                let got = result.hits.map { Row(report: $0.report.path, line: $0.section.line, score: -$0.score) }
                #expect(got == Array(confirmed.dropFirst(offset).prefix(limit)), "page \(offset)+\(limit) of \(query)")
            }
        }
    }

    /// Identical sections in reports of different years and paths: every score
    /// ties, so the page is decided by the tie-breaking keys alone, across the
    /// page's edge.
    @Test func tiesAcrossThePageEdgeFollowYearThenPath() throws {
        let searcher = try Fixtures.smallIndex("rsearch-ties") { corpus in
            for n in 0..<40 {
                let year = 2000 + (n * 7) % 13
                let text = "\(year)年工作总结\n\n一、工作情况\n\n推进乡村振兴，落实乡村振兴战略。\n"
                try text.write(to: corpus.appendingPathComponent(String(format: "r%02d-%d.txt", (n * 11) % 40, year)),
                               atomically: true, encoding: .utf8)
            }
        }
        for query in ["乡村振兴", "乡", "工作"] {
            for (offset, limit) in [(0, 10), (5, 10), (9, 2), (0, 100)] {
                try Self.check(searcher, query, offset: offset, limit: limit)
            }
        }
    }

    /// The heading weighs `Searcher.headingWeight` times a body match: one
    /// match in a heading (counted again in the text, which begins with it)
    /// beats two in the body of a section as long, and would not if the
    /// weights were given to `section_fts`'s columns in the wrong order.
    @Test func aHeadingMatchOutweighsTwoInTheBody() throws {
        let searcher = try Fixtures.smallIndex("rsearch-heading-weight") { corpus in
            try "甲报告\n\n一、乡村振兴工作\n本节讨论若干事项和若干安排。\n"
                .write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            try "乙报告\n\n一、若干事项工作\n本节讨论乡村振兴和乡村振兴。\n"
                .write(to: corpus.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        }
        #expect(Searcher.headingWeight > 2 * Searcher.textWeight)
        for query in ["乡村振兴", "振"] {
            let hits = try searcher.search(query).hits
            #expect(hits.map(\.report.path) == ["a.txt", "b.txt"], "\(query)")
            try Self.check(searcher, query, offset: 0, limit: 10)
        }
    }

    /// A section that is only a heading (its body shorter than its heading,
    /// in tokens) counts a quarter (`HeadingPrior`): the passage below it, which
    /// bm25 alone ranks second, comes first, for a phrase, one character
    /// and an AND, and its score is bm25's quartered to the bit.
    @Test func aSectionThatIsOnlyAHeadingCountsAQuarter() throws {
        let searcher = try Fixtures.smallIndex("rsearch-heading-prior") { corpus in
            try "甲报告\n\n第一章 营商环境\n\n第一条 本市持续优化营商环境，推进政务服务改革，减少审批事项，提高办事效率。\n"
                .write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        }
        let rows = try searcher.index.queue.read { db in
            try GRDB.Row.fetchAll(db, sql: """
                SELECT s.heading, s.text, \(Searcher.bm25) AS bm25, \(Searcher.score) AS score
                FROM section_fts JOIN section s ON s.id = section_fts.rowid WHERE section_fts MATCH '"营商" "商环" "环境"'
                ORDER BY bm25
                """)
        }
        try #require(rows.count == 2)
        #expect((rows[0]["heading"] as String).hasPrefix("第一章"), "bm25 alone ranks the bare heading first")
        #expect(rows[0]["score"] as Double == (rows[0]["bm25"] as Double) * HeadingPrior.factor)
        #expect(rows[1]["score"] as Double == rows[1]["bm25"] as Double)
        for query in ["营商环境", "营", "营商环境 审批"] {
            let hits = try searcher.search(query).hits
            #expect(hits.first?.section.heading.hasPrefix("第一条") == true, "\(query)")
            try Self.check(searcher, query, offset: 0, limit: 10)
        }
        // The flag agrees with the tokenizer's own count of every section of the shipped corpus.
        let shipped = try Fixtures.shippedSearcher()
        try shipped.index.queue.read { db in
            let lengths = try LoadedSectionLengths(db)
            var seen = 0, bare = 0
            for row in try GRDB.Row.fetchAll(db, sql: "SELECT id, heading, text FROM section") {
                let id: Int64 = row[0]
                for _ in 0..<LoadedSectionLengths.missesBeforeLoading { lengths.missed(id) }
                let heading = UInt64(BigramScanner.tokens(row[1]).count), text = UInt64(BigramScanner.tokens(row[2]).count)
                let expected = heading > 0 && text - heading < heading
                let shape = try #require(lengths.shape(of: id))
                #expect(shape.prior == (expected ? HeadingPrior.factor : 1.0), "section \(id)")
                #expect(shape.length == Double(heading + text))
                seen += 1
                if expected { bare += 1 }
            }
            #expect(seen > 100 && bare > 10 && bare < seen / 2)
        }
    }

    /// A section too long for its two-byte entry is sized by FTS5 instead
    /// (by `%_docsize` for a one-character query).
    /// (Its file sorts last, so its rowid comes after the block is loaded.)
    @Test func aSectionLongerThanItsEntryIsRankedAsBM25RanksIt() throws {
        let searcher = try Fixtures.smallIndex("rsearch-long-section") { corpus in
            // No punctuation: the parser's cut at 65,536 characters leaves
            // 65,536 tokens, and the heading adds its own.
            let long = String(repeating: "推进乡村振兴加快农业农村现代化", count: 4_500)
            try "长报告\n\n一、乡村振兴工作情况\n\(long)\n".write(to: corpus.appendingPathComponent("z-long.txt"), atomically: true, encoding: .utf8)
            for n in 0..<150 {
                let text = "报告\(n)\n\n" + String(repeating: "乡村振兴工作。", count: 1 + n % 7) + "\n"
                try text.write(to: corpus.appendingPathComponent("r\(n).txt"), atomically: true, encoding: .utf8)
            }
        }
        let longest = try searcher.index.queue.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT sz FROM section_fts_docsize").map { row in
                (row[0] as Data).withUnsafeBytes { SectionLengths.total(ofSizes: $0) }
            }.max()!
        }
        #expect(longest >= UInt32(SectionLengths.unknown))
        try Self.check(searcher, "乡村振兴", limit: 200)
        try Self.check(searcher, "农业", limit: 10)
        // One character: ranked from its postings, the length still FTS5's.
        try Self.check(searcher, "乡", limit: 200)
        try Self.check(searcher, "农", limit: 10)
    }

    /// Many alternatives are ranked one at a time and summed
    /// (`AlternativeRanking`): the pages, scores and totals must be those of
    /// FTS5 ranking their OR itself, one-character, absent and repeated
    /// terms among them, past the compiler's limit of 64 too.
    @Test func manyAlternativesRankAsFTS5RanksTheirOR() throws {
        let searcher = try Fixtures.shippedSearcher()
        let text = try Corpus(root: Fixtures.shippedCorpus).files()
            .map { try String(contentsOf: $0.url, encoding: .utf8) }.joined(separator: "\n")
        let runs = Array(text.unicodeScalars).split { !CharacterClass.isHan($0.value) }.filter { $0.count >= 4 }
        var rng = SeededGenerator(seed: 18)
        var terms = ["党", "的", "量子纠缠态报告", "意识形态", "意识形态", "局"]
        while terms.count < 100 {
            let run = runs[Int(rng.next() % UInt64(runs.count))]
            let length = 2 + Int(rng.next() % 3)
            let start = run.startIndex + Int(rng.next() % UInt64(run.count - length + 1))
            terms.append(String(String.UnicodeScalarView(run[start..<(start + length)])))
        }
        for n in [AlternativeRanking.threshold + 1, 5, 17, 40, 64, 100] {
            let query = terms.prefix(n).joined(separator: " OR ")
            let fts = terms.prefix(n).map { "(" + MatchCompiler().term($0).fts! + ")" }.joined(separator: " OR ")
            for (offset, limit) in [(0, 10), (7, 40), (0, 100_000)] {
                #expect(try Self.check(searcher, query, offset: offset, limit: limit, fts: fts) > 100, "\(n) terms")
            }
            try Self.check(searcher, query + " year:2020..2023", limit: 30, fts: fts)
        }
    }

    @Test func theOnePassFactorTimesTheIDFIsBM25() throws {
        // Pinned apart from the pages above: the formula itself, on rows whose
        // scores all differ.
        let searcher = try Fixtures.shippedSearcher()
        for query in ["党的建设", "意识形态", "党"] {
            let parsed = try QueryParser().parse(query)
            let fts = try #require(MatchCompiler().compile(parsed.expression!).fts)
            let (total, best) = try searcher.index.queue.read { db in
                try OnePassRanking.rank(db, match: fts, weights: Searcher.columnWeights,
                                        wanted: 1_000_000)
            }
            let bm25 = try searcher.index.queue.read { db in
                try Dictionary(uniqueKeysWithValues: GRDB.Row.fetchAll(db, sql: """
                    SELECT rowid, \(Searcher.score)
                    FROM section_fts WHERE section_fts MATCH ?
                    """, arguments: [fts]).map { ($0[0] as Int64, $0[1] as Double) })
            }
            #expect(total == bm25.count && best.count == total, "\(query)")
            for row in best {
                #expect(row.score == bm25[row.id], "\(query) row \(row.id)")
            }
        }
    }

    /// A removed section's character postings stay behind until their block
    /// is compacted; the search must skip them by the section's length,
    /// zeroed on removal even in a block of lengths the update does not
    /// otherwise rewrite (its sections lie below the first one it adds).
    @Test func postingsOfRemovedSectionsAreNotCounted() throws {
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-stale-postings")
        func write(_ name: String, _ text: String) throws {
            try text.write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        func articles(_ range: ClosedRange<Int>) -> String {
            range.map { "第\($0)条 法律\($0 % 7 == 0 ? "的" : "")。\n" }.joined()
        }
        // Files in path order: b.txt's sections come after enough of a.txt's
        // that the search has loaded their block of lengths, and c.txt makes
        // a second block, where the update's new sections go.
        try write("a.txt", "甲报告\n\n" + articles(1...60_000))
        try write("b.txt", "乙报告\n\n" + (1...200).map { "第\($0)条 的法的规定。\n" }.joined())
        try write("c.txt", "丙报告\n\n" + articles(1...(SectionLengths.blockSize - 60_000 + 1_000)))
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: destination)
        _ = try builder.build()
        try write("b.txt", "乙报告\n\n" + (1...50).map { "第\($0)条 规定的。\n" }.joined())
        _ = try builder.update()
        let searcher = Searcher(index: try IndexDatabase(path: destination))
        let highest = try searcher.index.queue.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM section")! }
        #expect(SectionLengths.block(of: highest) >= 1)
        for query in ["的", "法", "规", "in:heading 条"] {
            for (offset, limit) in [(0, 10), (0, 300)] {
                try Self.check(searcher, query, offset: offset, limit: limit)
            }
        }
    }

    /// Section lengths are kept beside FTS5's own for the ranking to read; an
    /// update that left one stale would change a score. Several rounds of
    /// replaced, removed and added files, each followed by the checks.
    @Test func pagesStayEqualThroughUpdates() throws {
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-ranking-updates")
        var rng = SeededGenerator(seed: 0x5EC7_1045)
        let words = ["乡村振兴", "经济", "发展", "的", "安全", "党建", "改革开放", "生态", "工作", "群众"]
        func report(_ n: Int) -> String {
            var text = "\(2000 + n % 20)年第\(n)号工作报告\n\n"
            for h in 0..<Int.random(in: 1...6, using: &rng) {
                text += "\(h + 1)、\(words.randomElement(using: &rng)!)情况\n\n"
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    text += (0..<Int.random(in: 1...30, using: &rng)).map { _ in words.randomElement(using: &rng)! }
                        .joined(separator: "，") + "。\n"
                }
                text += "\n"
            }
            return text
        }
        func write(_ n: Int) throws {
            try report(n).write(to: corpus.appendingPathComponent("r\(n).txt"), atomically: true, encoding: .utf8)
        }
        for n in 0..<120 { try write(n) }
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: destination)
        _ = try builder.build()
        var next = 120
        for round in 0..<4 {
            if round > 0 {
                for n in stride(from: round, to: next, by: 9) { try write(n) }  // replaced
                for n in stride(from: round + 4, to: next, by: 23) {            // removed
                    try? FileManager.default.removeItem(at: corpus.appendingPathComponent("r\(n).txt"))
                }
                for n in next..<(next + 10) { try write(n) }                    // added
                next += 10
                _ = try builder.update()
            }
            let searcher = Searcher(index: try IndexDatabase(path: destination))
            try searcher.index.queue.read { db in
                let lengths = try LoadedSectionLengths(db)
                let docsize = try GRDB.Row.fetchAll(db, sql: "SELECT id, sz FROM section_fts_docsize")
                for row in docsize {
                    let id: Int64 = row[0]
                    for _ in 0..<LoadedSectionLengths.missesBeforeLoading { lengths.missed(id) }
                    let expected = (row[1] as Data).withUnsafeBytes { SectionLengths.total(ofSizes: $0) }
                    #expect(lengths.shape(of: id)?.length == Double(expected), "round \(round): section \(id)")
                    #expect(expected < UInt32(SectionLengths.unknown))
                }
                #expect(!docsize.isEmpty)
            }
            for query in ["乡村振兴", "的", "经济", "党", "in:heading 发展"] {
                for (offset, limit) in [(0, 10), (7, 5)] {
                    try Self.check(searcher, query, offset: offset, limit: limit)
                }
            }
        }
    }
}
