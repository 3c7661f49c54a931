import Foundation
import Testing
@testable import RSearchDocuments

/// A file larger than `DocumentLoader.pieceBytes` is hashed, decoded and
/// parsed a piece at a time: what it yields must be what the whole file
/// parsed at once yields.
@Suite struct LargeFileTests {
    /// The shipped national reports, one after another, until the text is
    /// larger than two and a half pieces: a file that is loaded in parts.
    static let largeText: String = {
        let folder = Fixtures.shippedCorpus.appendingPathComponent("gov_work_reports_national")
        let names = (try! FileManager.default.contentsOfDirectory(atPath: folder.path)).filter { $0.hasSuffix(".txt") }.sorted()
        var text = ""
        while text.utf8.count < DocumentLoader.pieceBytes * 5 / 2 {
            for name in names { text += try! String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) + "\n" }
        }
        return text
    }()

    static func file(_ data: Data, named name: String = "汇编.txt") throws -> CorpusFile {
        let url = Fixtures.temporaryDirectory("rsearch-large").appendingPathComponent(name)
        try data.write(to: url)
        return try #require(Corpus(root: url.deletingLastPathComponent()).scan().files.first)
    }

    static func parts(of file: CorpusFile) -> [LoadedFile] {
        var parts: [LoadedFile] = []
        DocumentLoader().load(file) { parts.append($0) }
        return parts
    }

    static func sections(_ parts: [LoadedFile]) -> [Section] {
        parts.flatMap { part -> [Section] in
            guard case .document(let document, _) = part.content else { return [] }
            return document.sections
        }
    }

    @Test func partsOfALargeFileAreTheWholeFileParsedAtOnce() throws {
        let whole = ReportParser().parse(Self.largeText, fileName: "汇编.txt")
        for (data, encoding) in [(Data(Self.largeText.utf8), "UTF-8"),
                                 (IngestionTests.encode(Self.largeText, as: "GB18030"), "GB18030"),
                                 (Data([0xEF, 0xBB, 0xBF]) + Data(Self.largeText.utf8), "UTF-8 with BOM")] {
            let file = try Self.file(data)
            let parts = Self.parts(of: file)
            #expect(parts.count >= 3, "\(encoding): \(parts.count) parts")
            #expect(parts.map(\.part) == Array(0..<parts.count))
            #expect(parts.map(\.isLast) == Array(repeating: false, count: parts.count - 1) + [true])
            for part in parts {
                #expect(part.hash == FNV1a.hex(data))
                guard case .document(let document, let e) = part.content else {
                    Issue.record("\(encoding): part \(part.part) not a document")
                    continue
                }
                #expect(e == encoding)
                #expect(document.metadata == whole.metadata)
            }
            let sections = Self.sections(parts)
            #expect(sections.count == whole.sections.count, "\(encoding)")
            #expect(sections == whole.sections, "\(encoding): the sections differ from the whole file's")
            #expect(try DocumentLoader().hash(file) == FNV1a.hex(data))
            // Loaded whole, through the same parts.
            let loaded = DocumentLoader().load(file)
            #expect(Self.sections([loaded]) == whole.sections)
        }
    }

    /// A file whose bytes stop being text after its first piece is skipped
    /// before any of it is handed on: nothing of a half-read file is indexed.
    @Test func aLargeFileThatIsNotTextIsSkippedWhole() throws {
        var data = Data(Self.largeText.utf8)
        data += Data([0xFF, 0xFF, 0x0A]) + Data("尾部".utf8)
        let parts = Self.parts(of: try Self.file(data))
        #expect(parts.count == 1)
        guard case .skipped(let reason) = parts.first?.content else {
            Issue.record("not skipped")
            return
        }
        #expect(reason.contains("not text"), "\(reason)")
    }

    /// Parsing in pieces cut anywhere at a line break gives the sections of
    /// the whole text, for every shipped report whose first piece shows the
    /// same wrap width as the whole (the one thing decided from the first
    /// piece alone that can change sections).
    @Test func piecesCutAtAnyLineBreakParseAsTheWhole() throws {
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 17)
        let files = try Corpus(root: Fixtures.shippedCorpus).scan().files.filter { $0.path.hasSuffix(".txt") }
        var compared = 0
        for file in files {
            let text = try String(contentsOf: file.url, encoding: .utf8)
            let breaks = text.indices.filter { text[$0] == "\n" }
            guard breaks.count > 8 else { continue }
            var cuts = (0..<Int.random(in: 1...4, using: &rng)).map { _ in breaks.randomElement(using: &rng)! }
            cuts = Array(Set(cuts)).sorted()
            var pieces: [String] = []
            var start = text.startIndex
            for cut in cuts {
                pieces.append(String(text[start...cut]))
                start = text.index(after: cut)
            }
            pieces.append(String(text[start...]))
            let (firstLines, _) = ReportParser.lines(of: pieces[0])
            let (allLines, _) = ReportParser.lines(of: text)
            guard LayoutNormalizer.wrapWidth(firstLines) == LayoutNormalizer.wrapWidth(allLines) else { continue }
            let whole = ReportParser().parse(text, fileName: file.url.lastPathComponent)
            var parser = ReportParser.Pieces(fileName: file.url.lastPathComponent)
            var sections: [Section] = []
            for piece in pieces { sections += parser.add(piece) }
            sections += parser.finish()
            #expect(sections == whole.sections, "\(file.path) cut at \(cuts.count) line breaks (seed \(seed))")
            compared += 1
        }
        #expect(compared >= files.count * 3 / 4, "only \(compared) of \(files.count) compared")
    }
}

extension LargeFileTests {
    /// A section far longer than `maxSectionLength` (text with no heading:
    /// a poetry collection, a dump) is cut into pieces as it grows, the same
    /// pieces whatever the file's pieces, each pointing at its own line.
    @Test func aLongSectionIsCutTheSameWhereverTheFileIsCut() throws {
        let verses = ["床前明月光，疑是地上霜。", "举头望明月，低头思故乡。", "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。"]
        let lines = (0..<60_000).map { verses[$0 % verses.count] }
        let text = "诗选\n\n" + lines.joined(separator: "\n") + "\n"
        let whole = ReportParser().parse(text, fileName: "诗选.txt")
        #expect(whole.sections.count > 10)
        #expect(whole.sections.allSatisfy { $0.text.unicodeScalars.count <= SectionSplitter.maxSectionLength })
        let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for section in whole.sections {
            let first = section.text.split(separator: "\n").first.map(String.init) ?? ""
            #expect(String(fileLines[section.line - 1]).hasSuffix(first) || first.isEmpty, "line \(section.line)")
        }
        #expect(whole.sections.map(\.text).joined(separator: "\n").filter { $0 != "\n" }
                == text.filter { $0 != "\n" })
        var parser = ReportParser.Pieces(fileName: "诗选.txt")
        var sections: [Section] = []
        let breaks = text.indices.filter { text[$0] == "\n" }
        var start = text.startIndex
        for cut in stride(from: 997, to: breaks.count, by: 7_919).map({ breaks[$0] }) {
            sections += parser.add(String(text[start...cut]))
            start = text.index(after: cut)
        }
        sections += parser.add(String(text[start...])) + parser.finish()
        #expect(sections == whole.sections)
    }
}
