import Foundation
import Testing
@testable import RSearchQuery
@testable import RSearchStore

/// No input breaks a search: random strings built from FTS5 and SQL syntax,
/// quotes, brackets, emoji, controls and CJK either search or fail with a
/// query error of rsearch's own, never an SQLite error or a crash.
@Suite struct QueryFuzzTests {
    /// A small index (two reports): the fuzz tests robustness, not scale.
    static let searcher = Result {
        try Fixtures.smallIndex("rsearch-fuzz") { corpus in
            for path in [Fixtures.seedPath, "policy_docs_samples/新余市人民政府办公室关于印发《新余市新余市...(FBM-CLI.12.748997).txt"] {
                try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(path),
                                                 to: corpus.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent))
            }
        }
    }

    static let pieces: [String] = [
        "\"", "'", "(", ")", "*", "^", ":", "+", "-", "NEAR", "NEAR/", "NEAR/3", "AND", "OR", "NOT", "{", "}", ",", ";",
        "--", "/*", "*/", "\\", "\\\"", "%", "_", "?", "$", "#", "@", "=", "==", "<", ">", "|", "&", "~", "`", "[", "]",
        " ", "  ", "\t", "\n", "\u{0}", "\u{1}", "\u{7F}", "\u{FFFD}", "\u{FEFF}", "\u{200B}", "\u{3000}", "😀", "👨‍👩‍👧",
        "é", "e\u{301}", "党", "意识", "形态", "经济", "經濟", "２０２２", "Ｎａｔｏ", "2022年", "“", "”", "（", "）", "。", "，",
        "year:", "year:20", "year:2022..", "year:..2022", "kind:", "kind:报告", "in:", "in:heading", "title:", "author:x",
        "unit:", "heading:", "text:", "section_fts", "rank", "bm25(", "'; DROP TABLE report; --", "\" OR \"", "x*", "*党",
    ]

    static func randomQuery(using rng: inout SeededGenerator) -> String {
        let n = Int.random(in: 0...12, using: &rng)
        var q = ""
        for _ in 0..<n {
            if Int.random(in: 0..<8, using: &rng) == 0 {
                q.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0x20...0x2FFF, using: &rng)) ?? "?")
            } else {
                q += pieces.randomElement(using: &rng)!
            }
        }
        return q
    }

    static func assertSafe(_ query: String, _ searcher: Searcher, seed: UInt64,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let result = try searcher.search(query)
            #expect(result.total >= result.hits.count, sourceLocation: sourceLocation)
        } catch let error as QueryError {
            if case .syntax(let message, _) = error {
                let text = message.lowercased()
                #expect(!text.contains("sqlite") && !text.contains("fts5"), "seed \(seed): \(query)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("seed \(seed): \(query.debugDescription) gave \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func tenThousandRandomQueries() throws {
        let searcher = try Self.searcher.get()
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 99)
        for _ in 0..<10_000 {
            Self.assertSafe(Self.randomQuery(using: &rng), searcher, seed: seed)
        }
    }

    @Test func pathologicalInputs() throws {
        let searcher = try Self.searcher.get()
        let seedText = try Fixtures.read(Fixtures.seedPath)
        let paste = String(seedText.prefix(10_000))
        for q in [
            "", " ", "\"\"", "()", "(((", ")))", "-", "--", "NOT", "OR", "AND", "NEAR", "a NEAR", "NEAR b", "NEAR/x",
            "\u{0}", String(repeating: "党 ", count: 5_000), String(repeating: "党", count: 10_000), paste,
            quoted(paste), String(repeating: "(", count: 100) + "党", String(repeating: "-", count: 500) + "党",
            String(repeating: "党 OR ", count: 500) + "党", String(repeating: "-党 ", count: 300) + "经济",
        ] {
            Self.assertSafe(q, searcher, seed: 0)
        }
        // A pasted paragraph is found where it is.
        let paragraph = String(seedText.split(separator: "\n")[1].prefix(300))  // the opening paragraph, one section
        let result = try searcher.search(quoted(paragraph))
        #expect(result.total == 1)
    }
}
