import Foundation
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// Headings and names set with spaces (`第一章 总 则`, `上海市市长 龚 正`) are
/// found by the words they spell, through the index, against `SpacingTruth`
/// (regular expressions over the parsed files, no index).
@Suite struct SpacedLettersSearchTests {
    /// Every law file of the shared corpora that spaces a heading, and as
    /// many that do not.
    static let laws: Result<(searcher: Searcher, truth: SectionTruth), Error>? = {
        guard Fixtures.hasSharedCorpora else { return nil }
        return Result {
            let folder = Fixtures.sharedCorpora.appendingPathComponent("cn_laws_lawrefbook")
            var spaced: [URL] = [], plain: [URL] = []
            for file in try Corpus(root: folder).files() {
                let text = try String(contentsOf: file.url, encoding: .utf8)
                if text.contains("总 则") || text.contains("附 则") || text.contains("总　则") {
                    if spaced.count < 120 { spaced.append(file.url) }
                } else if plain.count < 120 {
                    plain.append(file.url)
                }
            }
            var root: URL?
            let searcher = try Fixtures.smallIndex("rsearch-spaced-laws") { corpus in
                root = corpus
                for url in spaced + plain {
                    try FileManager.default.copyItem(at: url, to: corpus.appendingPathComponent(url.lastPathComponent))
                }
            }
            return (searcher, try SectionTruth(root: root!))
        }
    }()

    @Test func headingsSetWithSpacesAreFoundByTheirWords() throws {
        guard let laws = Self.laws else {
            print("SpacedLettersSearchTests: ../shared/corpora absent, the spaced law headings not checked")
            return
        }
        let (searcher, truth) = try laws.get()
        for (query, word) in [("总则 in:heading", "总则"), ("附则 in:heading", "附则"), ("\"第一章 总则\" in:heading", "第一章 总则")] {
            let expected = truth.keys { SpacingTruth.contains($0.bridgedHeading, Folding.index.string(word)) }
            let literal = truth.keys { $0.foldedHeading.contains(word) }
            let (found, total, _) = try searcher.allKeys(query)
            #expect(found == expected, "\(query): missing \(expected.subtracting(found).prefix(3)) extra \(found.subtracting(expected).prefix(3))")
            #expect(total == expected.count)
            if word != "第一章 总则" {
                #expect(expected.count > literal.count + 100, "\(query): \(expected.count) headings, \(literal.count) written without spaces")
            }
        }
        // In the text too, and in both foldings.
        for query in ["总则", "附则", "第一章 总则"] {
            for folding in [Folding.index, .exact] {
                let expected = truth.keys(containing: query, folding: folding)
                let (found, total, _) = try searcher.allKeys(quoted(query), folding: folding)
                #expect(found == expected && total == expected.count,
                        "\(query) \(folding): missing \(expected.subtracting(found).prefix(3)) extra \(found.subtracting(expected).prefix(3))")
            }
        }
    }

    @Test func aNameSetWithSpacesIsFoundAndHighlightedWithItsSpace() throws {
        let searcher = try Fixtures.shippedSearcher()
        var options = SearchOptions(limit: nil)
        options.allCopies = true
        let hits = try searcher.search("龚正", options: options).hits
        let byline = try #require(hits.first { $0.report.path.hasSuffix("2026_上海市_政府工作报告.txt") })
        let text = Array(byline.section.text.unicodeScalars)
        let shown = try #require(byline.matches.first.map { String(String.UnicodeScalarView(text[$0])) })
        #expect(shown == "龚 正")
        #expect(byline.snippet.text.contains("龚 正"))
        // Not across a gap the rule does not bridge: `市长` has a letter before `长`.
        #expect(try searcher.search("市长龚正").total == 0)
        #expect(try searcher.search("\"市长 龚 正\"").total > 0)
    }
}
