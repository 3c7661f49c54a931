import Foundation
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// Phrases sampled from a report's text, and the reports a search finds
/// them in: how the format tests check that a file made from a report
/// holds its text (the "99 % of sampled phrases found").
enum PhraseSampling {
    /// Phrases of 4 to 12 characters from the text's lines, without blanks
    /// or the query language's quote.
    static func phrases(of text: String, count: Int, using generator: inout SeededGenerator) -> [String] {
        let lines = text.split(whereSeparator: \.isNewline).map { Array($0.unicodeScalars) }.filter { $0.count >= 12 }
        var found: [String] = []
        var attempts = 0
        while found.count < count && attempts < count * 20 {
            attempts += 1
            let line = lines[Int.random(in: 0..<lines.count, using: &generator)]
            let length = Int.random(in: 4...12, using: &generator)
            let start = Int.random(in: 0...(line.count - length), using: &generator)
            let scalars = line[start..<start + length]
            guard !scalars.contains(where: { $0.isBlank || $0 == "\"" || $0 == "\\" }) else { continue }
            found.append(String(String.UnicodeScalarView(scalars)))
        }
        return found
    }

    /// The paths of the reports a search for `phrase` (as one phrase, every
    /// copy, no limit) finds.
    static func reports(holding phrase: String, in searcher: Searcher) throws -> Set<String> {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        options.detail = .reports
        return Set(try searcher.search("\"\(phrase)\"", options: options).hits.map(\.report.path))
    }
}
