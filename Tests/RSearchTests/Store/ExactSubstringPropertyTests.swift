import Foundation
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchStore

/// Ctrl-F semantics over every section: for generated substrings of 1 to 12
/// characters (punctuation, Latin and digits included), absent strings and
/// mutated ones, rsearch returns exactly the sections whose normalised text
/// contains the query, `total` agrees, and every match span is an occurrence.
///
/// The long form runs over `../shared/corpora` (150 MB) on demand:
///
///     RSEARCH_LONG_TESTS=1 swift test --filter ExactSubstringPropertyTests
@Suite struct ExactSubstringPropertyTests {
    static let truth = Result { try SectionTruth(root: Fixtures.shippedCorpus) }

    /// A random substring of a random section, 1 to `maxLength` scalars.
    static func randomSubstring(_ truth: SectionTruth, maxLength: Int, using rng: inout SeededGenerator) -> String {
        let entry = truth.entries.randomElement(using: &rng)!
        let scalars = Array(entry.text.unicodeScalars)
        var start = Int.random(in: 0..<scalars.count, using: &rng)
        // Bias a third of the draws to start at punctuation, Latin or digits.
        if Int.random(in: 0..<3, using: &rng) == 0,
           let i = scalars[start...].firstIndex(where: { !CharacterClass.isHan(Folding.index.fold($0.value)) && !$0.isBlank }) {
            start = i
        }
        let length = Int.random(in: 1...maxLength, using: &rng)
        return String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + length)]))
    }

    static let mutations: [Unicode.Scalar] = ["的", "，", "。", "x", "9", "Ｑ", "經", "、", "“", " ", "年", "党"]

    func check(truth: SectionTruth, searcher: Searcher, count: Int, seed defaultSeed: UInt64) throws {
        var (rng, seed) = SeededGenerator.fromEnvironment(default: defaultSeed)
        var punctuated = 0
        for n in 0..<count {
            var term = Self.randomSubstring(truth, maxLength: 12, using: &rng)
            switch n % 10 {
            case 8:  // mutated: one scalar replaced
                var s = Array(term.unicodeScalars)
                s[Int.random(in: 0..<s.count, using: &rng)] = Self.mutations.randomElement(using: &rng)!
                term = String(String.UnicodeScalarView(s))
            case 9:  // absent, almost surely
                term = String((0..<Int.random(in: 2...5, using: &rng)).map { _ in
                    Character(Self.mutations.randomElement(using: &rng)!)
                }) + "乙丙"
            default: break
            }
            guard !term.unicodeScalars.allSatisfy(\.isBlank) else { continue }
            if term.unicodeScalars.contains(where: { !CharacterClass.isWord(Folding.index.fold($0.value)) }) { punctuated += 1 }
            let expected = truth.keys(containing: term)
            let (found, total, hits) = try searcher.allKeys(quoted(term))
            #expect(found == expected, "seed \(seed) #\(n): \(quoted(term)) missing \(expected.subtracting(found).prefix(3)) extra \(found.subtracting(expected).prefix(3))")
            #expect(total == expected.count, "seed \(seed) #\(n): \(quoted(term))")
            for hit in hits.prefix(20) {
                let truth = SpacingTruth.occurrences(Folding.index.string(term),
                                                     in: SpacingTruth.bridged(Folding.index.string(hit.section.text)))
                #expect(hit.matches == truth, "seed \(seed): \(quoted(term))")
            }
        }
        #expect(punctuated > count / 5)
    }

    @Test func twoThousandGeneratedQueriesOnTheShippedCorpus() throws {
        try check(truth: Self.truth.get(), searcher: Fixtures.shippedSearcher(), count: 2000, seed: 3)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["RSEARCH_LONG_TESTS"] != nil && Fixtures.hasSharedCorpora,
                   "set RSEARCH_LONG_TESTS=1 with ../shared/corpora present"))
    func generatedQueriesOnTheSharedCorpora() throws {
        let dir = Fixtures.temporaryDirectory("rsearch-long")
        let destination = dir.appendingPathComponent("rsearch.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: Fixtures.sharedCorpora), destination: destination).build()
        let searcher = Searcher(index: try IndexDatabase(path: destination))
        try check(truth: SectionTruth(root: Fixtures.sharedCorpora), searcher: searcher, count: 2000, seed: 11)
    }

    /// The contract's own examples.
    @Test func punctuationDigitsAndLatinAreMatchedExactly() throws {
        let truth = try Self.truth.get()
        let searcher = try Fixtures.shippedSearcher()
        for term in ["书记。同年", "书记，同年", "2022年", "022年", "“两个确立”", "5G网络", "PM2.5", "6.5%", "GDP", "1＋10",
                     "（一）", "(一)", "二〇", "，", "、", "%"] {
            let expected = truth.keys(containing: term)
            let (found, total, _) = try searcher.allKeys(quoted(term))
            #expect(found == expected, "\(term)")
            #expect(total == expected.count, "\(term)")
        }
        #expect(try searcher.allKeys(quoted("书记。同年")).1 == 1)
        #expect(try searcher.allKeys(quoted("书记，同年")).1 == 0)
    }
}
