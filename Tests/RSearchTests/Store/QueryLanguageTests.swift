import Foundation
import Testing
@testable import RSearchText
@testable import RSearchQuery

/// Boolean, filter and NEAR queries against the brute-force truth.
@Suite struct QueryLanguageTests {
    static let truth = ExactSubstringPropertyTests.truth

    func has(_ e: SectionTruth.Entry, _ term: String) -> Bool {
        SpacingTruth.contains(e.bridged, Folding.index.string(term))
    }

    func assertSame(_ query: String, _ predicate: (SectionTruth.Entry) -> Bool,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let truth = try Self.truth.get()
        let expected = truth.keys(where: predicate)
        let (found, total, _) = try Fixtures.shippedSearcher().allKeys(query)
        #expect(found == expected, "\(query): missing \(expected.subtracting(found).prefix(3)) extra \(found.subtracting(expected).prefix(3))", sourceLocation: sourceLocation)
        #expect(total == expected.count, "\(query)", sourceLocation: sourceLocation)
    }

    static let pairs: [(String, String)] = [
        ("意识形态", "党建"), ("改革", "开放"), ("经济", "增长"), ("党", "年"), ("“两个确立”", "维护"), ("GDP", "%"),
        ("生态", "绿色"), ("2022年", "计划"), ("，", "工作"),
    ]

    @Test func andOrNot() throws {
        for (a, b) in Self.pairs {
            try assertSame("\(quoted(a)) \(quoted(b))") { has($0, a) && has($0, b) }
            try assertSame("\(quoted(a)) AND \(quoted(b))") { has($0, a) && has($0, b) }
            try assertSame("\(quoted(a)) OR \(quoted(b))") { has($0, a) || has($0, b) }
            try assertSame("\(quoted(a)) -\(quoted(b))") { has($0, a) && !has($0, b) }
            try assertSame("\(quoted(a)) NOT \(quoted(b))") { has($0, a) && !has($0, b) }
            try assertSame("(\(quoted(a)) OR \(quoted(b))) 发展") { (has($0, a) || has($0, b)) && has($0, "发展") }
        }
        try assertSame("NOT 的") { !has($0, "的") }
        try assertSame("-(改革 OR 开放) 经济") { !(has($0, "改革") || has($0, "开放")) && has($0, "经济") }
    }

    @Test func near() throws {
        let truth = try Self.truth.get()
        _ = truth
        for (a, b, n) in [("改革", "开放", 20), ("意识形态", "安全", 5), ("经济", "增长", 0), ("党", "建设", 3)] {
            try assertSame("\(a) NEAR/\(n) \(b)") { e in
                let left = SectionTruth.occurrences(a, in: e)
                let right = SectionTruth.occurrences(b, in: e)
                return left.contains { l in
                    right.contains { r in max(0, r.lowerBound - l.upperBound, l.lowerBound - r.upperBound) <= n }
                }
            }
        }
        // NEAR alone means within 10.
        let (tight, _, _) = try Fixtures.shippedSearcher().allKeys("改革 NEAR 开放")
        let (ten, _, _) = try Fixtures.shippedSearcher().allKeys("改革 NEAR/10 开放")
        #expect(tight == ten)
    }

    @Test func filters() throws {
        try assertSame("意识形态 year:2022") { has($0, "意识形态") && $0.metadata.year == 2022 }
        try assertSame("改革 year:2018..2022") { has($0, "改革") && (2018...2022).contains($0.metadata.year ?? 0) }
        try assertSame("党 kind:述职报告") { has($0, "党") && ($0.metadata.kind ?? "").contains("述职报告") }
        try assertSame("发展 kind:报告 year:2026") { has($0, "发展") && ($0.metadata.kind ?? "").contains("报告") && $0.metadata.year == 2026 }
        try assertSame("经济 title:上海") { has($0, "经济") && $0.metadata.title.contains("上海") }
        try assertSame("发展 author:市长") { has($0, "发展") && ($0.metadata.author ?? "").contains("市长") }
        try assertSame("发展 unit:四川") { has($0, "发展") && ($0.metadata.unit ?? "").contains("四川") }
        try assertSame("意识形态 in:heading") { SpacingTruth.contains($0.bridgedHeading, "意识形态") }
        try assertSame("kind:述职报告") { ($0.metadata.kind ?? "").contains("述职报告") }
    }

    @Test func optionsMergeWithQueryFilters() throws {
        var options = SearchOptions()
        options.limit = nil
        options.filters.kind = ["述职报告"]
        let result = try Fixtures.shippedSearcher().search("意识形态", options: options)
        #expect(result.total == 2)
        #expect(result.hits.allSatisfy { $0.report.metadata.kind == "述职报告" })
    }
}
