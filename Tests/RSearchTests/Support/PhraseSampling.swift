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

    /// Samples `count` phrases of each of `reports` (shipped texts) and
    /// looks for each in every file that should hold it (`files(n, report)`
    /// for the n-th report): how many lookups were made, and the misses as
    /// `file: phrase`.
    static func check(_ reports: [String], count: Int, in searcher: Searcher, using generator: inout SeededGenerator,
                      files: (Int, String) -> [String]) throws -> (sampled: Int, missed: [String]) {
        var sampled = 0
        var missed: [String] = []
        for (n, report) in reports.enumerated() {
            for phrase in phrases(of: try Fixtures.read(report), count: count, using: &generator) {
                let holding = try self.reports(holding: phrase, in: searcher)
                for file in files(n, report) {
                    sampled += 1
                    if !holding.contains(file) { missed.append("\(file): \(phrase)") }
                }
            }
        }
        return (sampled, missed)
    }
}
