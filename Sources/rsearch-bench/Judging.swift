import Foundation
import RSearchDocuments
import RSearchQuery
import RSearchStore

/// The ranking figure: every query of `JudgedSet` searched on an index of
/// the shared corpora, each hit of its top 10 graded by `grade`, and
/// summed up by kind and by tuned / held-out half.
enum Judging {
    struct Figures {
        var queries = 0
        /// Top-10 hits, and of those the passages (grade ≥ 1).
        var hits = 0
        var passages = 0
        var ndcg = 0.0
        /// Law names whose `-l` lists a file of that law first.
        var laws = 0
        var lawsFirst = 0
        /// Queries whose top 10 shows one text twice.
        var withRepeats = 0

        mutating func add(_ other: Figures) {
            queries += other.queries; hits += other.hits; passages += other.passages; ndcg += other.ndcg
            laws += other.laws; lawsFirst += other.lawsFirst; withRepeats += other.withRepeats
        }

        var passageShare: Double { hits == 0 ? 0 : Double(passages) / Double(hits) }
        var meanNDCG: Double { queries == 0 ? 0 : ndcg / Double(queries) }
        var lawShare: Double { laws == 0 ? 0 : Double(lawsFirst) / Double(laws) }
    }

    /// The section's text and heading with every space, tab and line break removed.
    static func squeezed(_ s: String) -> String {
        String(s.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }

    /// A file's name before its version date and extension: `行政处罚法(2021-01-22).txt` → `行政处罚法`.
    static func lawName(ofPath path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return stem.firstIndex(of: "(").map { String(stem[..<$0]) } ?? stem
    }

    /// Whether the section is a heading, not a passage: its body (the text
    /// after its heading line) is empty or shorter than its heading.
    static func isHeading(_ section: SectionInfo) -> Bool {
        let heading = squeezed(section.heading)
        guard !heading.isEmpty else { return false }
        var body = section.text[...]
        if let firstBreak = body.firstIndex(of: "\n"), squeezed(String(body[..<firstBreak])) == heading {
            body = body[body.index(after: firstBreak)...]
        } else if squeezed(String(body)).hasPrefix(heading) {
            body = Substring(String(squeezed(String(body)).dropFirst(heading.count)))
        }
        return squeezed(String(body)).count < heading.count
    }

    /// The grade of each hit, in rank order (see `JudgedSet`).
    static func grades(_ hits: [Hit], for query: JudgedSet.Query) -> [Int] {
        var seen = Set<String>()
        let term = query.text.split(separator: " ").first.map(String.init) ?? query.text
        return hits.map { hit in
            let text = squeezed(hit.section.text)
            guard seen.insert(text).inserted, !isHeading(hit.section) else { return 0 }
            if query.kind == .law {
                return query.named.contains(lawName(ofPath: hit.report.path)) ? 2 : 1
            }
            return hit.report.metadata.title.contains(term) ? 2 : 1
        }
    }

    static func dcg(_ grades: some Sequence<Int>) -> Double {
        zip(grades, 1...).reduce(0) { $0 + (pow(2, Double($1.0)) - 1) / log2(Double($1.1) + 1) }
    }

    /// One query's figures: the top 10 graded, nDCG@10 against the best
    /// order of the grades of its top 100.
    static func judge(_ query: JudgedSet.Query, _ searcher: Searcher) throws -> (Figures, [Int]) {
        var options = SearchOptions(limit: 100)
        options.context = 0
        let top = try searcher.search(query.text, options: options).hits
        let grades = grades(top, for: query)
        var figures = Figures()
        figures.queries = 1
        let ten = grades.prefix(10)
        figures.hits = ten.count
        figures.passages = ten.filter { $0 > 0 }.count
        let ideal = dcg(grades.sorted(by: >).prefix(10))
        figures.ndcg = ideal == 0 ? 0 : dcg(ten) / ideal
        let texts = top.prefix(10).map { squeezed($0.section.text) }
        figures.withRepeats = Set(texts).count < texts.count ? 1 : 0
        if query.kind == .law {
            figures.laws = 1
            let first = try searcher.search(query.text, options: SearchOptions(limit: 1, detail: .reports)).hits.first
            figures.lawsFirst = first.map { query.named.contains(lawName(ofPath: $0.report.path)) } == true ? 1 : 0
        }
        return (figures, Array(ten))
    }

    /// Judges every query, prints a line per query and the table, and
    /// returns the table as Markdown.
    static func run(_ searcher: Searcher) throws -> String {
        var byKind: [JudgedSet.Kind: (tuned: Figures, heldOut: Figures)] = [:]
        for query in JudgedSet.queries {
            let (figures, grades) = try judge(query, searcher)
            var entry = byKind[query.kind] ?? (Figures(), Figures())
            if query.heldOut { entry.heldOut.add(figures) } else { entry.tuned.add(figures) }
            byKind[query.kind] = entry
            print(String(format: "%@%@  nDCG %.3f  grades %@%@", query.heldOut ? "(held out) " : "", query.text,
                         figures.ndcg, grades.map(String.init).joined(),
                         query.kind == .law ? (figures.lawsFirst == 1 ? "  -l first: the law" : "  -l first: another") : ""))
        }
        var lines = [
            "| queries | n | top-10 hits that are passages | nDCG@10 | law named first (`-l`) | top 10s with a repeated text |",
            "|---|---|---|---|---|---|",
        ]
        func row(_ name: String, _ f: Figures) -> String {
            String(format: "| %@ | %d | %.1f %% (%d of %d) | %.3f | %@ | %d |", name, f.queries, 100 * f.passageShare,
                   f.passages, f.hits, f.meanNDCG,
                   f.laws == 0 ? "–" : String(format: "%.1f %% (%d of %d)", 100 * f.lawShare, f.lawsFirst, f.laws),
                   f.withRepeats)
        }
        var tuned = Figures(), heldOut = Figures()
        for kind in JudgedSet.Kind.allCases {
            guard let entry = byKind[kind] else { continue }
            var both = entry.tuned
            both.add(entry.heldOut)
            lines.append(row(kind.rawValue, both))
            tuned.add(entry.tuned)
            heldOut.add(entry.heldOut)
        }
        lines.append(row("**all, tuned on**", tuned))
        lines.append(row("**all, held out**", heldOut))
        var topics = byKind[.topic]?.heldOut ?? Figures()
        topics.add(byKind[.filtered]?.heldOut ?? Figures())
        lines.append(row("held-out topic words and filtered topics (the 90 % goal)", topics))
        let table = lines.joined(separator: "\n")
        print(table)
        return table
    }
}
