import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchEngine
@testable import RSearchOutput
@testable import RSearchQuery
@testable import RSearchStore

/// The renderers on values built here, without an index or the binary: each
/// format's layout, escaping and edge cases, byte for byte where the
/// README's schema fixes the bytes.
@Suite struct PrintersTests {
    static let seed = ReportInfo(path: "work_report_seed/2022_书记_述职报告.txt", metadata: ReportMetadata(
        title: "局机关党委书记2022年度抓基层党建工作述职报告", year: 2022, kind: "述职报告", author: "局机关党委书记"))
    static let bare = ReportInfo(path: "a/无题.txt", metadata: ReportMetadata(title: "无题"))

    static func hit(_ rank: Int, _ report: ReportInfo, path: [String], line: Int, text: String, term: String) -> Hit {
        let scalars = Array(text.unicodeScalars)
        let pattern = Array(term.unicodeScalars)
        var matches: [Range<Int>] = []
        if !pattern.isEmpty && scalars.count >= pattern.count {
            for i in 0...(scalars.count - pattern.count) where Array(scalars[i..<(i + pattern.count)]) == pattern {
                matches.append(i..<(i + pattern.count))
            }
        }
        return Hit(rank: rank, score: 10.0 / Double(rank), report: report,
                   section: SectionInfo(path: path, heading: path.last ?? "", line: line, text: text),
                   matches: matches, snippet: Snippet(scalars: scalars, matches: matches))
    }

    static let result = SearchResult(query: "意识形态", total: 5, hits: [
        hit(1, seed, path: ["一、主要工作", "三是抓实党建阵地，筑牢意识形态根基"], line: 6,
            text: "三是抓实党建阵地，筑牢意识形态根基。积极营造意识形态氛围。", term: "意识形态"),
        hit(2, bare, path: [], line: 1, text: "意识形态, \"引号\"\n第二行", term: "意识形态"),
        hit(3, seed, path: ["二、问题"], line: 20, text: "二、问题\n意识形态工作仍有差距。", term: "意识形态"),
    ])

    @Test func terminalGroupsHitsUnderTheirReportAndMarksMatches() {
        let out = TerminalPrinter(color: false, width: 80).render(Self.result)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The seed report first (its best hit is rank 1), with both its hits; then the other.
        #expect(lines[0] == "局机关党委书记2022年度抓基层党建工作述职报告")
        #expect(lines[1] == "2022 · 述职报告 · 局机关党委书记 · work_report_seed/2022_书记_述职报告.txt")
        #expect(lines[2] == " 1  一、主要工作 › 三是抓实党建阵地，筑牢意识形态根基 :6")
        #expect(lines[3].hasPrefix("    三是抓实党建阵地，筑牢[意识形态]根基。积极营造[意识形态]"))
        #expect(out.contains(" 3  二、问题 :20"))
        #expect(out.range(of: " 3  二、问题")!.lowerBound < out.range(of: "无题")!.lowerBound)
        #expect(out.contains("a/无题.txt") && out.contains(" 2  (开头) :1"))
        // Line breaks inside a snippet are spaces; nothing is wider than the terminal.
        #expect(out.contains("[意识形态], \"引号\" 第二行"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 }, "\(lines.map { DisplayWidth.of($0) })")
        #expect(!out.contains("\u{1B}"))
    }

    /// Snippet lines by the Chinese line-breaking rules (禁则), at every
    /// width: none begins with closing punctuation or ends with an opening
    /// one, none is wider than its room, and together they are the snippet.
    @Test func snippetLinesBreakByTheChineseRules() throws {
        let text = try Fixtures.read(Fixtures.seedPath)
        let scalars = Array(text.unicodeScalars.prefix(400))
        let matches = [3..<5, 5..<7, 40..<44, 120..<123]
        let snippet = Snippet(scalars: scalars, matches: matches)
        var moved = 0
        for columns in 12...70 {
            let printer = TerminalPrinter(color: false, width: 200)
            let lines = printer.wrapped(snippet, columns: columns)
            let plain = lines.map { $0.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "") }
            #expect(plain.joined() == snippet.text.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: ""))
            for (n, line) in lines.enumerated() {
                #expect(DisplayWidth.of(line) <= columns, "\(columns): \(line)")
                let first = plain[n].unicodeScalars.first!.value, last = plain[n].unicodeScalars.last!.value
                if n > 0 { #expect(!TerminalPrinter.noLineStart.contains(first), "\(columns): line \(n) \(line)") }
                if n < lines.count - 1 { #expect(!TerminalPrinter.noLineEnd.contains(last), "\(columns): line \(n) \(line)") }
            }
            // Greedy filling alone would have begun some line with punctuation.
            let widths = plain.dropLast().map { DisplayWidth.of($0) }
            if widths.contains(where: { $0 < columns - 2 }) { moved += 1 }
        }
        #expect(moved > 5)
        // Adjacent matches are marked apart; overlapping ones as one.
        let adjacent = Snippet(scalars: Array("党党的建设哈哈哈".unicodeScalars), matches: [0..<1, 1..<2, 5..<7, 6..<8])
        #expect(TerminalPrinter(color: false).wrapped(adjacent, columns: 60) == ["[党][党]的建设[哈哈哈]"])
    }

    /// `list` fits the terminal: every line within its width, the file
    /// name kept whole where a path is cut (in the middle).
    @Test func reportListFitsTheTerminal() {
        let long = ReportSummary(
            path: "gov_work_reports_provincial_2026/2026_海南省_政府工作报告.txt",
            metadata: ReportMetadata(title: "2026年海南省人民政府工作报告——在海南省第七届人民代表大会第五次会议上", year: 2026,
                                     kind: "政府工作报告", author: "海南省人民政府省长 刘小明"),
            sections: 80, characters: 20_000, encoding: "utf-8")
        for width in [80, 120] {
            let out = ReportListPrinter.render(Self.reports + [long], format: .table, width: width)
            let lines = out.split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(width): \(lines.map { DisplayWidth.of($0) })")
            #expect(lines.last!.hasSuffix("/2026_海南省_政府工作报告.txt"), "\(width): \(lines.last!)")
        }
        let cut = DisplayWidth.truncateMiddle("gov_work_reports_provincial_2026/2026_海南省_政府工作报告.txt", to: 40)
        #expect(cut.hasSuffix("…/2026_海南省_政府工作报告.txt") && DisplayWidth.of(cut) <= 40, "\(cut)")
        #expect(DisplayWidth.truncateMiddle("短", to: 40) == "短")
    }

    @Test func terminalColourIsEscapesAroundTheMatchNotBrackets() {
        let out = TerminalPrinter(color: true, width: 80).render(Self.result)
        #expect(out.contains("\u{1B}[1;31m意识形态\u{1B}[0m"))
        #expect(!out.contains("[意识形态]"))
    }

    @Test func narrowTerminalsCutAndWrapByDisplayWidth() {
        for width in [40, 41, 57, 63] {
            let lines = TerminalPrinter(color: false, width: width).render(Self.result).split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "width \(width)")
            #expect(lines.contains { $0.hasSuffix(":6") }, "the line number survives the cut at \(width)")
        }
    }

    @Test func summarySaysHowManyAndHowToSeeTheRest() {
        let printer = TerminalPrinter(color: false)
        #expect(printer.summary(Self.result, more: "use --limit N or --all") == "5 sections match; showing 3 (use --limit N or --all)")
        #expect(printer.summary(Self.result) == "5 sections match; showing 3")
        var one = Self.result
        one.total = 1
        one.hits = [one.hits[0]]
        #expect(printer.summary(one, more: "x") == "1 section matches")
        #expect(printer.summary(SearchResult(query: "无此词", total: 0, hits: [])) == "no matches for 无此词")
    }

    @Test func jsonFollowsTheSchemaByteForByte() {
        var hit = Self.hit(1, Self.bare, path: ["一、总则"], line: 3, text: "一、总则\n意识形态/\"", term: "意识形态")
        hit.duplicates = [SectionLocation(path: "b/副本.txt", line: 7)]
        let one = SearchResult(query: "意识形态", total: 2, hits: [hit])
        #expect(SearchJSON.result(one).serialized() == #"""
            {"query":"意识形态","total":2,"hits":[{"rank":1,"score":10.0,"report":{"path":"a/无题.txt","title":"无题","year":null,"date":null,"kind":null,"author":null,"unit":null,"enacted":null,"ocr":false},"section":{"path":["一、总则"],"heading":"一、总则","line":3,"page":null,"text":"一、总则\n意识形态/\""},"snippet":"一、总则 意识形态/\"","matches":[[5,9]],"duplicates":[{"path":"b/副本.txt","line":7}]}]}
            """#)
    }

    @Test func jsonLinesIsOneHitPerLineWithTheQueryFirst() throws {
        let lines = ResultFormats.jsonLines(Self.result).split(separator: "\n")
        #expect(lines.count == 3)
        for (n, line) in lines.enumerated() {
            #expect(line.hasPrefix(#"{"query":"意识形态","rank":\#(n + 1),"#))
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["snippet"] is String)
        }
    }

    /// A hit standing for copies lists them: on the terminal one dim line
    /// within the width, each path cut in the middle; in CSV one cell, a
    /// `path:line` per line.
    @Test func copiesShownOnceAreListedOnTheHit() {
        var hit = Self.hit(1, Self.bare, path: ["一、总则"], line: 3, text: "一、总则\n意识形态工作", term: "意识形态")
        hit.duplicates = [SectionLocation(path: "gov_work_reports_national_tmx_2008_2022/2016_政府工作报告_分句.txt", line: 161),
                          SectionLocation(path: "b/副本.txt", line: 7)]
        let result = SearchResult(query: "意识形态", total: 3, hits: [hit])
        for width in [40, 80, 120] {
            let lines = TerminalPrinter(color: false, width: width).render(result).split(separator: "\n").map(String.init)
            let also = lines.filter { $0.contains("also in 2 reports: ") }
            #expect(also.count == 1, "width \(width)")
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "width \(width)")
            if width >= 120 {
                #expect(also.first?.contains("2016_政府工作报告_分句.txt:161") == true && also.first?.contains("b/副本.txt:7") == true)
            }
        }
        let plain = TerminalPrinter(color: false, width: 80).render(SearchResult(query: "意识形态", total: 1, hits: [Self.hit(1, Self.bare, path: ["一、总则"], line: 3, text: "一、总则\n意识形态工作", term: "意识形态")]))
        #expect(!plain.contains("also in"))
        let rows = ResultFormats.csv(result).components(separatedBy: "\r\n")
        #expect(rows[0].hasSuffix(",match_count,duplicates,enacted,page,ocr"))
        #expect(rows[1].hasSuffix(",\"gov_work_reports_national_tmx_2008_2022/2016_政府工作报告_分句.txt:161\nb/副本.txt:7\",,,"))
    }

    @Test func csvQuotesWhatRFC4180RequiresAndEndsLinesWithCRLF() {
        let csv = ResultFormats.csv(Self.result)
        let rows = csv.components(separatedBy: "\r\n")
        #expect(rows[0] == "report_path,title,year,kind,author,section_path,line,snippet,match_count,duplicates,enacted,page,ocr")
        #expect(rows[1] == "work_report_seed/2022_书记_述职报告.txt,局机关党委书记2022年度抓基层党建工作述职报告,2022,述职报告,局机关党委书记,"
            + "一、主要工作 › 三是抓实党建阵地，筑牢意识形态根基,6,三是抓实党建阵地，筑牢意识形态根基。积极营造意识形态氛围。,2,,,,")
        // A comma and quotes in the snippet: quoted, quotes doubled; no year, kind, author: empty.
        #expect(rows[2] == #"a/无题.txt,无题,,,,,1,"意识形态, ""引号"" 第二行",1,,,,"#)
        #expect(csv.hasSuffix("\r\n") && !csv.hasPrefix("\u{FEFF}"))
        #expect(ResultFormats.csv(Self.result, excel: true).hasPrefix("\u{FEFF}report_path,"))
        #expect(ResultFormats.csvRow(["a\nb", "c\rd", "e"]) == "\"a\nb\",\"c\rd\",e\r\n")
    }

    @Test func filesAndCountsListEachReportOnceInRankOrder() {
        #expect(ResultFormats.filesWithMatches(Self.result) == "work_report_seed/2022_书记_述职报告.txt\na/无题.txt\n")
        // `-c` takes one hit per report, its occurrences over the report's sections.
        var perReport = SearchResult(query: "意识形态", total: 3, hits: [Self.result.hits[0], Self.result.hits[1]])
        perReport.hits[0].occurrences = 3
        #expect(ResultFormats.counts(perReport) == "work_report_seed/2022_书记_述职报告.txt:3\na/无题.txt:1\n")
    }

    static let reports = [
        ReportSummary(path: seed.path, metadata: seed.metadata, sections: 12, characters: 3456, encoding: "utf-8"),
        ReportSummary(path: bare.path, metadata: bare.metadata, sections: 1, characters: 9, encoding: "gb18030"),
    ]

    @Test func reportListsInEveryFormat() throws {
        let csv = ReportListPrinter.render(Self.reports, format: .csv)
        #expect(csv == "path,title,year,date,kind,author,unit,sections,characters,enacted\r\n"
            + "work_report_seed/2022_书记_述职报告.txt,局机关党委书记2022年度抓基层党建工作述职报告,2022,,述职报告,局机关党委书记,,12,3456,\r\n"
            + "a/无题.txt,无题,,,,,,1,9,\r\n")
        let json = try JSONSerialization.jsonObject(with: Data(ReportListPrinter.render(Self.reports, format: .json).utf8))
        let first = try #require((json as? [[String: Any]])?.first)
        #expect(first["encoding"] as? String == "utf-8" && first["sections"] as? Int == 12 && first["date"] is NSNull)
        #expect(ReportListPrinter.render(Self.reports, format: .jsonl).split(separator: "\n").count == 2)
        // Columns aligned by display width (narrow terminals: issue 18).
        let table = ReportListPrinter.render(Self.reports, format: .table, width: 100)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("年份  类型"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 100 }, "\(lines.map { DisplayWidth.of($0) })")
        // Every row's file column starts at the header's column.
        let start = DisplayWidth.of(String(lines[0][..<lines[0].range(of: "文件")!.lowerBound]))
        for (line, path) in zip(lines.dropFirst(), Self.reports.map(\.path)) {
            let cut = try #require(line.range(of: path), "\(line)")
            #expect(DisplayWidth.of(String(line[..<cut.lowerBound])) == start, "\(line)")
        }
    }

    @Test func outlinesIndentByDepthAndShowAContinuedSectionOnce() {
        let outline = [
            OutlineEntry(number: 1, path: [], line: 1),
            OutlineEntry(number: 2, path: ["一、主要工作"], line: 3),
            OutlineEntry(number: 3, path: ["一、主要工作", "（一）强化思想引领"], line: 4),
            OutlineEntry(number: 4, path: ["一、主要工作", "（一）强化思想引领"], line: 40),  // a long section's second piece
            OutlineEntry(number: 10, path: ["二、问题"], line: 120),
        ]
        let text = OutlinePrinter.text(Self.reports[0], outline: outline, width: 100, color: false)
        #expect(text == """
            局机关党委书记2022年度抓基层党建工作述职报告
            2022 · 述职报告 · 局机关党委书记 · work_report_seed/2022_书记_述职报告.txt

             1  :1    (开头)
             2  :3    一、主要工作
             3  :4      （一）强化思想引领
            10  :120  二、问题

            """)
        let section = SectionInfo(path: ["一、主要工作"], heading: "一、主要工作", line: 3, text: "一、主要工作\n正文")
        #expect(OutlinePrinter.sectionText(Self.reports[0], section: section, color: false)
            == "局机关党委书记2022年度抓基层党建工作述职报告\n一、主要工作  :3\n\n一、主要工作\n正文\n")
        #expect(OutlinePrinter.sectionJSON(Self.reports[0], section: section).hasSuffix(
            #","encoding":"utf-8"},"section":{"path":["一、主要工作"],"heading":"一、主要工作","line":3,"page":null,"text":"一、主要工作\n正文"}}"# + "\n"))
    }

    @Test func statsAndBuildSummaries() {
        let status = IndexStatus(totals: .init(reports: 2, sections: 13, characters: 3465, skipped: 1, indexBytes: 2_500_000,
                                               updated: "2026-12-02T08:00:00Z", corpus: nil), index: "/tmp/i.sqlite")
        #expect(StatsPrinter.json(status) == #"{"reports":2,"sections":13,"characters":3465,"skipped_files":1,"index_bytes":2500000,"index":"/tmp/i.sqlite","updated":"2026-12-02T08:00:00Z","corpus":null}"# + "\n")
        #expect(StatsPrinter.text(status, width: 80).contains("index size     2.5 MB"))

        var built = BuildSummary()
        built.rebuilt = true
        (built.reports, built.sections, built.bytes, built.seconds) = (2, 13, 1_250_000, 0.42)
        built.skipped = [("坏.docx", "not a Word document")]
        built.notRead = built.skipped
        #expect(BuildSummaryText.describe(built)
            == "indexed 2 reports, 13 sections, 1.2 MB read in 0.4 s; not read 1:\n  failed 坏.docx: not a Word document")
        var updated = BuildSummary()
        (updated.added, updated.updated, updated.removed, updated.renamed, updated.unchanged, updated.reports) = (1, 2, 3, 4, 5, 6)
        #expect(BuildSummaryText.describe(updated)
            == "updated: 1 added, 2 changed, 3 removed, 4 renamed, 5 unchanged; 6 reports, 0.0 MB read in 0.0 s")
        #expect(!updated.changed == false && BuildSummary().changed == false)
    }

    @Test func progressLineCountsFilesAndBytesAndTimeLeft() {
        let line = ProgressLine.render(BuildProgress(files: 50, totalFiles: 200, bytes: 10_000_000, totalBytes: 40_000_000),
                                       elapsed: 2)
        #expect(line == "\r\u{1B}[K  50/200 files  10.0/40.0 MB  5.0 MB/s  about 6 s left")
        #expect(ProgressLine.render(BuildProgress(files: 2, totalFiles: 2, bytes: 1, totalBytes: 1), elapsed: 1)
            .hasSuffix("finishing…"))
        var ocr = BuildProgress(files: 1, totalFiles: 3, bytes: 1_000_000, totalBytes: 3_000_000)
        ocr.pagesRecognised = 7
        #expect(ProgressLine.render(ocr, elapsed: 1).contains("  7 pages recognised (OCR)  "))
    }

    /// A paged report: `p.N` beside the line in the outline, on the hit,
    /// above a section; `OCR` before the metadata of recognised text.
    @Test func pagesAndOCRAreShown() {
        let outline = [OutlineEntry(number: 1, path: [], line: 1, page: 1),
                       OutlineEntry(number: 2, path: ["一、主要工作"], line: 4, page: 12)]
        let text = OutlinePrinter.text(Self.reports[0], outline: outline, width: 100, color: false)
        #expect(text.hasSuffix("""

            1  :1  p.1   (开头)
            2  :4  p.12  一、主要工作

            """), "\(text)")
        #expect(OutlinePrinter.json(Self.reports[0], outline: outline).contains(#""line":4,"page":12}"#))
        let section = SectionInfo(path: ["一、主要工作"], heading: "一、主要工作", line: 4, text: "一、主要工作\n正文", page: 12)
        #expect(OutlinePrinter.sectionText(Self.reports[0], section: section, color: false).contains("一、主要工作  :4 p.12\n"))
        var hit = Self.hit(1, Self.bare, path: ["一、主要工作"], line: 4, text: "一、主要工作\n意识形态工作", term: "意识形态")
        hit.section.page = 12
        hit.report.ocr = true
        let shown = TerminalPrinter(color: false, width: 100).render(SearchResult(query: "意识形态", total: 1, hits: [hit]))
        #expect(shown.contains(" :4 p.12\n"), "\(shown)")
        #expect(shown.split(separator: "\n")[1].hasPrefix("OCR · "), "\(shown)")
        #expect(ResultFormats.csv(SearchResult(query: "意识形态", total: 1, hits: [hit])).components(separatedBy: "\r\n")[1]
            .hasSuffix(",12,yes"))
    }

    @Test func openSearchBulkLinesArePairsWithTheHitSchemasObjects() throws {
        let section = SectionInfo(path: ["一、总则"], heading: "一、总则", line: 3, text: "正文")
        let lines = OpenSearchExport.bulkLines(report: Self.seed, section: section, number: 4, indexName: "r").split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0] == #"{"index":{"_index":"r","_id":"work_report_seed/2022_书记_述职报告.txt#4"}}"#)
        #expect(lines[1] == Substring(JSONValue.object([("report", RecordJSON.report(Self.seed)),
                                                        ("section", RecordJSON.section(section))]).serialized()))
    }
}
