import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// Big5 files (issue 19) are read as Big5, not as GB18030 mojibake, and
/// GB18030 files stay GB18030: on real texts of both scripts encoded here
/// with glibc's iconv, and a corpus holding one of each.
@Suite struct Big5DetectionTests {
    /// `text` in `encoding`, or nil when iconv cannot encode all of it.
    static func encode(_ text: String, as encoding: String) -> Data? {
        let cd = iconv_open(encoding, "UTF-8")
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let written = input.withUnsafeMutableBytes { inBuf in
            output.withUnsafeMutableBytes { outBuf -> Int? in
                var inPtr = inBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPtr = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count, outLeft = outBuf.count
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 ? nil : outBuf.count - outLeft
            }
        }
        return written.map { Data(output[..<$0]) }
    }

    /// The lines of `text` that Big5 can encode (simplified-only characters cannot be).
    static func big5Lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { encode(String($0), as: "BIG5-HKSCS") != nil }.joined(separator: "\n")
    }

    static let traditional = "詠史詩 涿鹿\n胡曾\n涿鹿茫茫白草秋，軒轅曾此破蚩尤。\n丹霞遙映祠前水，疑是成川血尚流。\n"
        + "某局２０２０年工作總結\n一、主要工作\n（一）強化思想引領。一是嚴格落實意識形態工作責任制。\n"

    @Test func big5IsReadAsBig5AndGB18030AsGB18030() throws {
        let big5 = try #require(Self.encode(Self.traditional, as: "BIG5"))
        let decoded = try TextDecoding.decode(big5)
        #expect(decoded.encoding == .big5)
        #expect(decoded.text == Self.traditional)
        let gb = try #require(Self.encode(Self.traditional, as: "GB18030"))
        #expect(try TextDecoding.decode(gb).encoding == .gb18030)
        #expect(try TextDecoding.decode(gb).text == Self.traditional)
    }

    @Test func bytesThatDoNotTellAreSkippedWithTheReason() throws {
        // Characters common in both encodings' blocks (leads 0xB0–0xC5,
        // high trails), as no real text of either script is made of.
        var bytes: [UInt8] = []
        for n in 0..<200 { bytes += [0xB0 + UInt8(n % 20), 0xA1 + UInt8(n % 90)] }
        #expect(throws: TextDecoding.Failure.self) { try TextDecoding.decode(Data(bytes)) }
        do {
            _ = try TextDecoding.decode(Data(bytes))
        } catch let failure as TextDecoding.Failure {
            #expect(failure.description.contains("GB18030 or Big5"))
        }
    }

    /// Real files of the shared corpora: traditional poetry and simplified
    /// reports, each in GB18030, and in Big5 where Big5 can hold it.
    @Test(.enabled(if: Fixtures.hasSharedCorpora, "needs ../shared/corpora"))
    func realTextsOfBothScripts() throws {
        let root = Fixtures.sharedCorpora
        var files: [String] = []
        for folder in ["chinese_poetry_classics", "gov_work_reports_provincial_2026", "cpc_congress_reports", "cn_laws_lawrefbook/宪法"] {
            let all = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent(folder).path)
                .filter { $0.hasSuffix(".txt") }.sorted()
            files += all.enumerated().filter { $0.offset % max(1, all.count / 12) == 0 }.map { "\(folder)/\($0.element)" }
        }
        var big5Files = 0
        for file in files {
            let text = String(try Fixtures.read(file, in: root).prefix(200_000))
            if let gb = Self.encode(text, as: "GB18030") {
                let decoded = try TextDecoding.decode(gb)
                #expect(decoded.encoding == .gb18030, "\(file) in GB18030")
                #expect(decoded.text == text, "\(file) in GB18030")
            }
            let lines = Self.big5Lines(text)
            guard lines.unicodeScalars.filter({ $0.value >= 0x4E00 }).count > 200,
                  let big5 = Self.encode(lines, as: "BIG5-HKSCS") else { continue }
            big5Files += 1
            let decoded = try TextDecoding.decode(big5)
            #expect(decoded.encoding == .big5, "\(file) in Big5")
            #expect(decoded.text == lines, "\(file) in Big5")
        }
        #expect(big5Files >= 10)
    }

    @Test func aBig5FileInACorpusIsSearchable() throws {
        let root = Fixtures.temporaryDirectory("rsearch-big5")
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try #require(Self.encode(Self.traditional, as: "BIG5")).write(to: corpus.appendingPathComponent("big5.txt"))
        try #require(Self.encode(Self.traditional, as: "GB18030")).write(to: corpus.appendingPathComponent("gb.txt"))
        // Larger than a piece (`DocumentLoader.pieceBytes`): judged over its pieces, decoded piece by piece.
        let long = String(repeating: Self.traditional, count: 2 * DocumentLoader.pieceBytes / Self.traditional.utf8.count + 1)
            + "末尾的軒轅獨特詞組。\n"
        try #require(Self.encode(long, as: "BIG5")).write(to: corpus.appendingPathComponent("long-big5.txt"))
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        #expect(summary.skipped.isEmpty, "\(summary.skipped)")
        var options = SearchOptions()
        options.detail = .reports
        options.limit = nil
        let result = try Searcher(index: try IndexDatabase(path: destination)).search("意识形态工作责任制", options: options)
        #expect(Set(result.hits.map(\.report.path)) == ["big5.txt", "gb.txt", "long-big5.txt"])
        let tail = try Searcher(index: try IndexDatabase(path: destination)).search("轩辕独特词组", options: options)
        #expect(tail.hits.map(\.report.path) == ["long-big5.txt"])
        #expect(result.hits.first { $0.report.path == "big5.txt" }?.report.metadata.kind == "工作总结")
    }
}
