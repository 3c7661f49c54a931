import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// The promise: a query is found exactly where it occurs and nowhere else.
/// The truth here is a brute-force substring scan of the files, folded the
/// same way, with the C library's `strstr` over UTF-8 bytes (a substring of
/// scalars is a substring of their UTF-8 bytes) rather than any of
/// rsearch's matching code.
@Suite struct SearchAgainstBruteForceTests {
    struct CorpusText {
        /// `text`: folded, spaced-out letters' blanks marked (`SpacingTruth`).
        var files: [(path: String, folded: [UInt32], text: String)]

        init(root: URL) throws {
            files = try Corpus(root: root).files().map { file in
                let text = try String(contentsOf: file.url, encoding: .utf8)
                return (file.path, Folding.index.scalars(text), SpacingTruth.bridged(Folding.index.string(text)))
            }
        }

        static func contains(_ haystack: String, _ needle: String) -> Bool {
            haystack.withCString { h in needle.withCString { n in strstr(h, n) != nil } }
        }

        func reports(containing query: String) -> Set<String> {
            let q = Folding.index.string(query)
            return Set(files.filter { SpacingTruth.contains($0.text, q) }.map(\.path))
        }

        /// A random substring of 1 to `maxLength` word characters, cut at the
        /// first character that is not one.
        func randomQuery(maxLength: Int, latin: Bool, using rng: inout SeededGenerator) -> String? {
            let file = files.randomElement(using: &rng)!
            let text = file.folded
            guard text.count > 10 else { return nil }
            var start = Int.random(in: 0..<text.count, using: &rng)
            if latin {
                // Start on a letter or digit, to mix Latin, digits and CJK.
                guard let i = text[start...].firstIndex(where: { $0 < 0x80 && CharacterClass.isWord($0) }) else { return nil }
                start = i
            }
            let length = Int.random(in: 1...maxLength, using: &rng)
            var scalars = String.UnicodeScalarView()
            for v in text[start..<min(text.count, start + length)] {
                guard CharacterClass.isWord(v) else { break }
                scalars.append(Unicode.Scalar(v)!)
            }
            return scalars.isEmpty ? nil : String(scalars)
        }
    }

    static let text = Result { try CorpusText(root: Fixtures.shippedCorpus) }

    func reportsFound(_ query: String, _ searcher: Searcher) throws -> (Set<String>, SearchResult) {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        let result = try searcher.search("\"\(query)\"", options: options)
        return (Set(result.hits.map(\.report.path)), result)
    }

    @Test func generatedQueriesFindExactlyTheFilesThatContainThem() throws {
        let corpus = try Self.text.get()
        let searcher = try Fixtures.shippedSearcher()
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 20221)
        var checked = 0
        var latinChecked = 0
        while checked < 600 {
            let latin = checked % 4 == 0
            guard let query = corpus.randomQuery(maxLength: 8, latin: latin, using: &rng) else { continue }
            let expected = corpus.reports(containing: query)
            let (found, result) = try reportsFound(query, searcher)
            #expect(found == expected, "seed \(seed), query \(query)")
            #expect(result.total == result.hits.count)
            if latin && query.unicodeScalars.contains(where: { $0.value < 0x80 }) { latinChecked += 1 }
            checked += 1
        }
        #expect(latinChecked > 50)
    }

    @Test func absentAndMutatedQueriesFindNothingThatIsNotThere() throws {
        let corpus = try Self.text.get()
        let searcher = try Fixtures.shippedSearcher()
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 7)
        let alphabet = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞")
        for n in 0..<300 {
            var query: String
            if n % 2 == 0 {
                // Random characters: almost always absent.
                query = String((0..<Int.random(in: 2...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            } else {
                // A real substring with one character changed.
                guard var chars = corpus.randomQuery(maxLength: 8, latin: false, using: &rng).map(Array.init),
                      chars.count >= 2 else { continue }
                chars[Int.random(in: 0..<chars.count, using: &rng)] = alphabet.randomElement(using: &rng)!
                query = String(chars)
            }
            let (found, _) = try reportsFound(query, searcher)
            #expect(found == corpus.reports(containing: query), "seed \(seed), query \(query)")
        }
    }

    /// Highlights never lie: every span, cut from the section text and
    /// folded, is the query; one-character queries included.
    @Test func everyMatchSpanIsAnOccurrence() throws {
        let searcher = try Fixtures.shippedSearcher()
        for query in ["意识形态", "党", "年", "2022年", "gdp", "Ｇ", "两个确立", "改革开放", "5g", "经济"] {
            var options = SearchOptions()
            options.allCopies = true
            options.limit = nil
            let result = try searcher.search(query, options: options)
            #expect(result.total > 0, "\(query)")
            for hit in result.hits {
                #expect(!hit.matches.isEmpty)
                // Each match an occurrence, and no occurrence left unmarked.
                let truth = SpacingTruth.occurrences(Folding.index.string(query),
                                                     in: SpacingTruth.bridged(Folding.index.string(hit.section.text)))
                #expect(hit.matches == truth, "\(query) in \(hit.report.path):\(hit.section.line)")
            }
        }
    }
}
