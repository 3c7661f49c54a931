import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchStore

/// Damaged, encrypted and pathological PDFs are named with a reason and
/// skipped; everything else in the corpus is indexed.
@Suite struct BadPDFTests {
    @Test func badPDFsAreNamedAndTheRestIsIndexed() throws {
        if PDFMaker.skipped(PDFMaker.missing(reportlab: true)) { return }
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-bad-pdf")
        let seed = Fixtures.shippedCorpus.appendingPathComponent(Fixtures.seedPath)
        try FileManager.default.copyItem(at: seed, to: corpus.appendingPathComponent("seed.txt"))
        let good = corpus.appendingPathComponent("good.pdf")
        try PDFMaker.reportlab(text: seed, to: good)
        let bytes = try Data(contentsOf: good)
        try bytes.prefix(bytes.count / 3).write(to: corpus.appendingPathComponent("truncated.pdf"))
        try Data("这不是PDF文件，只是改了扩展名的文本。\n".utf8).write(to: corpus.appendingPathComponent("renamed.pdf"))
        try Data().write(to: corpus.appendingPathComponent("empty.pdf"))
        try PDFMaker.reportlab(text: seed, to: corpus.appendingPathComponent("encrypted.pdf"), PDFMaker.Options(password: "秘密123"))
        try PDFMaker.reportlab(text: seed, to: corpus.appendingPathComponent("blank.pdf"), PDFMaker.Options(blankPages: 1000))

        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: root.appendingPathComponent("i.sqlite")).build()
        let reasons = Dictionary(uniqueKeysWithValues: summary.skipped.map { ($0.path, $0.reason) })
        #expect(summary.reports == 2, "seed.txt and good.pdf: \(summary.skipped)")
        #expect(reasons["truncated.pdf"]?.hasPrefix("damaged PDF (") == true, "\(reasons)")
        #expect(reasons["renamed.pdf"]?.hasPrefix("damaged PDF (") == true, "\(reasons)")
        #expect(reasons["empty.pdf"] == "empty file", "\(reasons)")
        #expect(reasons["encrypted.pdf"] == "encrypted PDF (opening it needs a password)", "\(reasons)")
        #expect(reasons["blank.pdf"] == "no text (a PDF without a text layer or images)", "\(reasons)")
        #expect(summary.waitingForOCR.isEmpty)
    }

    /// An extraction that runs past its time limit is stopped and named.
    @Test func anExtractionPastItsTimeLimitIsStopped() throws {
        if PDFMaker.skipped(PDFMaker.missing(reportlab: true)) { return }
        let folder = Fixtures.temporaryDirectory("rsearch-pdf-time")
        let pdf = folder.appendingPathComponent("slow.pdf")
        try PDFMaker.reportlab(text: Fixtures.shippedCorpus.appendingPathComponent(Fixtures.seedPath), to: pdf)
        var loader = DocumentLoader()
        loader.pdf.timeLimit = 0.001
        let size = try FileManager.default.attributesOfItem(atPath: pdf.path)[.size] as! Int
        let loaded = loader.load(CorpusFile(path: "slow.pdf", fullPath: pdf.path, size: size, mtime: 0))
        guard case .skipped(let reason) = loaded.content else {
            Issue.record("read within 1 ms")
            return
        }
        #expect(reason == "PDF text extraction failed: timed out after 0 s" || reason.contains("timed out"), "\(reason)")
    }

    /// Without poppler, a PDF is named with the packages to install.
    @Test func withoutPopplerAPDFIsNamedWithThePackage() throws {
        let folder = Fixtures.temporaryDirectory("rsearch-no-poppler")
        let pdf = folder.appendingPathComponent("a.pdf")
        try Data("%PDF-1.4\n".utf8).write(to: pdf)
        var loader = DocumentLoader()
        loader.pdf.tools = PDFReader.Tools()
        let loaded = loader.load(CorpusFile(path: "a.pdf", fullPath: pdf.path, size: 9, mtime: 0))
        guard case .skipped(let reason) = loaded.content else {
            Issue.record("read without poppler")
            return
        }
        #expect(reason == "poppler is not installed (apt-get install poppler-utils poppler-data)")
    }
}
