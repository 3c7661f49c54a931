import Foundation
import Testing
@testable import RSearchDocuments

/// One paragraph per line, one clause per line, hard-wrapped lines: the same
/// report gives the same metadata and sections, whitespace aside.
@Suite struct LayoutTests {
    static func squeeze(_ s: String) -> String { String(String.UnicodeScalarView(s.unicodeScalars.filter { !$0.isBlank })) }

    /// The seed report with every line broken after each `，` and `。`.
    static func clausePerLine(_ text: String) -> String {
        var out = ""
        for c in text {
            out.append(c)
            if c == "，" || c == "。" || c == "；" { out.append("\n") }
        }
        return out
    }

    /// The seed report hard-wrapped at `width` characters, paragraphs
    /// separated by blank lines.
    static func hardWrapped(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { paragraph -> String in
            var lines: [String] = []
            var rest = Substring(paragraph)
            while rest.count > width {
                lines.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
            lines.append(String(rest))
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    func assertSameAsParagraphLayout(_ variant: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let original = try Fixtures.parse(Fixtures.seedPath)
        let other = ReportParser().parse(variant, fileName: URL(fileURLWithPath: Fixtures.seedPath).lastPathComponent)
        #expect(other.metadata == original.metadata, sourceLocation: sourceLocation)
        #expect(other.sections.map(\.path) == original.sections.map(\.path), sourceLocation: sourceLocation)
        #expect(other.sections.map { Self.squeeze($0.text) } == original.sections.map { Self.squeeze($0.text) },
                sourceLocation: sourceLocation)
    }

    @Test func clausePerLineGivesTheSameReport() throws {
        try assertSameAsParagraphLayout(Self.clausePerLine(Fixtures.read(Fixtures.seedPath)))
    }

    @Test func hardWrappedGivesTheSameReport() throws {
        for width in [23, 37, 60] {
            try assertSameAsParagraphLayout(Self.hardWrapped(Fixtures.read(Fixtures.seedPath), width: width))
        }
    }

    /// A phrase that a wrap cut in two is found, and a wrap that puts 一是 at
    /// the start of a line inside a word (统\n一是) makes no point.
    @Test func wrappedPhrasesAreWholeAgain() throws {
        let text = "述职报告\n一、主要工作\n（一）强化引领。我们坚持意识\n形态工作责任制，推动各项工作统\n一是关键，落到实处。\n"
        let doc = ReportParser().parse(text, fileName: "w.txt")
        #expect(doc.sections.map(\.path) == [[], ["一、主要工作"], ["一、主要工作", "（一）强化引领"]])
        #expect(doc.sections.last!.text.contains("意识形态工作责任制"))
        #expect(doc.sections.last!.text.contains("工作统一是关键"))
        #expect(doc.sections.last!.line == 3)
    }

    /// The real sentence-per-line corpus against the paragraph layout of the
    /// same reports (two sources of the same texts): the headings of the top
    /// two levels agree. 2009's aligned text lacks one heading of its own.
    @Test(.enabled(if: Fixtures.hasSharedCorpora, "needs ../shared/corpora"))
    func alignedCorpusMatchesTheParagraphLayout() throws {
        let aligned = Fixtures.sharedCorpora.appendingPathComponent("gov_work_reports_national_tmx_2008_2022")
        for year in 2008...2022 where year != 2009 && year != 2020 {
            let a = try Fixtures.parse("\(year)_政府工作报告_分句.txt", in: aligned)
            let b = try Fixtures.parse("gov_work_reports_national/\(year)_\(year)年中华人民共和国国务院政府工作报告.txt")
            func top(_ d: Document) -> [[String]] {
                var seen = Set<[String]>()
                return d.sections.map(\.path).filter { $0.count <= 2 && seen.insert($0).inserted }
            }
            #expect(top(a) == top(b), "\(year)")
            #expect(a.metadata.year == year)
            #expect(a.metadata.kind == "政府工作报告")
        }
    }
}
