import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore
@testable import RSearchOutput

/// Word 97, Kingsoft WPS, RTF, ODT and .docx files that LibreOffice made at
/// test time from shipped reports, read through rsearch's own conversion
/// (LibreOffice headless to .docx): each has the text file's title, year,
/// kind and top-level headings, its sampled phrases are found, headings in
/// Word's heading styles stay headings, damaged files are named, and no file
/// is converted twice.
@Suite(.serialized) struct OfficeFormatsTests {
    static let reports = [
        Fixtures.seedPath,
        "gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt",
        "policy_docs_samples/海口市水务局关于2020年2月1日—2020年2月29日生产建设...(FBM-CLI.12.7186154).txt",
    ]
    /// `.wps` is Kingsoft's name for the Word binary format: LibreOffice's `.doc`, renamed.
    static let formats = ["doc", "wps", "rtf", "odt", "docx"]

    struct Made {
        var root: URL
        var corpus: URL
        var destination: URL
        var summary: BuildSummary
        var index: IndexDatabase
        func path(_ format: String, _ report: String) -> String {
            format + "/" + URL(fileURLWithPath: report).deletingPathExtension().lastPathComponent + "." + format
        }
    }

    static let made: Result<Made, Error> = Result {
        let root = Fixtures.temporaryDirectory("rsearch-office")
        let corpus = root.appendingPathComponent("corpus")
        let texts = root.appendingPathComponent("texts")
        try FileManager.default.createDirectory(at: texts, withIntermediateDirectories: true)
        var copies: [URL] = []
        for report in reports {
            let copy = texts.appendingPathComponent(URL(fileURLWithPath: report).lastPathComponent)
            try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(report), to: copy)
            copies.append(copy)
        }
        // The seed with its top-level headings unnumbered, in Heading 1: only
        // the style makes them headings.
        let seed = try Fixtures.read(Fixtures.seedPath).split(separator: "\n").map(String.init)
        let styled = seed.map { line -> (level: Int?, text: String) in
            for n in ["一、", "二、", "三、", "四、"] where line.hasPrefix(n) { return (1, String(line.dropFirst(2))) }
            return (nil, line)
        }
        let fodt = texts.appendingPathComponent("styled.fodt")
        try PDFMaker.flatODT(styled).write(to: fodt, atomically: true, encoding: .utf8)
        for format in formats where format != "wps" {
            let folder = corpus.appendingPathComponent(format)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try PDFMaker.libreOffice(copies, to: format, into: folder)
            try PDFMaker.libreOffice([fodt], to: format, into: folder)
        }
        let wps = corpus.appendingPathComponent("wps")
        try FileManager.default.createDirectory(at: wps, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("doc").path) {
            try FileManager.default.copyItem(at: corpus.appendingPathComponent("doc/" + name),
                                             to: wps.appendingPathComponent(name.replacingOccurrences(of: ".doc", with: ".wps")))
        }
        // Damaged files of each kind.
        let damaged = corpus.appendingPathComponent("damaged")
        try FileManager.default.createDirectory(at: damaged, withIntermediateDirectories: true)
        for format in ["doc", "wps", "odt"] {
            let whole = try Data(contentsOf: corpus.appendingPathComponent("\(format)/styled.\(format)"))
            try whole.prefix(whole.count / 4).write(to: damaged.appendingPathComponent("truncated.\(format)"))
        }
        try Data(#"{\rtf1\ansi {\fonttbl"#.utf8).write(to: damaged.appendingPathComponent("truncated.rtf"))
        let destination = root.appendingPathComponent("idx/rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        return Made(root: root, corpus: corpus, destination: destination, summary: summary,
                    index: try IndexDatabase(path: destination))
    }

    static var unavailable: String? { PDFMaker.missing(poppler: false, libreOffice: true) }

    /// Title, year, kind and the top-level headings of the text file.
    @Test func eachFormatReadsAsTheTextFile() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        let catalog = Catalog(index: made.index)
        for report in Self.reports {
            let truth = try Fixtures.parse(report)
            let topLevel = Self.topLevel(truth.sections.map(\.path))
            for format in Self.formats {
                let summary = try catalog.report(named: made.path(format, report))
                #expect(summary.metadata.title == truth.metadata.title, "\(format): \(report)")
                #expect(summary.metadata.year == truth.metadata.year, "\(format): \(report)")
                #expect(summary.metadata.kind == truth.metadata.kind, "\(format): \(report)")
                let paths = try catalog.outline(of: summary).map(\.path)
                #expect(Self.topLevel(paths) == topLevel, "\(format): \(report)")
            }
        }
    }

    static func topLevel(_ paths: [[String]]) -> [String] {
        var seen: [String] = []
        for path in paths { if let first = path.first, seen.last != first { seen.append(first) } }
        return seen
    }

    @Test func sampledPhrasesAreFoundInEachFormat() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        let searcher = Searcher(index: made.index)
        var (generator, seed) = SeededGenerator.fromEnvironment(default: 21)
        for format in Self.formats {
            let (sampled, missed) = try PhraseSampling.check(Self.reports, count: 60, in: searcher, using: &generator) {
                [made.path(format, $1)]
            }
            print("\(format): \(sampled - missed.count) of \(sampled) sampled phrases found")
            #expect(Double(sampled - missed.count) >= 0.99 * Double(sampled),
                    "\(format): \(missed.count) of \(sampled) not found (seed \(seed)): \(missed.prefix(10))")
        }
    }

    /// Headings in Heading 1, without numbers, are headings after .doc, .wps,
    /// .rtf, .odt and .docx alike.
    @Test func headingStylesSurviveEveryFormat() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        let catalog = Catalog(index: made.index)
        for format in Self.formats {
            let summary = try catalog.report(named: "\(format)/styled.\(format)")
            #expect(Self.topLevel(try catalog.outline(of: summary).map(\.path)).filter { !$0.isEmpty }
                    == ["主要工作", "存在问题", "认识体会和努力方向"], "\(format)")
            #expect(summary.encoding == format)
        }
    }

    /// Without LibreOffice, each file to convert is named with the package to install.
    @Test func withoutLibreOfficeTheFilesAreSkippedWithThePackage() throws {
        var converter = OfficeConverter()
        converter.soffice = nil
        converter.cache = Fixtures.temporaryDirectory("rsearch-no-lo")
        let file = CorpusFile(path: "a.doc", fullPath: "/nonexistent/a.doc", size: 1, mtime: 0)
        #expect(converter.prepare([(file, "0123456789abcdef")]) == ["a.doc": "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"])
        #expect(BuildSummary.needsSetup(OfficeConverter.missing))
    }

    /// Damaged files are named with the reason; the rest is read; nothing
    /// converted is converted again, not by an update, not by a rebuild.
    @Test func damagedFilesAreNamedAndNothingIsConvertedTwice() throws {
        if PDFMaker.skipped(Self.unavailable) { return }
        let made = try Self.made.get()
        let reasons = Dictionary(uniqueKeysWithValues: made.summary.skipped.map { ($0.path, $0.reason) })
        for format in ["doc", "wps", "odt", "rtf"] {
            #expect(reasons["damaged/truncated.\(format)"]?.hasPrefix("LibreOffice could not convert it") == true, "\(reasons)")
        }
        #expect(made.summary.reports == Self.formats.count * (Self.reports.count + 1), "\(reasons)")
        let cache = URL(fileURLWithPath: made.destination.path + ".converted")
        let converted = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".docx") }
        // Two of each report (.doc and .wps share their content, and a hash).
        #expect(converted.count == 3 * (Self.reports.count + 1), "\(converted.count)")
        let before = try FileManager.default.attributesOfItem(atPath: cache.appendingPathComponent(converted[0]).path)[.modificationDate] as? Date
        var builder = IndexBuilder(corpus: Corpus(root: made.corpus), destination: made.destination)
        builder.ocr = false
        let rebuilt = try builder.build()
        #expect(rebuilt.reports == made.summary.reports)
        let after = try FileManager.default.attributesOfItem(atPath: cache.appendingPathComponent(converted[0]).path)[.modificationDate] as? Date
        #expect(before == after, "a rebuild converts nothing again")
        #expect(BuildSummaryText.describe(rebuilt).contains("  failed damaged/truncated.doc: LibreOffice could not convert it"))
    }
}
