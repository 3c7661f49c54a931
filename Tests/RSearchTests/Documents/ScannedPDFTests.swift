import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore
@testable import RSearchOutput

/// A scanned PDF (pages that are images of text) is named as needing OCR;
/// `--ocr` recognises it with tesseract; what was recognised is never
/// recognised again, not by an update, not by a rebuild.
@Suite(.serialized) struct ScannedPDFTests {
    @Test func aScanIsNamedThenRecognisedOnce() throws {
        if PDFMaker.skipped(PDFMaker.missing(reportlab: true, scan: true, ocr: true)) { return }
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-scan-pdf")
        let seed = Fixtures.shippedCorpus.appendingPathComponent(Fixtures.seedPath)
        let printed = root.appendingPathComponent("printed.pdf")
        try PDFMaker.reportlab(text: seed, to: printed)
        try PDFMaker.scan(printed, pages: 1...2, to: corpus.appendingPathComponent("scan.pdf"))
        try FileManager.default.copyItem(at: seed, to: corpus.appendingPathComponent("seed.txt"))
        let destination = root.appendingPathComponent("idx/rsearch.sqlite")
        var builder = IndexBuilder(corpus: Corpus(root: corpus), destination: destination)

        let first = try builder.update()
        #expect(first.reports == 1)
        let reason = try #require(first.skipped.first { $0.path == "scan.pdf" }?.reason)
        #expect(reason.hasPrefix("needs OCR (2 of 2 pages are images of text)"), "\(reason)")
        #expect(first.waitingForOCR == ["scan.pdf"])
        #expect(BuildSummaryText.describe(first).contains("1 PDF needs OCR: run rsearch index --ocr"))
        let again = try builder.update()
        #expect(!again.changed && again.waitingForOCR == ["scan.pdf"], "still named while it waits")

        builder.ocr = true
        let recognised = try builder.update()
        #expect(recognised.pagesRecognised == 2)
        #expect(recognised.skipped.isEmpty && recognised.waitingForOCR.isEmpty && recognised.reports == 2)
        let searcher = Searcher(index: try IndexDatabase(path: destination))
        #expect(try foundShare(searcher, printed: printed) >= 0.9)
        var options = SearchOptions()
        options.allCopies = true
        let hit = try #require(try searcher.search("基层党建", options: options).hits.first { $0.report.path == "scan.pdf" })
        #expect(hit.report.ocr && hit.section.page != nil)
        #expect(RecordJSON.report(hit.report).serialized().contains("\"ocr\":true"))
        #expect(TerminalPrinter(color: false, width: 100).render(SearchResult(query: "基层党建", total: 1, hits: [hit]))
            .contains("OCR · 2022 · 述职报告"))

        let unchanged = try builder.update()
        #expect(unchanged.pagesRecognised == 0 && !unchanged.changed)
        let rebuilt = try builder.build()
        #expect(rebuilt.pagesRecognised == 0, "recognised pages are kept by content hash across a rebuild")
        #expect(try foundShare(Searcher(index: try IndexDatabase(path: destination)), printed: printed) >= 0.9)
    }

    /// The share of 4-character phrases of the printed pages (poppler's text
    /// of the PDF the scan was made from, page furniture aside) found in the
    /// scan. Phrases with the seed report's anonymising `*` are not sampled:
    /// masks, not words anyone searches for.
    func foundShare(_ searcher: Searcher, printed: URL) throws -> Double {
        var (generator, _) = SeededGenerator.fromEnvironment(default: 4)
        var sampled = 0
        var found = 0
        var missed: [String] = []
        for page in 1...2 {
            let lines = try PDFMaker.popplerText(printed, page: page).split(whereSeparator: \.isNewline)
                .map(String.init).filter { !$0.contains(PDFMaker.runningHeader) && !PagedText.isPageNumber($0) }
            let text = Array(lines.joined().unicodeScalars.filter { !$0.isBlank })
            for _ in 0..<60 {
                let start = Int.random(in: 0...(text.count - 4), using: &generator)
                let phrase = String(String.UnicodeScalarView(text[start..<start + 4]))
                guard !phrase.contains("\"") && !phrase.contains("*") else { continue }
                sampled += 1
                if try PhraseSampling.reports(holding: phrase, in: searcher).contains("scan.pdf") {
                    found += 1
                } else {
                    missed.append(phrase)
                }
            }
        }
        print("scan: \(found) of \(sampled) phrases found; not: \(missed.prefix(30))")
        return Double(found) / Double(sampled)
    }
}
