import Foundation
import GRDB
import Testing
@testable import RSearchText
@testable import RSearchQuery
@testable import RSearchStore

/// One hit per report (`-l`): the reports, in the order of their best
/// sections, must be those of the full ranked list of hits, first
/// occurrences kept, whichever way they are computed (from the hits for a
/// few matches, from every report's range of rowids for many).
@Suite struct ReportListingTests {
    static func check(_ searcher: Searcher, _ query: String) throws -> Int {
        var all = SearchOptions()
        all.allCopies = true
        all.limit = nil
        let full = try searcher.search(query, options: all)
        var firsts: [Hit] = []
        var seen = Set<String>()
        for hit in full.hits where seen.insert(hit.report.path).inserted { firsts.append(hit) }
        for (offset, limit) in [(0, nil), (0, 5), (7, 20), (firsts.count - 1, nil)] as [(Int, Int?)] {
            var options = SearchOptions()
            options.allCopies = true
            options.detail = .reports
            options.offset = max(offset, 0)
            options.limit = limit
            let listed = try searcher.search(query, options: options)
            let expected = Array(firsts.dropFirst(options.offset).prefix(limit ?? .max))
            #expect(listed.total == full.total, "total of \(query)")
            #expect(listed.hits.map(\.report.path) == expected.map(\.report.path), "reports of \(query) \(offset)+\(String(describing: limit))")
            #expect(listed.hits.map(\.rank) == expected.map(\.rank), "ranks of \(query)")
            #expect(listed.hits.map(\.section.line) == expected.map(\.section.line), "best sections of \(query)")
        }
        return full.total
    }

    /// Identical reports in different years and paths, so that scores tie
    /// across reports and the year and path decide; some without a year.
    static let manyReports: Result<Searcher, Error> = Result {
        try Fixtures.smallIndex("rsearch-report-listing") { corpus in
            for n in 0..<300 {
                let year = 2000 + (n * 7) % 13
                var text = n % 37 == 0 ? "工作报告\n\n" : "\(year)年工作报告\n\n"
                if n % 60 == 0 { text += "乡村振兴\n\n" }
                for h in 1...5 {
                    text += "\(h)、推进的工作\n\n" + String(repeating: "落实发展的要求，", count: 1 + (n + h) % 4) + "\n\n"
                }
                try text.write(to: corpus.appendingPathComponent(String(format: "r%03d-%d.txt", (n * 11) % 300, year)),
                               atomically: true, encoding: .utf8)
            }
        }
    }

    @Test func manyMatchesListTheReportsOfTheRankedHits() throws {
        let searcher = try Self.manyReports.get()
        // Both ways: from the report ranges for many matches, from the hits for few.
        func pays(_ matches: Int) throws -> Bool {
            try searcher.index.queue.read { db in try ReportListing.pays(for: .listing, matches: matches, db) }
        }
        #expect(try pays(Self.check(searcher, "的")))
        #expect(try pays(Self.check(searcher, "发展 year:2005..2009")))
        #expect(try !pays(Self.check(searcher, "乡村振兴")))
        _ = try Self.check(searcher, "要求，")  // confirmed on the text
    }

    /// `--sort year` and `--sort path`: pages equal SQL's ordering of the
    /// same matches by year (newest first, none last), path and position.
    @Test func sortedByYearOrPathAsSQLOrdersThem() throws {
        let searcher = try Self.manyReports.get()
        for query in ["的", "发展", "的 year:2003..2008", "要求，", "乡村振兴"] {
            let parsed = try QueryParser().parse(query)
            let fts = try #require(MatchCompiler().compile(parsed.expression!).fts)
            let filter = parsed.filters.sqlConditions()
            var truth = Folding.index.string(query.split(separator: " ")[0].description)
            truth = truth.hasSuffix("，") ? String(truth.dropLast()) + "," : truth
            for order in [SearchOptions.SortOrder.year, .path] {
                let keys = order == .year ? "r.year IS NULL, r.year DESC, r.path, s.ord" : "r.path, s.ord"
                let expected = try searcher.index.queue.read { db in
                    try GRDB.Row.fetchAll(db, sql: """
                        SELECT r.path, s.line, s.text FROM section_fts JOIN section s ON s.id = section_fts.rowid
                        JOIN report r ON r.id = s.report_id
                        WHERE \((["section_fts MATCH ?"] + filter.conditions).joined(separator: " AND "))
                        ORDER BY \(keys)
                        """, arguments: StatementArguments([fts] + filter.arguments))
                        .filter { Folding.index.string($0[2]).contains(truth) }
                        .map { "\($0[0] as String):\($0[1] as Int)" }
                }
                #expect(expected.count >= 5, "\(query) has matches")
                if !query.hasPrefix("乡") {
                    #expect(try searcher.index.queue.read { db in
                        try ReportListing.pays(for: .sorting, matches: expected.count, db)
                    }, "\(query) is sorted from the report ranges")
                }
                for (offset, limit) in [(0, 10), (95, 30), (0, 5_000)] {
                    var options = SearchOptions()
                    options.allCopies = true
                    options.sort = order
                    options.offset = offset
                    options.limit = limit
                    let result = try searcher.search(query, options: options)
                    #expect(result.total == expected.count, "total of \(query) by \(order)")
                    #expect(result.hits.map { "\($0.report.path):\($0.section.line)" }
                            == Array(expected.dropFirst(offset).prefix(limit)), "\(query) by \(order), \(offset)+\(limit)")
                }
            }
        }
    }

    @Test func fewMatchesOnTheShippedCorpus() throws {
        let searcher = try Fixtures.shippedSearcher()
        for query in ["意识形态", "党", "一、", "经济 year:2020..2026"] {
            #expect(try Self.check(searcher, query) > 0, "\(query) has hits")
        }
    }
    /// `-c`: each report's occurrences over its matching sections, in the
    /// order of its best section, equal those counted in the text of every
    /// hit of the full ranked list, whether the index counts them (a term
    /// of Han characters) or the text does (anything else).
    static func checkCounts(_ searcher: Searcher, _ query: String, folding: Folding = .index,
                            sort: SearchOptions.SortOrder = .score) throws -> Int {
        var all = SearchOptions()
        all.allCopies = true
        all.limit = nil
        all.folding = folding
        all.sort = sort
        let full = try searcher.search(query, options: all)
        var expected: [(path: String, count: Int)] = []
        var place: [String: Int] = [:]
        for hit in full.hits {
            if let n = place[hit.report.path] {
                expected[n].count += hit.matches.count
            } else {
                place[hit.report.path] = expected.count
                expected.append((hit.report.path, hit.matches.count))
            }
        }
        for (offset, limit) in [(0, nil), (3, 4)] as [(Int, Int?)] {
            var options = all
            options.detail = .counts
            options.offset = offset
            options.limit = limit
            let counted = try searcher.search(query, options: options)
            let page = Array(expected.dropFirst(offset).prefix(limit ?? .max))
            #expect(counted.total == full.total, "total of \(query)")
            #expect(counted.hits.map(\.report.path) == page.map(\.path), "reports of \(query)")
            #expect(counted.hits.map(\.occurrences) == page.map(\.count), "counts of \(query)")
        }
        return expected.reduce(0) { $0 + $1.count }
    }

    @Test func countsPerReportAreThoseOfTheText() throws {
        let many = try Self.manyReports.get()
        for query in ["的", "发展", "发展的要求", "的 year:2005..2009", "乡村振兴", "要求，", "工作报告"] {
            #expect(try Self.checkCounts(many, query) > 0, "\(query) has matches")
        }
        #expect(try Self.checkCounts(many, "的", sort: .year) > 0)
        #expect(try Self.checkCounts(many, "发展", sort: .path) > 0)
        let shipped = try Fixtures.shippedSearcher()
        for query in ["意识形态", "党", "一、", "经济 year:2020..2026", "党建 in:heading", "GDP", "党建 OR 意识形态"] {
            #expect(try Self.checkCounts(shipped, query) > 0, "\(query) has matches")
        }
        #expect(try Self.checkCounts(shipped, "党", folding: .exact) > 0)
        // Many alternatives, counted by their passes: a repeated term once, as the text counts it.
        let alternatives = ["党建", "意识形态", "党", "意识形态", "经济", "发展", "改革", "创新", "安全", "民生",
                            "就业", "教育", "医疗", "生态", "乡村振兴", "基层", "组织", "纪律", "作风", "廉政"]
        #expect(alternatives.count > AlternativeRanking.threshold)
        #expect(try Self.checkCounts(shipped, alternatives.joined(separator: " OR ")) > 0)
        #expect(try Self.checkCounts(shipped, alternatives.joined(separator: " OR ") + " year:2020..2024") > 0)
        // Overlapping occurrences count each (`哈哈` twice in `哈哈哈`), as the text's matches do.
        let overlapping = try Fixtures.smallIndex("rsearch-counts-overlap") { corpus in
            try "哈哈哈哈\n\n经济经济经济。\n".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            try "哈哈\n\n一、经济\n\n经济经济\n".write(to: corpus.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        }
        #expect(try Self.checkCounts(overlapping, "哈哈") == 4)
        #expect(try Self.checkCounts(overlapping, "经济经济") == 3)
        #expect(try Self.checkCounts(overlapping, "哈") == 6)
    }
}
