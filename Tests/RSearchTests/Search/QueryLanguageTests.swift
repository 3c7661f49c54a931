import Foundation
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore
@testable import RSearchEngine
@testable import RSearchOutput

/// Boolean, filter and NEAR queries against the brute-force truth.
@Suite struct QueryLanguageTests {
    static let truth = ExactSubstringPropertyTests.truth

    func has(_ e: SectionTruth.Entry, _ term: String) -> Bool {
        SectionTruth.contains(e.folded, Folding.index.string(term))
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
        try assertSame("意识形态 in:heading") { SectionTruth.contains($0.foldedHeading, "意识形态") }
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

    @Test func parserErrorsNameTheColumn() {
        func error(_ q: String) -> QueryError? {
            do { _ = try QueryParser().parse(q); return nil } catch { return error as? QueryError }
        }
        #expect(error("(意识形态") == .syntax(message: "unbalanced '('", column: 1))
        #expect(error("意识形态)") == .syntax(message: "unbalanced ')'", column: 5))
        #expect(error("党 year:abc") == .syntax(message: "year: takes a year or a range such as 2018..2022, not 'abc'", column: 8))
        #expect(error("\"党") == .syntax(message: "unclosed '\"'", column: 1))
        #expect(error("OR 党") == .syntax(message: "OR needs a term on its left", column: 1))
        #expect(error("党 OR") == .syntax(message: "OR needs a term on its right", column: 3))
        #expect(error("in:body 党") == .syntax(message: "in: takes 'heading', not 'body'", column: 4))
        #expect(error("") == .empty)
        #expect(error("   ") == .empty)
        #expect(error(String(repeating: "(", count: 1000) + "党" + String(repeating: ")", count: 1000)) != nil)
    }

    @Test func parserStructure() throws {
        let p = QueryParser()
        #expect(try p.parse("a b").expression == .and([.term("a"), .term("b")]))
        #expect(try p.parse("a OR b c").expression == .or([.term("a"), .and([.term("b"), .term("c")])]))
        #expect(try p.parse("-a b").expression == .and([.not(.term("a")), .term("b")]))
        #expect(try p.parse("\"a OR -b\"").expression == .term("a OR -b"))
        #expect(try p.parse(#""say \"hi\"""#).expression == .term("say \"hi\""))
        #expect(try p.parse("a NEAR/5 b").expression == .near("a", "b", distance: 5))
        #expect(try p.parse("“两个确立”").expression == .term("“两个确立”"))
        #expect(try p.parse("（一）").expression == .term("（一）"))
        #expect(try p.parse("10:30").expression == .term("10:30"))
        let q = try p.parse("党 year:2018..2022 kind:\"述职 报告\"")
        #expect(q.filters.years == 2018...2022)
        #expect(q.filters.kind == ["述职 报告"])
    }
}
