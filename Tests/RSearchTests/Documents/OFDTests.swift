import Foundation
import Testing
import ZIPFoundation
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// OFD packages (GB/T 33190-2016) written by the test from shipped reports,
/// to the standard's structure: `OFD.xml` with `DocInfo` and `DocRoot`,
/// `Doc_0/Document.xml` with the page area and the pages, and each page's
/// `Content.xml` with one `TextObject` per line of 5.6 mm text (16 pt),
/// `DeltaX` in the `g N D` form, paragraphs indented two characters.
@Suite struct OFDTests {
    static let reports = [
        Fixtures.seedPath,
        "gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt",
    ]

    static let size = 5.6, left = 28.0, top = 37.0, width = 154.0, linesPerPage = 22

    /// The package's parts; `lines` of each page as (x, y, text) in millimetres.
    static func package(_ text: String, title: String?, author: String?) throws -> Data {
        var pages: [[(x: Double, y: Double, text: String)]] = [[]]
        let perLine = Int(width / size)
        for paragraph in text.split(whereSeparator: \.isNewline).map(String.init) where !paragraph.trimmingCharacters(in: .whitespaces).isEmpty {
            var scalars = Array(paragraph.trimmingCharacters(in: .whitespaces).unicodeScalars)
            var first = true
            while !scalars.isEmpty {
                let room = first ? perLine - 2 : perLine
                let piece = String(String.UnicodeScalarView(scalars.prefix(room)))
                scalars.removeFirst(min(room, scalars.count))
                if pages[pages.count - 1].count == linesPerPage { pages.append([]) }
                let y = top + Double(pages[pages.count - 1].count) * size * 1.8
                pages[pages.count - 1].append((left + (first ? 2 * size : 0), y, piece))
                first = false
            }
        }
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var parts: [(String, String)] = []
        let info = (title.map { "<ofd:Title>\(escaped($0))</ofd:Title>" } ?? "") + (author.map { "<ofd:Author>\(escaped($0))</ofd:Author>" } ?? "")
        parts.append(("OFD.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">
            <ofd:DocBody><ofd:DocInfo><ofd:DocID>0C1D4F7159954EEEDE517F7285E84DC4</ofd:DocID>\(info)</ofd:DocInfo>
            <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>
            """))
        let pageList = pages.indices.map { #"<ofd:Page ID="\#($0 + 10)" BaseLoc="Pages/Page_\#($0)/Content.xml"/>"# }.joined()
        parts.append(("Doc_0/Document.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>9999</ofd:MaxUnitID>
            <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>
            </ofd:CommonData><ofd:Pages>\(pageList)</ofd:Pages></ofd:Document>
            """))
        for (n, lines) in pages.enumerated() {
            var objects = lines.enumerated().map { i, line in
                let count = line.text.unicodeScalars.count
                return #"<ofd:TextObject ID="\#(1000 + i)" Boundary="\#(line.x) \#(line.y - size) \#(Double(count) * size) \#(size * 1.2)" Font="3" Size="\#(size)"><ofd:TextCode X="0" Y="\#(size)" DeltaX="g \#(max(count - 1, 1)) \#(size)">\#(escaped(line.text))</ofd:TextCode></ofd:TextObject>"#
            }
            // The page number at the foot, as 公文 print it.
            objects.append(#"<ofd:TextObject ID="999" Boundary="95 275 20 6" Font="3" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="2 2 2 2">- \#(n + 1) -</ofd:TextCode></ofd:TextObject>"#)
            parts.append(("Doc_0/Pages/Page_\(n)/Content.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="\(n + 500)">\(objects.joined())</ofd:Layer></ofd:Content></ofd:Page>
                """))
        }
        let archive = try Archive(accessMode: .create)
        for (path, xml) in parts {
            let data = Data(xml.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    struct Made {
        var index: IndexDatabase
        var summary: BuildSummary
        var corpus: URL
    }

    static let made: Result<Made, Error> = Result {
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-ofd")
        for (n, report) in reports.enumerated() {
            try package(try Fixtures.read(report), title: nil, author: nil).write(to: corpus.appendingPathComponent("\(n).ofd"))
        }
        let untitled = String(repeating: "本段没有标题，只有正文内容，用来检查元数据的来源，并且足够长以免被当成标题来读。\n", count: 3)
        try package(untitled, title: "关于规范电子公文格式的通知", author: "某某市档案局").write(to: corpus.appendingPathComponent("titled.ofd"))
        try Data("PK\u{3}\u{4} not really a zip".utf8).write(to: corpus.appendingPathComponent("damaged.ofd"))
        let withoutRoot = try Archive(accessMode: .create)
        let note = Data("<x/>".utf8)
        try withoutRoot.addEntry(with: "readme.xml", type: .file, uncompressedSize: Int64(note.count)) { p, s in
            note.subdata(in: Int(p)..<Int(p) + s)
        }
        try withoutRoot.data!.write(to: corpus.appendingPathComponent("no-root.ofd"))
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        return Made(index: try IndexDatabase(path: destination), summary: summary, corpus: corpus)
    }

    @Test func anOFDReadsAsItsReport() throws {
        let made = try Self.made.get()
        let catalog = Catalog(index: made.index)
        for (n, report) in Self.reports.enumerated() {
            let truth = try Fixtures.parse(report)
            let summary = try catalog.report(named: "\(n).ofd")
            #expect(summary.metadata.title == truth.metadata.title)
            #expect(summary.metadata.year == truth.metadata.year)
            #expect(summary.metadata.kind == truth.metadata.kind)
            #expect(summary.encoding == "ofd")
            let topLevel = OfficeFormatsTests.topLevel(truth.sections.map(\.path))
            let found = OfficeFormatsTests.topLevel(try catalog.outline(of: summary).map(\.path))
            #expect(Double(topLevel.filter(found.contains).count) >= 0.9 * Double(topLevel.count), "\(found) against \(topLevel)")
        }
        let titled = try catalog.report(named: "titled.ofd").metadata
        #expect(titled.title == "关于规范电子公文格式的通知" && titled.kind == "通知" && titled.author == "某某市档案局", "\(titled)")
    }

    @Test func phrasesAreFoundAndPagesAreRight() throws {
        let made = try Self.made.get()
        let searcher = Searcher(index: made.index)
        var (generator, seed) = SeededGenerator.fromEnvironment(default: 23)
        let (sampled, missed) = try PhraseSampling.check(Self.reports, count: 150, in: searcher, using: &generator) { n, _ in
            ["\(n).ofd"]
        }
        print("OFD: \(sampled - missed.count) of \(sampled) sampled phrases found")
        #expect(Double(sampled - missed.count) >= 0.99 * Double(sampled), "seed \(seed): \(missed.prefix(10))")
        // Pages: the section that starts `三是抓实党建阵地` is on the page whose
        // Content.xml holds its first line.
        var options = SearchOptions()
        options.allCopies = true
        let hit = try #require(try searcher.search("抓实党建阵地", options: options).hits.first { $0.report.path == "0.ofd" })
        let page = try #require(hit.section.page)
        let archive = try Archive(data: try Data(contentsOf: made.corpus.appendingPathComponent("0.ofd")), accessMode: .read)
        var xml = Data()
        _ = try archive.extract(try #require(archive["Doc_0/Pages/Page_\(page - 1)/Content.xml"])) { xml.append($0) }
        #expect(String(decoding: xml, as: UTF8.self).contains("三是抓实党建阵地"), "p.\(page)")
        var pageNumbers = 0
        try Catalog(index: made.index).forEachSection { _, section, _ in
            if section.text.contains("- 1 -") || section.text.contains("- 2 -") { pageNumbers += 1 }
        }
        #expect(pageNumbers == 0, "page numbers are furniture")
    }

    @Test func damagedPackagesAreNamed() throws {
        let made = try Self.made.get()
        let reasons = Dictionary(uniqueKeysWithValues: made.summary.skipped.map { ($0.path, $0.reason) })
        #expect(reasons["damaged.ofd"] == "not a valid .ofd (not a zip archive)", "\(reasons)")
        #expect(reasons["no-root.ofd"] == "not a valid .ofd (no OFD.xml)", "\(reasons)")
        #expect(made.summary.reports == Self.reports.count + 1)
    }

    @Test func deltaXAndItsRepeatForm() {
        #expect(OFDDocument.advances("g 3 5.6 2 1") == [5.6, 5.6, 5.6, 2, 1])
        #expect(OFDDocument.local("ofd:TextCode") == "TextCode")
    }
}
