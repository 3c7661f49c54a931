import Foundation
import SplitMix64
import Testing
@testable import RSearchText
@testable import RSearchQuery

/// Spaced-out letters (`第一章 总 则`, `李 强`): rsearch's rule against the
/// regular expression of `SpacingTruth`, and the scanner's streamed tokens
/// against the tokens of the marked text.
@Suite struct SpacedLettersTests {
    /// Which scalars the folding marks bridged, as the text with `SpacingTruth.mark` for them.
    func marked(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for (v, s) in zip(Folding.index.textScalars(text), text.unicodeScalars) {
            out.append(v == SpacedLetters.bridge ? SpacingTruth.mark : s)
        }
        return String(out)
    }

    @Test func onlyBlanksBetweenLettersStandingAloneAreBridged() {
        let m = "\u{E000}"
        #expect(marked("第一章 总 则") == "第一章 总\(m)则")
        #expect(marked("附　则") == "附\(m)则")
        #expect(marked("国务院总理 李 强") == "国务院总理 李\(m)强")
        #expect(marked("习　近　平\n龚  正：") == "习\(m)近\(m)平\n龚\(m)\(m)正：")
        #expect(marked("改革 开放 李 强军") == "改革 开放 李 强军")
        #expect(marked("总    则") == "总\(m)\(m)\(m)\(m)则")  // padded to a width
        #expect(marked("总\n则，附\u{2003}则") == "总\n则，附\u{2003}则")  // a line break, an em space: not blanks
        #expect(marked("A B 1 2 总 b") == "A B 1 2 总 b")
        #expect(marked("（一）王 伟，") == "（一）王\(m)伟，")
    }

    static let alphabet: [Unicode.Scalar] = ["总", "則", "章", " ", "\u{3000}", "\t", "a", "Ｂ", "7", "，", "\n", "𠀀", "〇"]

    static func randomText(_ rng: inout SplitMix64) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int(rng.next() % 24) { s.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
        return String(s)
    }

    @Test func theRuleIsTheRegularExpressions() {
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 0x5BAC_ED01)
        for _ in 0..<5_000 {
            let text = Self.randomText(&rng)
            #expect(Folding.index.string(marked(text)) == SpacingTruth.bridged(Folding.index.string(text)),
                    "seed \(seed): \(text.debugDescription)")
        }
        _ = seed
    }

    /// The tokens of the marked text: every word character begins one, runs
    /// going on across bridged blanks (`BigramScanner`'s contract).
    static func tokensOfMarkedText(_ text: String) -> [String] {
        let v = Folding.index.textScalars(text)
        var runs: [[UInt32]] = [[]]
        for x in v where x != SpacedLetters.bridge {
            if CharacterClass.isWord(x) { runs[runs.count - 1].append(x) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        var tokens: [String] = []
        for run in runs {
            for (i, x) in run.enumerated() {
                var s = String.UnicodeScalarView([Unicode.Scalar(x)!])
                if i + 1 < run.count { s.append(Unicode.Scalar(run[i + 1])!) }
                tokens.append(String(s))
            }
        }
        return tokens
    }

    @Test func theScannerBridgesWhatTheFoldingMarks() {
        #expect(BigramScanner.tokens("第一章 总 则").map(\.text) == ["第一", "一章", "章", "总则", "则"])
        let bridged = BigramScanner.tokens("李 强").first!
        #expect(bridged.start == 0 && bridged.end == "李 强".utf8.count)
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 0x5BAC_ED02)
        for _ in 0..<5_000 {
            let text = Self.randomText(&rng)
            #expect(BigramScanner.tokens(text).map(\.text) == Self.tokensOfMarkedText(text), "seed \(seed): \(text.debugDescription)")
        }
        _ = seed
    }

    func evaluator(_ term: String) -> QueryEvaluator {
        QueryEvaluator(expression: .term(term), folding: .index, inHeading: false)
    }

    @Test func aTermMatchesAcrossBridgedBlanksAndHighlightsThem() {
        let text = Folding.index.textScalars("第一章 总 则")
        #expect(evaluator("总则").highlights(in: text) == [4..<7])
        #expect(evaluator("总 则").highlights(in: text) == [4..<7])  // typed blanks take bridged ones
        #expect(evaluator("章 总").highlights(in: text) == [2..<5])  // unbridged: as written
        #expect(evaluator("章总").highlights(in: text).isEmpty)
        #expect(evaluator("总  则").highlights(in: text).isEmpty)
        #expect(evaluator(" 则").highlights(in: text) == [5..<7])
        #expect(evaluator("习近平").highlights(in: Folding.index.textScalars("习　近　平：同志")) == [0..<5])
        #expect(evaluator("近平").highlights(in: Folding.index.textScalars("习　近　平同志")).isEmpty)  // 平 has 同 beside it
    }

    /// Random terms cut from random texts, and random terms: the matcher's
    /// occurrences are the regular expression's.
    @Test func occurrencesAreTheRegularExpressions() {
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 0x5BAC_ED03)
        for _ in 0..<3_000 {
            let text = Self.randomText(&rng)
            var term = Self.randomText(&rng)
            let scalars = Array(text.unicodeScalars)
            if !scalars.isEmpty, rng.next() % 2 == 0 {
                let a = Int(rng.next() % UInt64(scalars.count))
                let b = a + 1 + Int(rng.next() % UInt64(min(6, scalars.count - a)))
                term = String(String.UnicodeScalarView(scalars[a..<b]))
            }
            guard !term.isEmpty else { continue }
            let truth = SpacingTruth.occurrences(Folding.index.string(term), in: SpacingTruth.bridged(Folding.index.string(text)))
            #expect(evaluator(term).highlights(in: Folding.index.textScalars(text)) == truth,
                    "seed \(seed): \(term.debugDescription) in \(text.debugDescription)")
        }
        _ = seed
    }

    /// A keyword list (more terms than `Occurrences.manyPatterns`), which is
    /// searched for in one pass: its highlights are the union of each term's
    /// regular-expression occurrences, and it matches exactly where one of
    /// them occurs.
    @Test func manyTermsInOnePassAreEachTermsOccurrences() {
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 0x5BAC_ED05)
        for _ in 0..<2_000 {
            let text = Self.randomText(&rng)
            let scalars = Array(text.unicodeScalars)
            var terms: [String] = []
            while terms.count < Occurrences.manyPatterns + 1 + Int(rng.next() % 8) {
                var term = String(String.UnicodeScalarView(
                    (0..<(1 + Int(rng.next() % 3))).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }))
                if !scalars.isEmpty, rng.next() % 2 == 0 {
                    let a = Int(rng.next() % UInt64(scalars.count))
                    let b = a + 1 + Int(rng.next() % UInt64(min(4, scalars.count - a)))
                    term = String(String.UnicodeScalarView(scalars[a..<b]))
                }
                if !terms.contains(term) { terms.append(term) }
            }
            let e = QueryEvaluator(expression: .or(terms.map { .term($0) }), folding: .index, inHeading: false)
            let bridged = SpacingTruth.bridged(Folding.index.string(text))
            let truth = terms.flatMap { SpacingTruth.occurrences(Folding.index.string($0), in: bridged) }
                .sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
            let folded = Folding.index.textScalars(text)
            #expect(e.highlights(in: folded) == truth, "seed \(seed): \(terms) in \(text.debugDescription)")
            #expect(e.matches(text: folded, heading: []) == !truth.isEmpty, "seed \(seed): \(terms) in \(text.debugDescription)")
        }
        _ = seed
    }

    /// The compiled phrase takes every text the term matches: across a gap
    /// the term's letter is a prefix token (bigram if bridged, unigram if not).
    @Test func aTermWithAGapCompilesToAPrefixToken() {
        let c = MatchCompiler().term("章 总")
        #expect(c.fts == "\"章\" * + \"总\" *" && !c.exact)
        #expect(MatchCompiler().term("总则").fts == "\"总则\"")
        #expect(MatchCompiler().term("书记。同年").fts == "\"书记\" + \"记\" + \"同年\"")
    }
}
