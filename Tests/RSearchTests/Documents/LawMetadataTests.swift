import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore
@testable import RSearchOutput

/// A law's metadata as a citation needs it (issue 19): the version's own date
/// and year, its genre, its issuing body; titles that are titles. On texts
/// written here and over the laws and Party congress reports of the shared
/// corpora, whose file names carry the version date (lawrefbook).
@Suite struct LawMetadataTests {
    func metadata(_ text: String, _ fileName: String = "x.txt") -> ReportMetadata {
        ReportParser().parse(text, fileName: fileName).metadata
    }

    @Test func aLawsDateIsItsVersionsNotItsEnactment() {
        let m = metadata("""
            中华人民共和国未成年人保护法

            1991年9月4日 第七届全国人民代表大会常务委员会第二十一次会议通过

            2020年10月17日 第十三届全国人民代表大会常务委员会第二十二次会议第二次修订

            2024年4月26日 第十四届全国人民代表大会常务委员会第九次会议《关于修改〈中华人民共和国农业技术推广法〉等四部法律的决定》第二次修正

            第一章 总则

            第一条 为了保护未成年人身心健康，制定本法。
            """)
        #expect(m.date == "2024-04-26")
        #expect(m.year == 2024)
        #expect(m.kind == "法")
        #expect(m.unit == "全国人民代表大会常务委员会")
        // Taking effect is not a version.
        let rule = metadata("人民检察院刑事诉讼规则\n2019年12月2日 最高人民检察院第十三届检察委员会第二十八次会议通过\n2019年12月30日 施行\n第一条 甲。\n")
        #expect(rule.date == "2019-12-02")
        #expect(rule.unit == "最高人民检察院检察委员会")
        #expect(metadata("上海航运交易所管理规定\n1996年9月19日 经国务院批准\n1996年10月3日 中华人民共和国交通部令第8号发布\n第一条 甲。\n").unit
                == "中华人民共和国交通部")
    }

    @Test func genresAndTitles() {
        #expect(metadata("中华人民共和国刑法修正案（十一）\n第一条 甲。\n").kind == "修正案")
        #expect(metadata("某局２０２２年工作總結\n一、成绩\n").kind == "工作总结")
        let book = metadata("中华人民共和国民法典\n人格权编\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n第一章 一般规定\n")
        #expect(book.title == "中华人民共和国民法典 人格权编")
        #expect(book.kind == "法典")
        #expect(book.unit == "全国人民代表大会")
        // The file name's version date is not part of a title taken from it.
        #expect(metadata("", "最高人民法院关于审理案件适用法律若干问题的解释(2019-01-31).txt").title
                == "最高人民法院关于审理案件适用法律若干问题的解释")
        // A salutation is never a title; a corpus tool's prefix is not part of one.
        let speech = metadata("同志们！\n中国共产党第九次全国代表大会，将是一次团结的大会。\n",
                              "cpc09_在中国共产党第九次全国代表大会上的报告.txt")
        #expect(speech.title == "在中国共产党第九次全国代表大会上的报告")
        #expect(speech.kind == "报告")
        let two = metadata("""
            决胜全面建成小康社会
            夺取新时代中国特色社会主义伟大胜利
            ——在中国共产党第十九次全国代表大会上的报告
            （2017年10月18日）
            习　近　平
            同志们：
            """)
        #expect(two.title == "决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利")
        #expect(two.kind == "报告")
        #expect(two.author == "习 近 平")
        #expect(two.date == "2017-10-18")
    }

    /// Two versions of one law: each found by its own year, both by the
    /// year it was first enacted, which JSON and CSV carry.
    @Test func versionsByTheirYearAndByTheirEnactment() throws {
        let root = Fixtures.temporaryDirectory("rsearch-versions")
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let history = "1991年9月4日 第七届全国人民代表大会常务委员会第二十一次会议通过\n\n"
        let versions = [
            "未成年人保护法(2020-10-17).txt": history + "2020年10月17日 第十三届全国人民代表大会常务委员会第二十二次会议第二次修订\n\n",
            "未成年人保护法(2024-04-26).txt": history + "2020年10月17日 第十三届全国人民代表大会常务委员会第二十二次会议第二次修订\n\n"
                + "2024年4月26日 第十四届全国人民代表大会常务委员会第九次会议第二次修正\n\n",
        ]
        for (name, top) in versions {
            let text = "中华人民共和国未成年人保护法\n\n" + top + "第一章 总则\n\n第一条 为了保护未成年人身心健康，制定本法。\n\n"
                + "第二条 本法所称未成年人是指未满十八周岁的公民。\n\n第三条 国家保障未成年人的生存权。\n"
            try Data(text.utf8).write(to: corpus.appendingPathComponent(name))
        }
        let destination = root.appendingPathComponent("rsearch.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        let searcher = Searcher(index: try IndexDatabase(path: destination))
        var options = SearchOptions()
        options.detail = .reports
        options.limit = nil
        func reports(_ query: String) throws -> [String] {
            try searcher.search(query, options: options).hits.map(\.report.path).sorted()
        }
        #expect(try reports("未成年人 year:2020") == ["未成年人保护法(2020-10-17).txt"])
        #expect(try reports("未成年人 year:2024") == ["未成年人保护法(2024-04-26).txt"])
        #expect(try reports("未成年人 enacted:1991") == versions.keys.sorted())
        #expect(try reports("未成年人 enacted:1992..") == [])
        #expect(throws: QueryError.self) { try QueryParser().parse("未成年人 enacted:九一") }
        let hit = try #require(searcher.search("未成年人 year:2024").hits.first)
        #expect(hit.report.metadata.enacted == "1991-09-04")
        #expect(hit.report.metadata.date == "2024-04-26")
        #expect(RecordJSON.report(hit.report).serialized().contains(#""enacted": "1991-09-04""#)
                || RecordJSON.report(hit.report).serialized().contains(#""enacted":"1991-09-04""#))
        let csv = ResultFormats.csv(try searcher.search("未成年人 year:2024"))
        #expect(csv.hasPrefix(ResultFormats.csvHeader.joined(separator: ",")) && csv.contains("1991-09-04"))
        let list = try Catalog(index: IndexDatabase(path: destination)).reports(Filters(enacted: 1991...1991))
        #expect(list.count == 2 && list.allSatisfy { $0.metadata.enacted == "1991-09-04" })
    }

    /// The shipped corpus's only changes: two national reports that open with
    /// a salutation were titled with it, and a 摘要 lost its genre.
    @Test func shippedReportsThatOpenWithASalutation() throws {
        let m1978 = try Fixtures.parse("gov_work_reports_national/1978_1978年中华人民共和国国务院政府工作报告.txt").metadata
        #expect(m1978.title == "1978年中华人民共和国国务院政府工作报告")
        #expect(m1978.kind == "政府工作报告")
        let m1964 = try Fixtures.parse("gov_work_reports_national/1964_1964年中华人民共和国国务院政府工作报告（摘要）.txt").metadata
        #expect(m1964.kind == "政府工作报告")
    }

    static let laws = Fixtures.sharedCorpora.appendingPathComponent("cn_laws_lawrefbook")

    /// `(2024-04-26)` at the end of a lawrefbook file name.
    static func fileDate(_ name: String) -> String? {
        guard let r = name.range(of: #"\((\d{4})-(\d{2})-(\d{2})\)\.txt$"#, options: .regularExpression) else { return nil }
        return String(name[r].dropFirst().prefix(10))
    }

    @Test(.enabled(if: Fixtures.hasSharedCorpora, "needs ../shared/corpora"))
    func everyLawIsDescribed() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.laws.path).filter { $0.hasSuffix(".txt") }.sorted()
        var dated = 0, rightYear = 0, withKind = 0, withUnit = 0, unitInText = 0
        var wrongYear: [String] = [], noKind: [String] = [], noUnit: [String] = []
        for file in files {
            let text = try Fixtures.read(file, in: Self.laws)
            let name = (file as NSString).lastPathComponent
            let m = ReportParser().parse(text, fileName: name).metadata
            if let date = Self.fileDate(name) {
                dated += 1
                if m.year == Int(date.prefix(4)) {
                    rightYear += 1
                } else {
                    wrongYear.append("\(file): \(m.year.map { String($0) } ?? "nil")")
                }
            }
            if m.kind != nil { withKind += 1 } else { noKind.append("\(file): \(m.title)") }
            if let unit = m.unit {
                withUnit += 1
                // The body's name as the first lines write it, a term number (第十三届) aside.
                let top = text.split(separator: "\n").prefix(30).joined()
                    .replacingOccurrences(of: #"第[一二三四五六七八九十百零〇\d]+届"#, with: "", options: .regularExpression)
                if top.contains(unit) || text.prefix(3_000).contains(unit) { unitInText += 1 }
            } else {
                noUnit.append(file)
            }
        }
        #expect(dated > 3_000)
        #expect(Double(rightYear) >= 0.97 * Double(dated), "\(rightYear) of \(dated): \(wrongYear.prefix(12))")
        #expect(Double(withKind) >= 0.97 * Double(files.count), "\(withKind) of \(files.count): \(noKind.prefix(12))")
        #expect(Double(withUnit) >= 0.80 * Double(files.count), "\(withUnit) of \(files.count): \(noUnit.prefix(12))")
        #expect(unitInText == withUnit, "\(withUnit - unitInText) units not in their law's first lines")
    }

    @Test(.enabled(if: Fixtures.hasSharedCorpora, "needs ../shared/corpora"))
    func partyCongressReports() throws {
        let folder = Fixtures.sharedCorpora.appendingPathComponent("cpc_congress_reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files.count >= 15)
        for file in files {
            let m = ReportParser().parse(try Fixtures.read(file, in: folder), fileName: file).metadata
            #expect(!MetadataExtractor.salutations.contains { m.title.hasPrefix($0) } && !m.title.hasSuffix("！"),
                    "\(file): \(m.title)")
            #expect(m.kind != nil, "\(file): \(m.title)")
            if file.hasPrefix("cpc03") { #expect(m.author == "陈独秀", "\(file): \(m.author ?? "nil")") }
            if file.hasPrefix("cpc19") || file.hasPrefix("cpc20") {
                #expect(m.author?.filter { $0 != " " } == "习近平", "\(file): \(m.author ?? "nil")")
                #expect(m.title.contains(" "), "\(file): two-line title \(m.title)")
            }
        }
    }
}
