import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// The independent truth for search tests: every section of a corpus,
/// parsed straight from the files (no index involved), with its folded
/// text. Substring tests use the C library's `strstr` over UTF-8 (a substring
/// of scalars is a substring of their UTF-8 bytes), not rsearch's matcher.
struct SectionTruth: Sendable {
    struct Entry: Sendable {
        var path: String
        var line: Int
        var heading: String
        var metadata: ReportMetadata
        var text: String
        var folded: String
        var foldedExact: String
        var foldedHeading: String
        var scalars: [UInt32]
        /// `folded`, `foldedExact` and `foldedHeading` with their bridged
        /// blanks marked (`SpacingTruth`), where search passes over them.
        var bridged: String
        var bridgedExact: String
        var bridgedHeading: String
    }

    var entries: [Entry] = []

    init(root: URL) throws {
        for file in try Corpus(root: root).files() {
            let text = try String(contentsOf: file.url, encoding: .utf8)
            let doc = ReportParser().parse(text, fileName: file.url.lastPathComponent)
            for s in doc.sections {
                let folded = Folding.index.string(s.text), foldedExact = Folding.exact.string(s.text)
                let foldedHeading = Folding.index.string(s.heading)
                entries.append(Entry(
                    path: file.path, line: s.line, heading: s.heading, metadata: doc.metadata, text: s.text,
                    folded: folded, foldedExact: foldedExact, foldedHeading: foldedHeading,
                    scalars: Folding.index.scalars(s.text), bridged: SpacingTruth.bridged(folded),
                    bridgedExact: SpacingTruth.bridged(foldedExact), bridgedHeading: SpacingTruth.bridged(foldedHeading)))
            }
        }
    }

    /// A section's identity: several sections can start on one line (a
    /// heading and the points after it), never with the same heading.
    struct Key: Hashable, CustomStringConvertible {
        var path: String
        var line: Int
        var heading: String
        var description: String { "\(path):\(line) \(heading)" }
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        return haystack.withCString { h in needle.withCString { n in strstr(h, n) != nil } }
    }

    /// Sections for which `predicate` holds.
    func keys(where predicate: (Entry) -> Bool) -> Set<Key> {
        Set(entries.filter(predicate).map { Key(path: $0.path, line: $0.line, heading: $0.heading) })
    }

    /// Sections whose text holds `term`, blanks between spaced-out letters
    /// passed over (`SpacingTruth`).
    func keys(containing term: String, folding: Folding = .index) -> Set<Key> {
        let q = folding.string(term)
        return keys { SpacingTruth.contains(folding == .index ? $0.bridged : $0.bridgedExact, q) }
    }

    /// Scalar ranges of every occurrence of `term` in `entry`, found with the
    /// standard library's `ranges(of:)`, or where the section has spaced-out
    /// letters, by `SpacingTruth`.
    static func occurrences(_ term: String, in entry: Entry) -> [Range<Int>] {
        let bridged = entry.bridged
        if bridged != entry.folded { return SpacingTruth.occurrences(Folding.index.string(term), in: bridged) }
        let q = Folding.index.scalars(term)
        guard !q.isEmpty else { return [] }
        var result: [Range<Int>] = []
        var from = 0
        while from < entry.scalars.count, let r = entry.scalars[from...].firstRange(of: q) {
            result.append(r)
            from = r.lowerBound + 1
        }
        return result
    }
}

extension Searcher {
    /// Every matching section, as truth keys, and the reported total.
    func allKeys(_ query: String, folding: Folding = .index) throws -> (Set<SectionTruth.Key>, Int, [Hit]) {
        var options = SearchOptions()
        options.allCopies = true
        options.limit = nil
        options.folding = folding
        let result = try search(query, options: options)
        return (Set(result.hits.map { SectionTruth.Key(path: $0.report.path, line: $0.section.line, heading: $0.section.heading) }), result.total, result.hits)
    }
}

/// A term as a quoted query, with `"` and `\` escaped.
func quoted(_ term: String) -> String {
    var out = "\""
    for c in term.unicodeScalars {
        if c == "\"" || c == "\\" { out.unicodeScalars.append("\\") }
        out.unicodeScalars.append(c)
    }
    return out + "\""
}
