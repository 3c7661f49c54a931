import Foundation
import Testing
@testable import RSearchKit

/// One hit per report (`-l`): the reports, in the order of their best
/// sections, must be those of the full ranked list of hits, first
/// occurrences kept, whichever way they are computed (from the hits for a
/// few matches, from every report's range of rowids for many).
@Suite struct ReportListingTests {
    static func check(_ searcher: Searcher, _ query: String) throws -> Int {
        var all = SearchOptions()
        all.limit = nil
        let full = try searcher.search(query, options: all)
        var firsts: [Hit] = []
        var seen = Set<String>()
        for hit in full.hits where seen.insert(hit.report.path).inserted { firsts.append(hit) }
        for (offset, limit) in [(0, nil), (0, 5), (7, 20), (firsts.count - 1, nil)] as [(Int, Int?)] {
            var options = SearchOptions()
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

    @Test func manyMatchesListTheReportsOfTheRankedHits() throws {
        // Identical reports in different years and paths, so that scores tie
        // across reports and the year and path decide.
        let searcher = try Fixtures.smallIndex("rsearch-report-listing") { corpus in
            for n in 0..<300 {
                let year = 2000 + (n * 7) % 13
                var text = "\(year)年工作报告\n\n"
                for h in 1...5 {
                    text += "\(h)、推进的工作\n\n" + String(repeating: "落实发展的要求，", count: 1 + (n + h) % 4) + "\n\n"
                }
                try text.write(to: corpus.appendingPathComponent(String(format: "r%03d-%d.txt", (n * 11) % 300, year)),
                               atomically: true, encoding: .utf8)
            }
        }
        #expect(try Self.check(searcher, "的") >= ReportListing.fromMatches, "enough matches for the range listing")
        #expect(try Self.check(searcher, "发展") >= ReportListing.fromMatches)
        #expect(try Self.check(searcher, "工作 year:2005..2009") < ReportListing.fromMatches)
        _ = try Self.check(searcher, "要求，")  // confirmed on the text
    }

    @Test func fewMatchesOnTheShippedCorpus() throws {
        let searcher = try Fixtures.shippedSearcher()
        for query in ["意识形态", "党", "一、", "经济 year:2020..2026"] {
            #expect(try Self.check(searcher, query) > 0, "\(query) has hits")
        }
    }
}
