import Foundation
import Testing
@testable import RSearchDocuments

/// Statutes as lawyers cite them (issue 19): fixed levels 编 > 分编 > 章 > 节 >
/// 条 > 款, `第X条之Y` as an article of its own, a paragraph after an
/// article's items belonging to the article, a table of contents as one
/// section. On texts written here, on real laws of the shared corpora, and
/// as a property of every law there.
@Suite struct StatuteStructureTests {
    func paths(_ text: String) -> [[String]] {
        ReportParser().parse(text, fileName: "x.txt").sections.map(\.path)
    }

    @Test func anArticleWithASuffixIsAnArticleOfItsOwn() {
        let p = paths("第一条 甲。\n第十七条 乙。\n第十七条之一 丙。\n第十八条 丁。\n")
        #expect(p == [["第一条"], ["第十七条"], ["第十七条之一"], ["第十八条"]])
        // 之 followed by anything but a numeral is the sentence, not the article's number.
        let line = Array("第十八条之规定不适用。".unicodeScalars)
        #expect(HeadingRecognizer.match(line[...], markdown: false) == HeadingMatch(style: .article, length: 4))
        let suffixed = Array("第十八条之二十一 甲。".unicodeScalars)
        #expect(HeadingRecognizer.match(suffixed[...], markdown: false) == HeadingMatch(style: .article, length: 8))
    }

    @Test func levelsHaveFixedRanksWhateverOrderAFileFirstUses() {
        // Articles before the first chapter (周口市文明行为促进条例): a later
        // chapter closes the article and its items instead of nesting under them.
        let text = """
            第一条 为了促进文明行为，制定本条例。
            第二条 本条例适用于本市。
            第二十二条 鼓励下列行为：
            （四）其他文明行为。
            第三章 保障与促进
            第二十三条 市人民政府应当保障。
            第一编 总则
            第一章 任务
            第一节 范围
            第二十四条 甲。
            第二章 附则
            第二十五条 乙。
            第二编 分则
            第一章 罪名
            第二十六条 丙。
            """
        #expect(paths(text) == [
            ["第一条"], ["第二条"], ["第二十二条"], ["第二十二条", "（四）其他文明行为"],
            ["第三章 保障与促进"], ["第三章 保障与促进", "第二十三条"],
            ["第一编 总则"], ["第一编 总则", "第一章 任务"], ["第一编 总则", "第一章 任务", "第一节 范围"],
            ["第一编 总则", "第一章 任务", "第一节 范围", "第二十四条"],
            ["第一编 总则", "第二章 附则"], ["第一编 总则", "第二章 附则", "第二十五条"],
            ["第二编 分则"], ["第二编 分则", "第一章 罪名"], ["第二编 分则", "第一章 罪名", "第二十六条"],
        ])
    }

    @Test func aParagraphAfterItemsBelongsToTheArticle() {
        let text = """
            第三十八条 管制的期限，为三个月以上二年以下。

            第三十九条 被判处管制的犯罪分子，在执行期间，应当遵守下列规定：

            （一）遵守法律、行政法规，服从监督；

            （二）按照执行机关规定报告自己的活动情况。

            对于被判处管制的犯罪分子，在劳动中应当同工同酬。

            第四十条 被判处管制的犯罪分子，管制期满，执行机关应即向本人宣布解除管制。
            本条第二段也属于本条。
            """
        let doc = ReportParser().parse(text, fileName: "x.txt")
        #expect(doc.sections.map(\.path) == [
            ["第三十八条"], ["第三十九条"], ["第三十九条", "（一）遵守法律、行政法规，服从监督"],
            ["第三十九条", "（二）按照执行机关规定报告自己的活动情况"], ["第三十九条", "第二款"], ["第四十条"],
        ])
        #expect(doc.sections[4].text == "对于被判处管制的犯罪分子，在劳动中应当同工同酬。")
        #expect(doc.sections[5].text.hasSuffix("本条第二段也属于本条。"))
        // The paragraph counts the article's paragraphs before the items too.
        #expect(paths("第一条 甲。\n第二条 乙：\n丙。\n（一）丁；\n戊。\n第三条 己。\n") == [
            ["第一条"], ["第二条"], ["第二条", "（一）丁"], ["第二条", "第三款"], ["第三条"],
        ])
    }

    @Test func aTableOfContentsIsOneSection() {
        let text = """
            北京市数字经济促进条例

            第一章 总 则

            第二章 数字基础设施

            第三章 附 则

            第一章 总 则

            第一条 为了加强数字基础设施建设，制定本条例。

            第二章 数字基础设施

            第二条 本市加强建设。

            第三章 附 则

            第三条 本条例自公布之日起施行。
            """
        let doc = ReportParser().parse(text, fileName: "x.txt")
        #expect(doc.sections.map(\.path) == [
            [], ["目录"], ["第一章 总 则"], ["第一章 总 则", "第一条"], ["第二章 数字基础设施"],
            ["第二章 数字基础设施", "第二条"], ["第三章 附 则"], ["第三章 附 则", "第三条"],
        ])
        #expect(doc.sections[1].text.hasPrefix("第一章 总 则") && doc.sections[1].text.hasSuffix("第三章 附 则"))
        // Written with 目录, the same; a run of chapters that does not repeat is no table of contents.
        #expect(paths("目 录\n第一章 总则\n第二章 附则\n第一章 总则\n第一条 甲。\n第二条 乙。\n第二章 附则\n第三条 丙。\n") == [
            ["目录"], ["第一章 总则"], ["第一章 总则", "第一条"], ["第一章 总则", "第二条"],
            ["第二章 附则"], ["第二章 附则", "第三条"],
        ])
        #expect(paths("第一章 总则\n第一节 范围\n第一条 甲。\n第二条 乙。\n第三条 丙。\n") == [
            ["第一章 总则"], ["第一章 总则", "第一节 范围"], ["第一章 总则", "第一节 范围", "第一条"],
            ["第一章 总则", "第一节 范围", "第二条"], ["第一章 总则", "第一节 范围", "第三条"],
        ])
    }

    @Test func reportsKeepTheDocumentOrderRule() {
        // Two articles do not make a statute: a style not yet open nests
        // under the innermost heading, and an open one closes what is under it.
        #expect(paths("一、总体\n第一条 甲。\n第一部分 回顾\n第二条 乙。\n") == [
            ["一、总体"], ["一、总体", "第一条"], ["一、总体", "第一条", "第一部分 回顾"], ["一、总体", "第二条"],
        ])
        // Three do: 第一部分 is a level above the article.
        #expect(paths("第一条 甲。\n第一部分 回顾\n第二条 乙。\n第三条 丙。\n") == [
            ["第一条"], ["第一部分 回顾"], ["第一部分 回顾", "第二条"], ["第一部分 回顾", "第三条"],
        ])
    }

    @Test func paragraphsAreNumberedAsStatutesNumberThem() {
        #expect([1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 105, 110, 1000].map(ChineseNumerals.spelled) == [
            "一", "二", "九", "十", "十一", "十九", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "一千",
        ])
        for n in 1...2_000 { #expect(ChineseNumerals.number(ChineseNumerals.spelled(n).unicodeScalars) == n) }
    }

    static let laws = Fixtures.sharedCorpora.appendingPathComponent("cn_laws_lawrefbook")

    func law(_ relative: String) throws -> Document {
        try Fixtures.parse(relative, in: Self.laws)
    }

    @Test(.enabled(if: Fixtures.hasSharedCorpora, "needs ../shared/corpora"))
    func theCriminalLawIsCitedAsLawyersCiteIt() throws {
        let doc = try law("刑法/刑法.txt")
        func section(at line: Int) -> Section? { doc.sections.first { $0.line == line } }
        #expect(section(at: 97)?.path.last == "第十七条之一")
        #expect(section(at: 97)?.path.first == "第一编 总则")
        #expect(section(at: 87)?.path.last == "第十七条")
        let suffixed = doc.sections.filter { $0.path.last?.contains("条之") ?? false }
        #expect(suffixed.count >= 50, "\(suffixed.count) articles 第X条之Y")
        // 分则's first chapter is under 分则, not a sibling of 总则's.
        let second = try #require(doc.sections.first { $0.path.first == "第二编 分则" && $0.path.count >= 2 })
        #expect(second.path[1].hasPrefix("第一章"))
        // 第三十九条: the paragraph after its items is its 第二款.
        let art39 = doc.sections.filter { $0.path.contains("第三十九条") }
        #expect(art39.last?.path.last == "第二款", "\(art39.map(\.path))")
        #expect(art39.last?.text.hasPrefix("对于被判处管制的犯罪分子") ?? false)
    }

    @Test(.enabled(if: Fixtures.hasSharedCorpora, "needs ../shared/corpora"))
    func realTablesOfContentsAndLateChapters() throws {
        let beijing = try law("DLC/北京地方法规/地方性法规/北京/北京市数字经济促进条例(2022-11-25).txt")
        let sevenths = beijing.sections.filter { $0.path.last == "第七章 数字经济安全" }
        #expect(sevenths.count == 1, "\(sevenths.map(\.line))")
        #expect(sevenths.first?.path.count == 1, "\(sevenths.map(\.path))")
        #expect(beijing.sections.contains { $0.path == ["目录"] })
        let zhoukou = try FileManager.default.subpathsOfDirectory(atPath: Self.laws.path)
            .first { $0.hasSuffix("周口市文明行为促进条例(2020-12-16).txt") }
        let doc = try law(try #require(zhoukou))
        let chapter3 = try #require(doc.sections.first { $0.path.last == "第三章 保障与促进" })
        #expect(chapter3.path.count == 1)
        let articles = doc.sections.filter { $0.path.last?.hasSuffix("条") ?? false }
        #expect(articles.filter { $0.path.count > 1 }.count >= 30, "articles under a chapter")
    }

    /// Every law of the shared corpora: each `第X条` and `第X条之Y` line
    /// starts a section named by it; a statute heading sits only below
    /// headings of strictly higher rank; sections after a `第X编` line carry
    /// it; at most 1 % of reports repeat a path.
    @Test(.enabled(if: Fixtures.hasSharedCorpora, "needs ../shared/corpora"))
    func everyLawHasTheStatuteStructure() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.laws.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files.count > 3_000)
        var repeating: [String] = []
        var statutes = 0
        var failures: [String] = []
        for file in files {
            let text = try Fixtures.read(file, in: Self.laws)
            let doc = ReportParser().parse(text, fileName: (file as NSString).lastPathComponent)
            let lines = ReportParser.lines(of: text).lines
            let starts = Set(doc.sections.map(\.line))
            let articles = lines.filter { line in
                let s = line.scalars.drop { $0.isBlank }
                return HeadingRecognizer.match(s, markdown: false)?.style == .article
            }
            let isStatute = articles.count >= SectionSplitter.statuteArticles
            if isStatute { statutes += 1 }
            // Every law, statute or not.
            for line in articles {
                let s = Array(line.scalars.drop { $0.isBlank })
                let name = String(scalars: s.prefix(HeadingRecognizer.match(s[...], markdown: false)!.length))
                guard starts.contains(line.number),
                      doc.sections.first(where: { $0.line == line.number })?.path.last == name else {
                    failures.append("\(file):\(line.number) \(name) starts no section named by it")
                    continue
                }
            }
            if isStatute {
                for section in doc.sections {
                    let ranks = section.path.map(Self.rank)
                    for (i, r) in ranks.enumerated() {
                        guard let r else { continue }
                        if ranks[..<i].contains(where: { ($0 ?? -1) >= r }) {
                            failures.append("\(file):\(section.line) \(section.path) nests a level under one not above it")
                        }
                    }
                }
                var book: String?
                var bookLine = 0
                for line in lines {
                    let s = Array(line.scalars.drop { $0.isBlank })
                    if let m = HeadingRecognizer.match(s[...], markdown: false), m.style == .book {
                        book = HeadingRecognizer.displayTitle(s[..<m.length])
                        bookLine = line.number
                    }
                }
                if let book {
                    let after = doc.sections.filter { $0.line > bookLine }
                    if after.contains(where: { $0.path.first != book }) {
                        failures.append("\(file): a section after \(book) does not carry it")
                    }
                }
            }
            if Set(doc.sections.map(\.path)).count < doc.sections.count, isStatute {
                var seen = Set<[String]>()
                let repeated = doc.sections.filter { !seen.insert($0.path).inserted && !$0.path.isEmpty }
                if !repeated.isEmpty { repeating.append("\(file): \(repeated.first!.path)") }
            }
        }
        // The rule is decided per document: nearly every law is a statute by it.
        #expect(Double(statutes) >= 0.9 * Double(files.count), "\(statutes) of \(files.count) laws read as statutes")
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(10))")
        #expect(Double(repeating.count) <= 0.01 * Double(files.count),
                "\(repeating.count) of \(files.count) laws repeat a path, first: \(repeating.prefix(10))")
    }

    /// A statute level's rank as `SectionSplitter` ranks it, from a path's heading.
    static func rank(_ heading: String) -> Int? {
        let s = Array(heading.unicodeScalars)
        if heading == "目录" { return 0 }
        if heading.hasPrefix("第"), heading.hasSuffix("款"), !heading.contains(" ") { return 6 }
        guard let m = HeadingRecognizer.match(s[...], markdown: false) else { return nil }
        return SectionSplitter.statuteRank(m.style)
    }
}
