import Foundation
import Testing
@testable import RSearchText

@Suite struct BigramScannerTests {
    func texts(_ s: String) -> [String] { BigramScanner.tokens(s).map(\.text) }

    @Test func everyCharacterOfARunBeginsOneToken() {
        #expect(texts("意识形态") == ["意识", "识形", "形态", "态"])
        #expect(texts("党") == ["党"])
    }

    @Test func punctuationAndSpaceSeparateRuns() {
        #expect(texts("书记。同年") == ["书记", "记", "同年", "年"])
        #expect(texts("一二 三四") == ["一二", "二", "三四", "四"])
        #expect(texts("一 二") == ["一二", "二"])  // spaced-out letters: one run (SpacedLettersTests)
        #expect(texts("***局") == ["局"])
    }

    /// The pitfall in design-notes.md: the unigram that ends a run must be
    /// emitted before the next run begins.
    @Test func endOfRunUnigramIsNeverLost() {
        #expect(texts("NATO峰会，“两个确立”。党") == [
            "na", "at", "to", "o峰", "峰会", "会", "两个", "个确", "确立", "立", "党",
        ])
    }

    @Test func latinAndDigitsAreLowercasedAndWidthFolded() {
        #expect(texts("Ｎａｔｏ") == texts("NATO"))
        #expect(texts("２０２２年") == ["20", "02", "22", "2年", "年"])
        #expect(texts("PM2.5") == ["pm", "m2", "2", "5"])
    }

    @Test func traditionalCharactersFoldToSimplified() {
        #expect(texts("經濟") == texts("经济"))
        #expect(BigramScanner.tokens("經濟", folding: .exact).map(\.text) == ["經濟", "濟"])
    }

    /// Offsets are UTF-8 byte offsets of the original text: the bytes a
    /// token spans, folded, are the token's characters.
    @Test func offsetsAreExactBytesOfTheOriginal() throws {
        let text = try Fixtures.read(Fixtures.seedPath) + " Ｎａｔｏ ２０２２年 𠀀𠀁 經濟"
        let bytes = Array(text.utf8)
        for token in BigramScanner.tokens(text) {
            let original = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
            #expect(Folding.index.string(original) == token.text, "\(token)")
        }
    }

    /// Over real text: one token per word character, in order, each starting
    /// with that character.
    @Test func oneTokenPerWordCharacterOnRealText() throws {
        for path in [Fixtures.seedPath, "gov_work_reports_national/1954_1954年中华人民共和国国务院政府工作报告.txt"] {
            let text = try Fixtures.read(path)
            let folded = Folding.index.scalars(text).filter(CharacterClass.isWord)
            let tokens = BigramScanner.tokens(text)
            #expect(tokens.count == folded.count)
            for (token, first) in zip(tokens, folded) where token.text.unicodeScalars.first!.value != first {
                Issue.record("token \(token) does not start with U+\(String(first, radix: 16))")
                break
            }
        }
    }

    @Test func foldingKeepsTheNumberOfScalars() {
        let sample = "ＡＢＣ，（一）經濟發展　2022年Ｎａｔｏ“两个确立”"
        #expect(Folding.index.scalars(sample).count == sample.unicodeScalars.count)
        #expect(Folding.index.string("（一）") == "(一)")
        #expect(Folding.index.string("。、“”") == "。、“”")
        #expect(VariantTable.count > 2000)
    }

    @Test func variantFoldingIsIdempotent() {
        for (from, _) in zip(VariantTable.pairs.unicodeScalars.enumerated(), 0...) where from.offset % 2 == 0 {
            let once = Folding.index.fold(from.element.value)
            #expect(Folding.index.fold(once) == once)
        }
    }

    /// The confirmation step folds SQLite's UTF-8 directly; it must give what
    /// folding the decoded string gives, and never trap on damaged bytes.
    @Test func foldingUTF8BytesEqualsFoldingTheString() {
        var rng = SeededGenerator(seed: 0xF01D)
        let pools: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0x7FF, 0x3000...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFF5E,
                                            0x1F300...0x1F64F, 0x20000...0x2A6DF]
        var buffer: [UInt32] = [7]
        for _ in 0..<500 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...80, using: &rng) {
                text.append(Unicode.Scalar(UInt32.random(in: pools.randomElement(using: &rng)!, using: &rng))!)
            }
            let string = String(text)
            for folding in [Folding.index, Folding.exact] {
                Array(string.utf8).withUnsafeBufferPointer { folding.scalars(utf8: $0, into: &buffer) }
                #expect(buffer == folding.scalars(string), "\(string)")
            }
        }
        for damaged: [UInt8] in [[0xE4, 0xB8], [0xFF, 0x41], [0x80], [0xF0, 0x9F, 0x98], [0xE4, 0x41, 0xAD]] {
            damaged.withUnsafeBufferPointer { Folding.index.scalars(utf8: $0, into: &buffer) }
            #expect(buffer.contains(0xFFFD), "\(damaged)")
        }
    }
}
