import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ZIPFoundation
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// Real-world files, made on the fly: each readable one is searchable with
/// correct offsets, each unreadable one is reported by name with a reason.
@Suite struct IngestionTests {
    static let body = "局机关2023年度述职报告\n一、主要工作\n（一）强化思想引领。一是严格落实意识形态工作责任制。二是抓实党建阵地。\n"

    /// Encodes with glibc's iconv (independent of rsearch's decoder).
    static func encode(_ text: String, as encoding: String) -> Data {
        let cd = iconv_open(encoding, "UTF-8")
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let written = input.withUnsafeMutableBytes { inBuf in
            output.withUnsafeMutableBytes { outBuf -> Int in
                var inPtr = inBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPtr = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count, outLeft = outBuf.count
                precondition(iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1)
                return outBuf.count - outLeft
            }
        }
        return Data(output[..<written])
    }

    static func docx(paragraphs: [(style: String?, text: String)]) throws -> Data {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
        for p in paragraphs {
            xml += "<w:p>"
            if let style = p.style { xml += #"<w:pPr><w:pStyle w:val="\#(style)"/></w:pPr>"# }
            // Split the text over two runs, as Word does.
            let half = p.text.index(p.text.startIndex, offsetBy: p.text.count / 2)
            xml += "<w:r><w:t>\(p.text[..<half])</w:t></w:r><w:r><w:t xml:space=\"preserve\">\(p.text[half...])</w:t></w:r></w:p>"
        }
        xml += "</w:body></w:document>"
        let archive = try Archive(accessMode: .create)
        let data = Data(xml.utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        return try #require(archive.data)
    }

    struct Built {
        var summary: BuildSummary
        var searcher: Searcher
        var root: URL
    }

    static let built = Result { () -> Built in
        let root = Fixtures.temporaryDirectory("rsearch-ingest")
        let corpus = root.appendingPathComponent("corpus")
        let fm = FileManager.default
        try fm.createDirectory(at: corpus.appendingPathComponent("子 目录/more"), withIntermediateDirectories: true)
        func write(_ name: String, _ data: Data) throws { try data.write(to: corpus.appendingPathComponent(name)) }

        try write("utf8.txt", Data(body.utf8))
        try write("utf8-bom.txt", Data([0xEF, 0xBB, 0xBF]) + Data(body.utf8))
        try write("utf16le.txt", Data([0xFF, 0xFE]) + encode(body, as: "UTF-16LE"))
        try write("utf16be.txt", Data([0xFE, 0xFF]) + encode(body, as: "UTF-16BE"))
        try write("gb18030.txt", encode(body + "𠀀字。\n", as: "GB18030"))
        try write("gbk.txt", encode(body, as: "GBK"))
        try write("crlf.txt", Data(body.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        try write("cr.txt", Data(body.replacingOccurrences(of: "\n", with: "\r").utf8))
        try write("子 目录/more/名字 带“引号”和＃.txt", Data(body.utf8))
        try write("notes.md", Data("---\ntitle: 会议纪要\nyear: 2021\n---\n# 概述\n意识形态工作。\n## 细节\n一是学习。\n".utf8))
        try write("report.docx", try docx(paragraphs: [
            (nil, "某局2024年工作总结"), ("Heading1", "一、主要工作"), ("2", "（一）意识形态建设"),
            (nil, "严格落实意识形态工作责任制。"), ("Heading1", "二、存在问题"), (nil, "学习不够深入。"),
        ]))
        try write("corrupt.docx", Data("PK\u{3}\u{4} this is not really a zip".utf8))
        try write("junk.txt", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }))
        try write("empty.txt", Data())
        try write("ignored.pptx", Data("PK\u{3}\u{4}".utf8))
        try write("damaged.pdf", Data("%PDF-1.4".utf8))
        // One huge line (8 MB): indexed in pieces, in bounded memory.
        let sentence = "推动高质量发展，全面深化改革开放。"
        try write("huge-line.txt", Data((String(repeating: sentence, count: 160_000) + "末尾独特词组。").utf8))
        // A directory symlink loop must not trap the walk.
        try fm.createSymbolicLink(atPath: corpus.appendingPathComponent("子 目录/loop").path, withDestinationPath: "..")

        let destination = root.appendingPathComponent("rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        return Built(summary: summary, searcher: Searcher(index: try IndexDatabase(path: destination)), root: root)
    }

    func paths(_ query: String) throws -> Set<String> {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        let result = try Self.built.get().searcher.search(query, options: options)
        for hit in result.hits {
            let text = Array(hit.section.text.unicodeScalars)
            for m in hit.matches {
                #expect(Folding.index.string(String(String.UnicodeScalarView(text[m]))) == Folding.index.string(query))
            }
        }
        return Set(result.hits.map(\.report.path))
    }

    @Test func everyEncodingAndLineEndingIsSearchable() throws {
        let found = try paths("意识形态")
        for name in ["utf8.txt", "utf8-bom.txt", "utf16le.txt", "utf16be.txt", "gb18030.txt", "gbk.txt", "crlf.txt",
                     "cr.txt", "子 目录/more/名字 带“引号”和＃.txt", "notes.md", "report.docx"] {
            #expect(found.contains(name), "\(name)")
        }
        #expect(try paths("𠀀字") == ["gb18030.txt"])
    }

    @Test func sectionsAndLinesAreTheSameWhateverTheEncoding() throws {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        let hits = try Self.built.get().searcher.search("严格落实", options: options).hits
        let reference = try #require(hits.first { $0.report.path == "utf8.txt" })
        for name in ["utf8-bom.txt", "utf16le.txt", "utf16be.txt", "gb18030.txt", "gbk.txt", "crlf.txt", "cr.txt"] {
            let hit = try #require(hits.first { $0.report.path == name }, "\(name)")
            #expect(hit.section.path == reference.section.path, "\(name)")
            #expect(hit.section.line == 3, "\(name)")
            #expect(hit.matches == reference.matches, "\(name)")
            #expect(hit.report.metadata == reference.report.metadata, "\(name)")
        }
    }

    @Test func wordHeadingsNest() throws {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        let hits = try Self.built.get().searcher.search("责任制 title:工作总结", options: options).hits
        let hit = try #require(hits.first)
        #expect(hit.report.path == "report.docx")
        #expect(hit.section.path == ["一、主要工作", "（一）意识形态建设"])
        #expect(hit.report.metadata.year == 2024)
        #expect(hit.report.metadata.kind == "工作总结")
    }

    @Test func markdownFrontMatterAndHeadings() throws {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        let hit = try #require(try Self.built.get().searcher.search("学习 title:会议纪要", options: options).hits.first)
        #expect(hit.section.path == ["概述", "细节", "一是学习"])
        #expect(hit.report.metadata.year == 2021)
    }

    @Test func unreadableFilesAreNamedWithAReason() throws {
        let skipped = Dictionary(uniqueKeysWithValues: try Self.built.get().summary.skipped.map { ($0.path, $0.reason) })
        #expect(skipped["corrupt.docx"]?.contains("not a valid .docx") == true)
        #expect(skipped["junk.txt"] != nil)
        #expect(skipped["empty.txt"] == "empty file")
        #expect(skipped["ignored.pptx"] == nil, "unsupported extensions are not documents")
        // A PDF is a document: named with its reason (damaged, or poppler missing).
        #expect(skipped["damaged.pdf"]?.hasPrefix("damaged PDF") == true || skipped["damaged.pdf"]?.hasPrefix("poppler") == true,
                "\(skipped)")
        #expect(skipped.count == 4, "\(skipped)")
    }

    @Test func hugeLineIsIndexedInPieces() throws {
        #expect(try paths("末尾独特词组") == ["huge-line.txt"])
        #expect(try paths("高质量发展，全面深化").contains("huge-line.txt"))
    }

    /// 100,000 tiny lines and 10,000 empty files: indexed or skipped, each
    /// empty file named.
    @Test func manyLinesAndManyEmptyFiles() throws {
        let root = Fixtures.temporaryDirectory("rsearch-limits")
        let corpus = root.appendingPathComponent("corpus")
        let empty = corpus.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        var lines = ""
        for i in 0..<100_000 { lines += "第\(i)项记录。\n" }
        try lines.write(to: corpus.appendingPathComponent("lines.txt"), atomically: true, encoding: .utf8)
        for i in 0..<10_000 { FileManager.default.createFile(atPath: empty.appendingPathComponent("e\(i).txt").path, contents: nil) }
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        #expect(summary.reports == 1)
        #expect(summary.skipped.count == 10_000)
        #expect(summary.skipped.allSatisfy { $0.path.hasPrefix("empty/e") && $0.reason == "empty file" })
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        let hit = try #require(try Searcher(index: IndexDatabase(path: destination)).search("\"第99999项\"", options: options).hits.first)
        let text = Array(hit.section.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(text[hit.matches[0]])) == "第99999项")
    }

    @Test func gb18030IsNotMistakenForUTF8OrTheReverse() throws {
        for path in ["gov_work_reports_national/2024_2024年中华人民共和国国务院政府工作报告.txt", Fixtures.seedPath] {
            let data = try Data(contentsOf: Fixtures.shippedCorpus.appendingPathComponent(path))
            #expect(try TextDecoding.decode(data).encoding == .utf8)
            let text = try TextDecoding.decode(data).text
            let gb = Self.encode(text, as: "GB18030")
            let decoded = try TextDecoding.decode(gb)
            #expect(decoded.encoding == .gb18030)
            #expect(decoded.text == text)
        }
    }
}
