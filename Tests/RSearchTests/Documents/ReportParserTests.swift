import Foundation
import Testing
@testable import RSearchDocuments

@Suite struct ReportParserTests {
    @Test func seedMetadata() throws {
        let m = try Fixtures.parse(Fixtures.seedPath).metadata
        #expect(m.title == "局机关党委书记2022年度抓基层党建工作述职报告")
        #expect(m.year == 2022)
        #expect(m.kind == "述职报告")
        #expect(m.author == "局机关党委书记")
    }

    @Test func seedSectionPaths() throws {
        let doc = try Fixtures.parse(Fixtures.seedPath)
        let paths = doc.sections.map { $0.path.joined(separator: " › ") }
        #expect(paths.first == "")  // the title and the opening paragraph
        #expect(paths.contains("一、主要工作"))
        #expect(paths.contains("一、主要工作 › （一）强化思想引领，政治站位不断提升"))
        #expect(paths.contains("一、主要工作 › （一）强化思想引领，政治站位不断提升 › 一是严格落实第一议题学习制度"))
        #expect(paths.contains("一、主要工作 › （二）强化组织建设，党建工作成效明显 › 三是抓实党建阵地，筑牢意识形态根基"))
        #expect(paths.contains("二、存在问题 › （一）常思常学能力还有待进一步提升"))
        #expect(paths.contains("三、认识体会和努力方向 › （一）聚焦党的建设，着力提升党建标准化建设水平"))
        // Points are leaves: the next （二） closes 一是 … 三是 of （一）.
        #expect(!paths.contains { $0.contains("三是深入开展调查研究 ›") })
    }

    /// A heading sharing its line with the body: the heading is the first
    /// sentence; the points on the same line become their own sections.
    @Test func headingSharingItsLineWithBodyText() throws {
        let doc = try Fixtures.parse(Fixtures.seedPath)
        let heading = try #require(doc.sections.first { $0.heading == "（一）强化思想引领，政治站位不断提升" })
        #expect(heading.text == "（一）强化思想引领，政治站位不断提升。")
        #expect(heading.line == 5)
        let point = try #require(doc.sections.first { $0.heading == "三是抓实党建阵地，筑牢意识形态根基" })
        #expect(point.text.hasPrefix("三是抓实党建阵地，筑牢意识形态根基。积极营造全局红色党建氛围"))
        #expect(point.text.hasSuffix("共同维护意识形态安全和政治稳定。"))
        #expect(point.line == 6)
    }

    @Test func headingsOfEveryStyleNestInTheOrderADocumentUses() {
        let text = """
            第一章 总则
            第一条 为了规范管理，制定本办法。
            第二条 本办法适用于：
            （一）机关；
            （二）事业单位。
            第二章 附则
            第三条 本办法自发布之日起施行。
            """
        let doc = ReportParser().parse(text, fileName: "x.txt")
        #expect(doc.sections.map(\.path) == [
            ["第一章 总则"],
            ["第一章 总则", "第一条"],
            ["第一章 总则", "第二条"],
            ["第一章 总则", "第二条", "（一）机关"],
            ["第一章 总则", "第二条", "（二）事业单位"],
            ["第二章 附则"],
            ["第二章 附则", "第三条"],
        ])
        let nested = ReportParser().parse("一、总体\n1. 目标\n（1）细项\n2. 任务\n二、其他\n第一部分 回顾\n", fileName: "y.txt")
        #expect(nested.sections.map(\.path) == [
            ["一、总体"], ["一、总体", "1. 目标"], ["一、总体", "1. 目标", "（1）细项"], ["一、总体", "2. 任务"],
            ["二、其他"], ["二、其他", "第一部分 回顾"],
        ])
    }

    @Test func numbersAndEnumerationsAreNotHeadings() {
        let doc = ReportParser().parse("1.5亿元投入使用。\n一、二、三产业融合发展。\n统一是基础。\n", fileName: "z.txt")
        #expect(doc.sections.count == 1)
        #expect(doc.sections[0].path == [])
    }

    /// Sections partition the document: their texts, in order, are the whole
    /// text, whitespace aside. Checked on every shipped file.
    @Test func sectionsPartitionEveryShippedDocument() throws {
        let files = try Corpus(root: Fixtures.shippedCorpus).files()
        #expect(files.count >= 100)
        func squeeze(_ s: String) -> String { String(String.UnicodeScalarView(s.unicodeScalars.filter { !$0.isBlank })) }
        for file in files {
            let text = try String(contentsOf: file.url, encoding: .utf8)
            let doc = ReportParser().parse(text, fileName: file.url.lastPathComponent)
            let joined = doc.sections.map { squeeze($0.text) }.joined()
            #expect(joined == squeeze(text), "\(file.path)")
            #expect(doc.sections.map(\.line) == doc.sections.map(\.line).sorted(), "\(file.path)")
        }
    }

    @Test func sectionLinesPointAtTheirText() throws {
        let text = try Fixtures.read("gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt")
        let lines = text.components(separatedBy: "\n")
        let doc = ReportParser().parse(text, fileName: "2026_上海市_政府工作报告.txt")
        for section in doc.sections {
            let line = lines[section.line - 1]
            let start = String(section.text.prefix(8))
            #expect(line.contains(start), "line \(section.line): \(start)")
        }
    }

    @Test func provincialReportsWithWebClutter() throws {
        let yunnan = try Fixtures.parse("gov_work_reports_provincial_2026/2026_云南省_政府工作报告.txt").metadata
        #expect(yunnan.title == "2026年政府工作报告")
        #expect(yunnan.year == 2026)
        #expect(yunnan.date == "2026-01-28")
        #expect(yunnan.kind == "政府工作报告")
        #expect(yunnan.author == "省长 王予波")

        let sichuan = try Fixtures.parse("gov_work_reports_provincial_2026/2026_四川省_政府工作报告.txt").metadata
        #expect(sichuan.title == "2026年四川省人民政府工作报告")
        #expect(sichuan.date == "2026-02-03")  // the speech, not the web page's timestamp
        #expect(sichuan.author == "四川省人民政府省长 施小琳")
        #expect(sichuan.unit == "四川省")

        let shanghai = try Fixtures.parse("gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt").metadata
        #expect(shanghai.title == "2026年上海市政府工作报告")
        #expect(shanghai.author == "上海市市长 龚 正")
        #expect(shanghai.date == "2026-02-03")
        #expect(shanghai.unit == "上海市")
    }

    @Test func nationalReports() throws {
        let r2024 = try Fixtures.parse("gov_work_reports_national/2024_2024年中华人民共和国国务院政府工作报告.txt").metadata
        #expect(r2024.title == "政府工作报告")
        #expect(r2024.year == 2024)
        #expect(r2024.date == "2024-03-05")
        #expect(r2024.author == "国务院总理 李 强")

        // No title line at all: the file name gives title and year.
        let r1954 = try Fixtures.parse("gov_work_reports_national/1954_1954年中华人民共和国国务院政府工作报告.txt").metadata
        #expect(r1954.title == "1954年中华人民共和国国务院政府工作报告")
        #expect(r1954.year == 1954)
        #expect(r1954.kind == "政府工作报告")

        let resolution = try Fixtures.parse("gov_work_reports_national/nd_第十四届全国人民代表大会第一次会议关于政府工作报告的决议.txt").metadata
        #expect(resolution.kind == "决议")
        #expect(resolution.date == "2023-03-13")
        #expect(resolution.year == 2023)
    }

    @Test func policyDocumentWithClosingDate() throws {
        let m = try Fixtures.parse("policy_docs_samples/新余市人民政府办公室关于印发《新余市新余市...(FBM-CLI.12.748997).txt").metadata
        #expect(m.title == "新余市人民政府办公室关于印发《新余市新余市绿色建筑管理办法》的通知")
        #expect(m.kind == "通知")
        #expect(m.date == "2012-01-09")  // 二○一二年一月九日
        #expect(m.year == 2012)
        #expect(m.unit == "新余市人民政府办公室")
    }

    @Test func frontMatterOverridesInference() {
        let text = """
            ---
            title: 某某单位2023年工作总结
            author: 张三
            unit: 某某单位
            year: 2023
            ---
            2021年度述职报告
            一、主要工作
            """
        let doc = ReportParser().parse(text, fileName: "a.txt")
        #expect(doc.metadata.title == "某某单位2023年工作总结")
        #expect(doc.metadata.kind == "工作总结")
        #expect(doc.metadata.author == "张三")
        #expect(doc.metadata.unit == "某某单位")
        #expect(doc.metadata.year == 2023)
        #expect(doc.sections.first?.line == 7)
    }

    @Test func titleRoleAndChineseNumeralYear() {
        let doc = ReportParser().parse("办公室主任二〇二二年度述职报告\n正文。", fileName: "b.txt")
        #expect(doc.metadata.year == 2022)
        #expect(doc.metadata.author == "办公室主任")
        #expect(doc.metadata.kind == "述职报告")
    }

    @Test func lineEndingsAreAllTheSame() {
        let lf = ReportParser().parse("标题报告\n一、甲\n正文\n二、乙\n", fileName: "c.txt")
        let crlf = ReportParser().parse("标题报告\r\n一、甲\r\n正文\r\n二、乙\r\n", fileName: "c.txt")
        let cr = ReportParser().parse("标题报告\r一、甲\r正文\r二、乙\r", fileName: "c.txt")
        #expect(lf.sections == crlf.sections)
        #expect(lf.sections == cr.sections)
        #expect(lf.sections.map(\.line) == [1, 2, 4])
    }
}
