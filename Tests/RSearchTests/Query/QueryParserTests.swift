import Testing
@testable import RSearchQuery

/// The query language's parser on its own: structure and errors.
@Suite struct QueryParserTests {
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

    @Test func yearsAsTheFilterAndTheOptionTakeThem() {
        #expect(QueryParser.years("2022") == 2022...2022)
        #expect(QueryParser.years("2018..2022") == 2018...2022)
        #expect(QueryParser.years("2018..") == 2018...9999)
        #expect(QueryParser.years("..2022") == 0...2022)
        for bad in ["22", "2022..2018", "二〇二二", "2022...2023", "abcd", "", "2018 2019", "２０２２"] {
            #expect(QueryParser.years(bad) == nil, "\(bad)")
        }
    }
}
