import Foundation
import Testing
@testable import RSearchOutput

/// Strings in the JSON output: Foundation's parser is the independent truth
/// that they read back as written; Chinese stays unescaped for people.
@Suite struct JSONWriterTests {
    @Test func stringsReadBackExactlyAndOnlyWhatMustBeEscapedIs() throws {
        var rng = SeededGenerator(seed: 0x1503)
        let pieces = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "/",
                      "意识形态", "，", "Ｎａｔｏ", "😀", "a", " ", "\u{E2}", "€"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let written = JSONValue.string(text).serialized()
            let parsed = try JSONSerialization.jsonObject(with: Data(("[" + written + "]").utf8)) as? [String]
            #expect(parsed == [text], "\(written)")
            #expect(!written.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" })
            if text.contains("意识形态") { #expect(written.contains("意识形态")) }
        }
        #expect(JSONValue.string("a\"b\\c\u{1}\u{2028}/").serialized() == #""a\"b\\c\u0001\u2028/""#)
    }
}
