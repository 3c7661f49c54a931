import Foundation
import Testing
@testable import RSearchQuery

/// What issue 2 promises a newcomer: `rsearch 意识形态` on the shipped corpus.
@Suite struct SeedAcceptanceTests {
    @Test func ideologyFindsTheSeedReportSections() throws {
        let searcher = try Fixtures.shippedSearcher()
        var options = SearchOptions()
        options.limit = nil
        let result = try searcher.search("意识形态", options: options)
        let seedHits = result.hits.filter { $0.report.path == Fixtures.seedPath }
        #expect(seedHits.count == 2)

        let point = try #require(seedHits.first { $0.section.heading == "三是抓实党建阵地，筑牢意识形态根基" })
        #expect(point.matches.count == 4)
        #expect(point.section.path == ["一、主要工作", "（二）强化组织建设，党建工作成效明显", "三是抓实党建阵地，筑牢意识形态根基"])
        #expect(point.report.metadata.year == 2022)
        #expect(point.report.metadata.kind == "述职报告")
        #expect(point.report.metadata.author == "局机关党委书记")
        #expect(point.section.line == 6)

        let other = try #require(seedHits.first { $0.section.heading != point.section.heading })
        #expect(other.section.path == ["三、认识体会和努力方向", "（一）聚焦党的建设，着力提升党建标准化建设水平"])

        // The point, whose heading holds the term, ranks first overall.
        #expect(result.hits.first?.section.heading == point.section.heading)
        #expect(result.total == result.hits.count)
    }

    @Test func limitKeepsTotalExact() throws {
        let searcher = try Fixtures.shippedSearcher()
        var all = SearchOptions()
        all.limit = nil
        let full = try searcher.search("发展", options: all)
        let page = try searcher.search("发展", options: SearchOptions())
        #expect(page.hits.count == 10)
        #expect(page.total == full.total)
        #expect(page.hits.map(\.section.text) == full.hits.prefix(10).map(\.section.text))
        #expect(page.hits.map(\.score) == page.hits.map(\.score).sorted(by: >))
    }

    @Test func severalWordsMustAllOccur() throws {
        let searcher = try Fixtures.shippedSearcher()
        var options = SearchOptions()
        options.limit = nil
        let both = try searcher.search("意识形态 党建", options: options)
        #expect(both.total > 0)
        for hit in both.hits {
            #expect(hit.section.text.contains("意识形态") && hit.section.text.contains("党建"))
        }
        let one = try searcher.search("意识形态", options: options)
        #expect(both.total < one.total)
    }
}
