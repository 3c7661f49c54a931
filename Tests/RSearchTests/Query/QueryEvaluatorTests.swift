import Testing
@testable import RSearchQuery
@testable import RSearchText

/// The evaluator that confirms a section, on texts and expressions written
/// here: the step that makes every hit exact, checked without an index.
@Suite struct QueryEvaluatorTests {
    func evaluator(_ expression: QueryExpression, folding: Folding = .index, inHeading: Bool = false) -> QueryEvaluator {
        QueryEvaluator(expression: expression, folding: folding, inHeading: inHeading)
    }

    func matches(_ e: QueryEvaluator, _ text: String, heading: String = "") -> Bool {
        e.matches(text: e.folding.scalars(text), heading: e.folding.scalars(heading))
    }

    @Test func termsAreSubstringsAndPunctuationCounts() {
        let e = evaluator(.term("书记。同年"))
        #expect(matches(e, "任党委书记。同年兼任"))
        #expect(!matches(e, "任党委书记，同年兼任"))
        #expect(matches(evaluator(.term("意识形态")), "筑牢意识形态根基"))
        #expect(!matches(evaluator(.term("意识形态")), "意识\n形态"))
    }

    @Test func andOrNotFollowTheirLogic() {
        let both = evaluator(.and([.term("党建"), .term("意识形态")]))
        #expect(matches(both, "党建与意识形态"))
        #expect(!matches(both, "只有党建"))
        let either = evaluator(.or([.term("舆情"), .term("意识形态")]))
        #expect(matches(either, "舆情应对"))
        #expect(!matches(either, "党建"))
        let not = evaluator(.and([.term("党建"), .not(.term("舆情"))]))
        #expect(matches(not, "党建工作"))
        #expect(!matches(not, "党建与舆情"))
        // No expression (filters only) matches every section.
        #expect(QueryEvaluator(expression: nil, folding: .index, inHeading: false).matches(text: [], heading: []))
    }

    @Test func nearCountsTheCharactersBetween() {
        let e = evaluator(.near("改革", "开放", distance: 2))
        #expect(matches(e, "改革开放"))          // touching: 0 between
        #expect(matches(e, "改革和扩开放"))      // 2 between
        #expect(!matches(e, "改革和扩大开放"))   // 3 between
        #expect(matches(e, "开放，改革"))        // either order
        #expect(!matches(e, "只有改革"))
    }

    @Test func inHeadingLooksAtTheHeadingOnly() {
        let e = evaluator(.term("总则"), inHeading: true)
        #expect(matches(e, "本法总则部分", heading: "第一章 总则"))
        #expect(!matches(e, "本法总则部分", heading: "第二章 分则"))
    }

    @Test func foldingDecidesWhetherVariantsMeet() {
        #expect(matches(evaluator(.term("經濟")), "经济发展"))
        #expect(matches(evaluator(.term("ＧＤＰ")), "gdp 增长"))
        #expect(!matches(evaluator(.term("經濟"), folding: .exact), "经济发展"))
        #expect(matches(evaluator(.term("經濟"), folding: .exact), "經濟發展"))
    }

    @Test func highlightsAreEveryOccurrenceOfEveryPositiveTerm() {
        let e = evaluator(.and([.term("哈哈"), .not(.term("笑"))]))
        #expect(e.highlights(in: Folding.index.scalars("哈哈哈")) == [0..<2, 1..<3])  // overlapping, both
        let two = evaluator(.or([.term("改革"), .term("开放")]))
        #expect(two.highlights(in: Folding.index.scalars("开放与改革，再改革")) == [0..<2, 3..<5, 7..<9])
        // Terms under NOT are not highlighted.
        #expect(evaluator(.and([.term("党"), .not(.term("建"))])).highlights(in: Folding.index.scalars("党建")) == [0..<1])
    }
}
