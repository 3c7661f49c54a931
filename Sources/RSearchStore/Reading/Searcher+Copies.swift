import Foundation
import GRDB
import GRDBSQLite
import RSearchText
import RSearchQuery

/// Each passage once (issue 18): sections whose text is the same as the
/// index reads it, whitespace aside (`SectionDigest`: a national report and
/// its aligned copy, two versions of one regulation), are one hit, at the
/// best rank of them, listing the others in `Hit.duplicates`.
extension Searcher {
    /// The page `options` asks for, copies collapsed: hits are asked for
    /// beyond the page until, once collapsed, they fill it (or run out);
    /// then each hit shown lists every copy in the index that the query
    /// matches, ranked or not, found by its digest (`section_digest`).
    func eachPassageOnce(_ query: Query, options: SearchOptions) throws -> SearchResult {
        let wanted = options.limit.map { options.offset + $0 }
        // A few beyond the page: most pages hold no copy, and each hit
        // asked for is made in full (snippet, details).
        var more = max(3, (wanted ?? 0) / 4)
        var result: SearchResult
        var kept: [Hit]
        while true {
            var wide = options
            wide.offset = 0
            wide.limit = wanted.map { $0 + more }
            result = try namedFirst(query, options: wide)
            kept = Self.collapsed(result.hits)
            guard let wanted, let asked = wide.limit, kept.count < wanted, result.hits.count >= asked else { break }
            more *= 4
        }
        for n in kept.indices { kept[n].rank = n + 1 }
        kept = Array(kept.dropFirst(options.offset))
        if let limit = options.limit { kept = Array(kept.prefix(limit)) }
        let evaluator = QueryEvaluator(expression: query.expression, folding: options.folding,
                                       inHeading: query.filters.inHeading)
        try index.queue.read { db in
            for n in kept.indices { kept[n].duplicates = try copies(of: kept[n], db, filters: query.filters, evaluator, options.folding) }
        }
        result.hits = kept
        return result
    }

    /// The hits in order, each later one whose text is an earlier one's
    /// dropped.
    static func collapsed(_ hits: [Hit]) -> [Hit] {
        var first: [Int64: [Int]] = [:]
        var kept: [Hit] = []
        for hit in hits {
            let same = first[hit.digest, default: []].contains { Self.sameText(kept[$0].section.text, hit.section.text) }
            guard !same else { continue }
            first[hit.digest, default: []].append(kept.count)
            kept.append(hit)
        }
        return kept
    }

    static func sameText(_ a: String, _ b: String) -> Bool {
        SectionDigest.key(a) == SectionDigest.key(b)
    }

    /// Every other section with `hit`'s text that the query matches and
    /// the filters let through, by path and line.
    private func copies(of hit: Hit, _ db: Database, filters: Filters, _ evaluator: QueryEvaluator,
                        _ folding: Folding) throws -> [SectionLocation] {
        let report = filters.sqlConditions()
        let statement = try db.cachedStatement(sql: """
            SELECT r.path, s.line, s.body FROM section_store s JOIN report r ON r.id = s.report_id
            WHERE s.digest = ?\(report.conditions.map { " AND " + $0 }.joined())
            """)
        let rows = try Row.fetchAll(statement, arguments: StatementArguments([hit.digest] + report.arguments))
        let own = SectionLocation(path: hit.report.path, line: hit.section.line)
        // A copy stored byte for byte as the hit is (heading and text) is
        // one without reading it: the same text, so the query matches it as
        // it matches the hit. Only the others are decoded and compared.
        let ownBody: Data? = rows.first { SectionLocation(path: $0[0], line: $0[1]) == own }?[2]
        var shown: [UInt32]?
        var copies: [SectionLocation] = []
        for row in rows {
            let location = SectionLocation(path: row[0], line: row[1])
            guard location != own else { continue }
            let body: Data = row[2]
            if let ownBody, body == ownBody {
                copies.append(location)
                continue
            }
            guard let section = body.withUnsafeBytes({ StoredSection.decode($0, text: true) }) else { throw StoredSection.damaged }
            var indexed = section.text
            Folding.index.fold(&indexed)
            if shown == nil { shown = SectionDigest.key(hit.section.text) }
            guard SectionDigest.key(folded: indexed) == shown else { continue }
            var folded = section.text, heading = section.heading
            folding.fold(&folded)
            folding.fold(&heading)
            guard evaluator.matches(text: folded, heading: heading) else { continue }
            copies.append(location)
        }
        return copies.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
    }
}
