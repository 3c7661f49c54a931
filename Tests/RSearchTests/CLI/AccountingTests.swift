import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchStore
@testable import RSearchOutput

/// Every file of the corpus is accounted for: read, or named with its type
/// and the reason, in the summary and in `rsearch index --json`, at every run.
@Suite struct AccountingTests {
    @Test func everyFileNotReadIsNamed() throws {
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-accounting")
        try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(Fixtures.seedPath),
                                         to: corpus.appendingPathComponent("seed.txt"))
        try FileManager.default.createDirectory(at: corpus.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ["a.xyz", "b.xyz", "sub/slides.pptx", "SOURCE.md", "sub/noext", ".hidden.txt"] {
            try Data("x".utf8).write(to: corpus.appendingPathComponent(name))
        }
        try Data().write(to: corpus.appendingPathComponent("empty.txt"))
        try Data("PK\u{3}\u{4} not a zip".utf8).write(to: corpus.appendingPathComponent("broken.docx"))
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: destination)
        let first = try builder.update()
        #expect(first.reports == 1)
        #expect(first.ignored == ["SOURCE.md", "a.xyz", "b.xyz", "sub/noext", "sub/slides.pptx"], "hidden files aside")
        let text = BuildSummaryText.describe(first)
        #expect(text.contains("; not read 2:\n  failed broken.docx: not a valid .docx (not a zip archive)\n  failed empty.txt: empty file"), "\(text)")
        #expect(text.contains("\n  ignored: 2 .xyz, 1 (no extension), 1 .pptx (not a document format rsearch reads); 1 SOURCE.md (a provenance note, not a report)"), "\(text)")

        // A later run that reads nothing still names them.
        let again = try builder.update()
        #expect(!again.changed)
        #expect(again.notRead.map(\.path) == ["broken.docx", "empty.txt"] && again.ignored.count == 5)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(BuildSummaryText.json(again).utf8)) as? [String: Any])
        #expect((json["failed"] as? [[String: String]])?.map { $0["path"] } == ["broken.docx", "empty.txt"])
        #expect((json["ignored"] as? [[String: String]])?.count == 5)
        #expect((json["skipped"] as? [Any])?.isEmpty == true && json["reports"] as? Int == 1)
    }

    /// A file a program must read, on a machine without it, is `skipped`
    /// with the package to install, not `failed`.
    @Test func aMissingProgramIsSkippedNotFailed() {
        var summary = BuildSummary()
        summary.notRead = [("a.doc", OfficeConverter.missing), ("b.pdf", String(describing: PDFReader.Failure.popplerMissing)),
                           ("c.pdf", String(describing: PDFReader.Failure.needsOCR(pages: 2, of: 2))), ("d.wps", "conversion timed out after 60 s")]
        let text = BuildSummaryText.describe(summary)
        #expect(text.contains("  skipped a.doc: LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"))
        #expect(text.contains("  skipped b.pdf: poppler is not installed (apt-get install poppler-utils poppler-data)"))
        #expect(text.contains("  skipped c.pdf: needs OCR"))
        #expect(text.contains("  failed d.wps: conversion timed out after 60 s"))
    }
}
