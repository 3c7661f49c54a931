import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore
@testable import RSearchOutput

/// PDFs made from shipped reports by two producers (`PDFMaker`), indexed:
/// each reads as its text file does, its phrases are found, no page
/// furniture is text, and every section's page is where poppler's own
/// per-page output has its first characters.
@Suite(.serialized) struct PDFTests {
    static let reports = [
        Fixtures.seedPath,
        "gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt",
        "gov_work_reports_national/2008_2008年中华人民共和国国务院政府工作报告.txt",
        "policy_docs_samples/海口市水务局关于2020年2月1日—2020年2月29日生产建设...(FBM-CLI.12.7186154).txt",
    ]
    static let producers = ["reportlab", "libreoffice"]

    struct Made {
        var corpus: URL
        var summary: BuildSummary
        var searcher: Searcher
        var index: IndexDatabase
        /// `producer/stem.pdf` for each report.
        func path(_ producer: String, _ report: String) -> String {
            producer + "/" + URL(fileURLWithPath: report).deletingPathExtension().lastPathComponent + ".pdf"
        }
    }

    static let made: Result<Made, Error> = Result {
        let root = Fixtures.temporaryDirectory("rsearch-pdf")
        let corpus = root.appendingPathComponent("corpus")
        let texts = root.appendingPathComponent("texts")
        for folder in ["reportlab", "libreoffice", "bold"] {
            try FileManager.default.createDirectory(at: corpus.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: texts, withIntermediateDirectories: true)
        var copies: [URL] = []
        for report in reports {
            let copy = texts.appendingPathComponent(URL(fileURLWithPath: report).lastPathComponent)
            try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(report), to: copy)
            copies.append(copy)
            let stem = copy.deletingPathExtension().lastPathComponent
            try PDFMaker.reportlab(text: copy, to: corpus.appendingPathComponent("reportlab/\(stem).pdf"))
        }
        try PDFMaker.reportlab(text: copies[0], to: corpus.appendingPathComponent("bold/seed.pdf"),
                               PDFMaker.Options(bold: true))
        try PDFMaker.libreOffice(copies, into: corpus.appendingPathComponent("libreoffice"))
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        let index = try IndexDatabase(path: destination)
        return Made(corpus: corpus, summary: summary, searcher: Searcher(index: index), index: index)
    }

    static var unavailable: String? { PDFMaker.missing(reportlab: true, libreOffice: true) }

    @Test func everyPDFIsAReport() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        #expect(made.summary.skipped.isEmpty, "\(made.summary.skipped)")
        #expect(made.summary.reports == 2 * Self.reports.count + 1)
    }

    /// Title, year and kind as the text file's.
    @Test func aPDFHasItsReportsMetadata() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        let catalog = Catalog(index: made.index)
        for report in Self.reports {
            let truth = try Fixtures.parse(report).metadata
            for producer in Self.producers {
                let pdf = try catalog.report(named: made.path(producer, report))
                #expect(pdf.metadata.title == truth.title, "\(producer): \(report)")
                #expect(pdf.metadata.year == truth.year, "\(producer): \(report)")
                #expect(pdf.metadata.kind == truth.kind, "\(producer): \(report)")
                #expect(pdf.encoding == "pdf")
            }
        }
    }

    /// At least 99 % of phrases sampled from the text file's lines are
    /// found in its PDF, a sentence cut by a line or page break included.
    @Test func sampledPhrasesOfTheTextAreFoundInItsPDF() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        var (generator, seed) = SeededGenerator.fromEnvironment(default: 20)
        for producer in Self.producers {
            let (sampled, missed) = try PhraseSampling.check(Self.reports, count: 150, in: made.searcher, using: &generator) {
                [made.path(producer, $1)]
            }
            let found = Double(sampled - missed.count) / Double(sampled)
            print("\(producer): \(sampled - missed.count) of \(sampled) sampled phrases found")
            #expect(found >= 0.99, "\(producer): \(missed.count) of \(sampled) phrases not found (seed \(seed)): \(missed.prefix(12))")
        }
    }

    /// No page-number line and no running header is text of any section
    /// (of a PDF of two pages or more: on a single page, the header line is
    /// the page's own, as a 公文's 版头 is).
    @Test func noPageFurnitureIsText() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        var sections = 0
        var lastPage: [String: Int] = [:]
        try Catalog(index: made.index).forEachSection { report, section, _ in lastPage[report.path] = section.page }
        try Catalog(index: made.index).forEachSection { report, section, _ in
            sections += 1
            if (lastPage[report.path] ?? 1) > 1 {
                #expect(!section.text.contains(PDFMaker.runningHeader), "\(report.path):\(section.line)")
            }
            for line in section.text.split(whereSeparator: \.isNewline) {
                #expect(!PagedText.isPageNumber(String(line)), "\(report.path):\(section.line): \(line)")
            }
            #expect(section.text.range(of: #"- \d+ -"#, options: .regularExpression) == nil, "\(report.path):\(section.line)")
        }
        #expect(sections > 100)
    }

    /// Each section's page is the page where poppler's own text of the page
    /// (`pdftotext -f N -l N`) has the section's first characters.
    @Test func eachSectionStartsOnItsPage() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        var pageTexts: [String: [Int: String]] = [:]
        func pageText(_ path: String, _ page: Int) throws -> String {
            if let text = pageTexts[path]?[page] { return text }
            let text = try PDFMaker.popplerText(made.corpus.appendingPathComponent(path), page: page)
                .unicodeScalars.filter { !$0.isBlank }.map(String.init).joined()
            pageTexts[path, default: [:]][page] = text
            return text
        }
        var checked = 0
        var pages = Set<Int>()
        try Catalog(index: made.index).forEachSection { report, section, _ in
            let page = try #require(section.page, "\(report.path):\(section.line) has no page")
            pages.insert(page)
            let start = String(section.text.unicodeScalars.filter { !$0.isBlank }.prefix(6).map(Character.init))
            let here = try pageText(report.path, page)
            // The first characters on this page, or begun here and ended on the next.
            let next = (try? pageText(report.path, page + 1)) ?? ""
            let across = (here + next).range(of: start).map { (here + next).distance(from: (here + next).startIndex, to: $0.lowerBound) < here.count } ?? false
            #expect(here.contains(start) || across, "\(report.path):\(section.line) p.\(page): \(start)")
            checked += 1
        }
        print("pages: \(checked) sections checked against pdftotext's pages")
        #expect(checked > 100)
        #expect(pages.count > 5, "pages beyond the first are counted")
    }

    /// Hits carry the page in JSON and on the terminal.
    @Test func hitsSayTheirPage() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        var options = SearchOptions()
        options.allCopies = true
        let result = try made.searcher.search("食药安全基础更加稳固", options: options)
        let hit = try #require(result.hits.first { $0.report.path == made.path("reportlab", Fixtures.seedPath) })
        let page = try #require(hit.section.page)
        #expect(page > 1)
        let json = SearchJSON.hit(hit).serialized()
        #expect(json.contains("\"page\":\(page)") || json.contains("\"page\": \(page)"))
        #expect(ResultFormats.csvHeader.contains("page"))
    }

    /// A PDF's info title names a report whose text states none, and
    /// never overrides the title the text states. (Three pages, so that the
    /// running header is furniture, not the first line of the text.)
    @Test func theInfoTitleIsAFallback() throws {
        if PDFMaker.skipped(PDFMaker.missing(reportlab: true)) { return }
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-pdf-title")
        let untitled = root.appendingPathComponent("untitled.txt")
        try String(repeating: "本段没有标题，只有正文内容，用来检查元数据的来源是否正确，并且足够长以免被当成标题。\n", count: 60)
            .write(to: untitled, atomically: true, encoding: .utf8)
        try PDFMaker.reportlab(text: untitled, to: corpus.appendingPathComponent("a.pdf"),
                               PDFMaker.Options(title: "关于加强档案管理工作的通知"))
        try PDFMaker.reportlab(text: Fixtures.shippedCorpus.appendingPathComponent(Fixtures.seedPath),
                               to: corpus.appendingPathComponent("b.pdf"), PDFMaker.Options(title: "Microsoft Word - 别的标题.doc"))
        let destination = root.appendingPathComponent("i.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        let catalog = Catalog(index: try IndexDatabase(path: destination))
        let a = try catalog.report(named: "a.pdf").metadata
        #expect(a.title == "关于加强档案管理工作的通知" && a.kind == "通知", "\(a)")
        #expect(try catalog.report(named: "b.pdf").metadata.title == "局机关党委书记2022年度抓基层党建工作述职报告")
    }

    /// Fake bold (every glyph drawn twice, a hair apart) reads as plain
    /// text: poppler drops the doubled glyphs itself.
    @Test func fakeBoldIsReadOnce() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        var texts: [String: [String]] = [:]
        try Catalog(index: made.index).forEachSection { report, section, _ in texts[report.path, default: []].append(section.text) }
        #expect(texts["bold/seed.pdf"] == texts[made.path("reportlab", Fixtures.seedPath)])
    }
}
