import Foundation
import GRDB
import Testing
@testable import RSearchDocuments
@testable import RSearchStore

/// The compressed form of a section (`StoredSection`, `ScalarCode`): every
/// text round-trips, whatever its scalars; the shipped corpus, read back
/// through the `section` view, is what the parser made of its files; a
/// damaged row is an error, never a crash or a wrong answer.
@Suite struct StoredSectionTests {
    /// Scalars of every kind the code treats apart: common and rare Han,
    /// ASCII (controls and newlines), full width, astral, U+FFFF (the
    /// escape's marker in the table), combining marks, private use.
    static let alphabet: [Unicode.Scalar] = Array("的一是了国发展乡村振兴龘靐齉𠀀𪚥🀄，。、（）\n\t abcZ09.%ＡＢ１２\u{FFFF}\u{FFFE}\u{0301}\u{E000}\u{10FFFF}\u{7F}\u{0}"
        .unicodeScalars)

    static func randomText(_ rng: inout SeededGenerator, maxLength: Int) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &rng) {
            if Bool.random(using: &rng) {
                s.append(alphabet.randomElement(using: &rng)!)
            } else {
                // Anywhere in Unicode but the surrogates.
                var v = UInt32.random(in: 0...0x10FFFF, using: &rng)
                if (0xD800...0xDFFF).contains(v) { v = 0x4E00 }
                s.append(Unicode.Scalar(v)!)
            }
        }
        return String(s)
    }

    static func decoded(_ body: Data) -> (path: String?, heading: String?, text: String?, scalars: ([UInt32], [UInt32])?) {
        body.withUnsafeBytes { bytes in
            var heading: [UInt32]? = []
            var text: [UInt32] = [1, 2, 3]  // replaced, not appended to
            let ok = StoredSection.decode(bytes, heading: &heading, text: &text)
            return (StoredSection.decode(bytes, .path), StoredSection.decode(bytes, .heading),
                    StoredSection.decode(bytes, .text), ok ? (heading!, text) : nil)
        }
    }

    @Test func everyTextRoundTrips() {
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 0x5EC7_10)
        for n in 0..<3_000 {
            let path = (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.randomText(&rng, maxLength: 8) }
                .map { $0.replacingOccurrences(of: "\n", with: " ") }
            let text = Self.randomText(&rng, maxLength: n % 10 == 0 ? 2_000 : 60)
            // Half the headings begin the text, as parsed headings do.
            let heading = n % 2 == 0 ? String(text.unicodeScalars.prefix(Int.random(in: 0...10, using: &rng)))
                                     : Self.randomText(&rng, maxLength: 10)
            let body = StoredSection.encode(path: path, heading: heading, text: text)
            let back = Self.decoded(body)
            #expect(back.path == SectionPath.encode(path), "seed \(seed) case \(n)")
            #expect(back.heading == heading, "seed \(seed) case \(n)")
            #expect(back.text == text, "seed \(seed) case \(n)")
            #expect(back.scalars?.0 == heading.unicodeScalars.map(\.value), "seed \(seed) case \(n)")
            #expect(back.scalars?.1 == text.unicodeScalars.map(\.value), "seed \(seed) case \(n)")
        }
    }

    @Test func theCodeIsACompletePrefixCode() {
        // Kraft's sum is exactly 1: no bit string is left without a meaning
        // and none has two. Each symbol once, the escape among them.
        let lengths = ScalarCode.symbolsByLength
        #expect(lengths.count == ScalarCode.maxLength + 1)
        let kraft = lengths.enumerated().reduce(0) { $0 + $1.element << (ScalarCode.maxLength - $1.offset) }
        #expect(kraft == 1 << ScalarCode.maxLength)
        let symbols = Array(ScalarCode.symbols.unicodeScalars)
        #expect(symbols.count == lengths.reduce(0, +))
        #expect(Set(symbols).count == symbols.count)
        #expect(symbols.filter { $0.value == ScalarCode.escapeMarker }.count == 1)
        #expect(symbols.allSatisfy { $0.value < 0x10000 })
    }

    @Test func chineseTextTakesUnderHalfItsUTF8() throws {
        // What the code is for (BENCHMARKS.md quotes 0.45 on the benchmark
        // corpus); measured here on the shipped corpus's sections.
        let index = try Fixtures.shippedIndex.get()
        let (stored, utf8) = try index.queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT sum(length(body)) FROM section_store")!,
             try Int.fetchOne(db, sql: "SELECT sum(length(CAST(path AS BLOB)) + length(CAST(text AS BLOB))) FROM section")!)
        }
        #expect(Double(stored) / Double(utf8) < 0.5, "\(stored) of \(utf8) bytes")
    }

    @Test func theViewGivesBackWhatTheParserMade() throws {
        let index = try Fixtures.shippedIndex.get()
        let files = try Corpus(root: Fixtures.shippedCorpus).scan().files
        let loader = DocumentLoader()
        var compared = 0
        try index.queue.read { db in
            for file in files {
                guard case .document(let document, _) = loader.load(file).content else { continue }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT s.path, s.heading, s.line, s.text, s.length FROM section s JOIN report r ON r.id = s.report_id
                    WHERE r.path = ? ORDER BY s.ord
                    """, arguments: [file.path])
                #expect(rows.count == document.sections.count, "\(file.path)")
                for (row, section) in zip(rows, document.sections) {
                    #expect(SectionPath.decode(row[0]) == section.path, "\(file.path):\(section.line)")
                    #expect(row[1] as String == section.heading, "\(file.path):\(section.line)")
                    #expect(row[2] as Int == section.line, "\(file.path):\(section.line)")
                    #expect(row[3] as String == section.text, "\(file.path):\(section.line)")
                    #expect(row[4] as Int == section.text.unicodeScalars.count, "\(file.path):\(section.line)")
                    compared += 1
                }
            }
        }
        #expect(compared > 2_000)
    }

    @Test func aDamagedBodyIsAnErrorNotACrash() throws {
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 0xDA3A6E)
        let body = StoredSection.encode(path: ["一、总体要求"], heading: "（一）指导思想", text: "（一）指导思想。坚持以人民为中心的发展思想𠀀。")
        // Cut short anywhere: never the original text back, never a crash.
        for end in 0..<body.count {
            let cut = Self.decoded(body.prefix(end))
            #expect(cut.text == nil && cut.scalars == nil, "cut at \(end)")
        }
        // Bits flipped: decoding ends or gives some text, without a crash.
        for _ in 0..<2_000 {
            var flipped = body
            let i = Int.random(in: 0..<flipped.count, using: &rng)
            flipped[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            _ = Self.decoded(flipped)
        }
        // Through SQL: an error that names the problem (the command line adds
        // the way out, `rsearch index --rebuild`).
        let db = try DatabaseQueue()
        try db.inDatabase { db in
            IndexDatabase.addExtensions(to: db)
            #expect(try String.fetchOne(db, sql: "SELECT rsearch_section_text(?)", arguments: [body]) != nil)
            do {
                _ = try String.fetchOne(db, sql: "SELECT rsearch_section_text(?)", arguments: [body.prefix(3)])
                Issue.record("a damaged body was read, seed \(seed)")
            } catch let error as DatabaseError {
                #expect(error.message?.contains("stored text cannot be decoded") == true)
            }
        }
    }
}
