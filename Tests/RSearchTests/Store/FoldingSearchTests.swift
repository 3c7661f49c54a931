import Foundation
import Testing
@testable import RSearchText
@testable import RSearchQuery

/// Width, case and traditional/simplified folding, in both directions, with
/// highlights landing on the original characters.
@Suite struct FoldingSearchTests {
    static let searcher = Result {
        try Fixtures.smallIndex("rsearch-fold") { corpus in
            try "繁體報告\n一、經濟發展\n國民經濟穩定增長，ＧＤＰ增長２０２２年。\n".write(
                to: corpus.appendingPathComponent("traditional.txt"), atomically: true, encoding: .utf8)
            try "简体报告\n一、经济发展\n国民经济稳定增长，GDP增长2022年。Nato 峰会。\n".write(
                to: corpus.appendingPathComponent("simplified.txt"), atomically: true, encoding: .utf8)
        }
    }

    func hits(_ q: String, folding: Folding = .index) throws -> [Hit] {
        var options = SearchOptions()
        options.limit = nil
        options.folding = folding
        return try Self.searcher.get().search(q, options: options).hits
    }

    func highlighted(_ hit: Hit) -> [String] {
        let s = Array(hit.section.text.unicodeScalars)
        return hit.matches.map { String(String.UnicodeScalarView(s[$0])) }
    }

    @Test func simplifiedFindsTraditionalAndBack() throws {
        let a = try hits("经济")
        #expect(Set(a.map(\.report.path)) == ["traditional.txt", "simplified.txt"])
        let trad = try #require(a.first { $0.report.path == "traditional.txt" })
        #expect(highlighted(trad).allSatisfy { $0 == "經濟" })
        let b = try hits("經濟")
        #expect(Set(b.map(\.report.path)) == ["traditional.txt", "simplified.txt"])
        let simp = try #require(b.first { $0.report.path == "simplified.txt" })
        #expect(highlighted(simp).allSatisfy { $0 == "经济" })
    }

    @Test func noFoldKeepsVariantsApart() throws {
        #expect(try hits("经济", folding: .exact).map(\.report.path).allSatisfy { $0 == "simplified.txt" })
        #expect(try hits("經濟", folding: .exact).map(\.report.path).allSatisfy { $0 == "traditional.txt" })
        #expect(try !hits("經濟", folding: .exact).isEmpty)
        // Width and case still fold without variants.
        #expect(try Set(hits("gdp", folding: .exact).map(\.report.path)) == ["traditional.txt", "simplified.txt"])
    }

    @Test func widthAndCase() throws {
        for q in ["GDP", "gdp", "ＧＤＰ", "ｇｄｐ"] {
            let h = try hits(q)
            #expect(Set(h.map(\.report.path)) == ["traditional.txt", "simplified.txt"], "\(q)")
            #expect(h.flatMap(highlighted).allSatisfy { $0 == "GDP" || $0 == "ＧＤＰ" }, "\(q)")
        }
        let years = try hits("2022年")
        #expect(Set(years.map(\.report.path)) == ["traditional.txt", "simplified.txt"])
        #expect(Set(years.flatMap(highlighted)) == ["2022年", "２０２２年"])
        #expect(try hits("ＮＡＴＯ").flatMap(highlighted) == ["Nato"])
        // Full-width punctuation folds too: ， is ,
        #expect(try Set(hits(quoted("增长,")).map(\.report.path)) == ["traditional.txt", "simplified.txt"])
    }
}
