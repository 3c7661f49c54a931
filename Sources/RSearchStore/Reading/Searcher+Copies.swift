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
    /// The page `options` asks for, copies collapsed: bare hits (ranked
    /// section ids, `SearchOptions.textDeferred`) are asked for well beyond
    /// the page, and collapsed on their digests, looked up one at a time
    /// until the page is full; only if they run out first is the query
    /// ranked again, for four times as many. Then only the hits shown are
    /// made in full, and each lists every copy in the index that the query
    /// matches, ranked or not, found by its digest (`section_digest`).
    func eachPassageOnce(_ query: Query, options: SearchOptions) throws -> SearchResult {
        let wanted = options.limit.map { options.offset + $0 }
        // A bare hit costs nothing until it is looked at; asking for more
        // costs the ranking little. Another round ranks from the start.
        var more = max(40, 3 * (wanted ?? 0))
        var wide = options
        wide.offset = 0
        wide.textDeferred = true
        var result: SearchResult
        var kept: [Hit]
        while true {
            wide.limit = wanted.map { $0 + more }
            result = try namedFirst(query, options: wide)
            let hits = result.hits
            kept = try index.queue.read { try Self.collapsed(hits, $0, filling: wanted) }
            guard let wanted, let asked = wide.limit, kept.count < wanted, result.hits.count >= asked else { break }
            more *= 4
        }
        for n in kept.indices { kept[n].rank = n + 1 }
        kept = Array(kept.dropFirst(options.offset))
        if let limit = options.limit { kept = Array(kept.prefix(limit)) }
        let evaluator = QueryEvaluator(expression: query.expression, folding: options.folding,
                                       inHeading: query.filters.inHeading)
        let shown = kept
        result.hits = try index.queue.read { db in
            let details = try SectionDetails.fetch(db, ids: shown.map(\.sectionID))
            return try shown.compactMap { bare in
                guard let row = details[bare.sectionID] else { return nil }
                var hit = try makeHit(db, row, score: -bare.score, rank: bare.rank, folded: nil, evaluator, options)
                hit.duplicates = try copies(of: hit, db, filters: query.filters, evaluator, options.folding)
                return hit
            }
        }
        return result
    }

    /// The hits in order, each later one whose text is an earlier one's
    /// dropped, until `filling` are kept (all, if nil): compared on their
    /// digests (looked up here: bare hits carry none), and where the
    /// digests are equal, on their stored bytes, then on their texts.
    static func collapsed(_ hits: [Hit], _ db: Database, filling wanted: Int?) throws -> [Hit] {
        var first: [Int64: [Int]] = [:]
        var kept: [Hit] = []
        var bodies: [Int64: Data] = [:]
        var keys: [Int64: [UInt32]] = [:]
        let digests = try db.cachedStatement(sql: "SELECT digest FROM section_store WHERE id = ?")
        let fetch = try db.cachedStatement(sql: "SELECT body FROM section_store WHERE id = ?")
        func body(_ id: Int64) throws -> Data {
            if let known = bodies[id] { return known }
            guard let body = try Data.fetchOne(fetch, arguments: [id]) else { throw StoredSection.damaged }
            bodies[id] = body
            return body
        }
        func key(_ id: Int64) throws -> [UInt32] {
            if let known = keys[id] { return known }
            guard let section = try body(id).withUnsafeBytes({ StoredSection.decode($0, text: true) }) else {
                throw StoredSection.damaged
            }
            var text = section.text
            Folding.index.fold(&text)
            keys[id] = SectionDigest.key(folded: text)
            return keys[id]!
        }
        func same(_ a: Int64, _ b: Int64) throws -> Bool {
            try body(a) == body(b) || key(a) == key(b)
        }
        let handle = digests.sqliteStatement
        defer { sqlite3_reset(handle) }
        for var hit in hits {
            if let wanted, kept.count >= wanted { break }
            guard try PointLookup.step(handle, key: hit.sectionID, db) else { continue }
            hit.digest = sqlite3_column_int64(handle, 0)
            let earlier = first[hit.digest, default: []]
            if try earlier.contains(where: { try same(kept[$0].sectionID, hit.sectionID) }) { continue }
            first[hit.digest, default: []].append(kept.count)
            kept.append(hit)
        }
        return kept
    }

    /// Every other section with `hit`'s text that the query matches and
    /// the filters let through, by path and line.
    private func copies(of hit: Hit, _ db: Database, filters: Filters, _ evaluator: QueryEvaluator,
                        _ folding: Folding) throws -> [SectionLocation] {
        let report = filters.sqlConditions()
        let statement = try db.cachedStatement(sql: """
            SELECT r.path, s.line, s.id FROM section_store s JOIN report r ON r.id = s.report_id
            WHERE s.digest = ?\(report.conditions.map { " AND " + $0 }.joined())
            """)
        let others = try Row.fetchAll(statement, arguments: StatementArguments([hit.digest] + report.arguments))
            .filter { $0[2] != hit.sectionID }
        // Most passages have no copy: no text is read for them.
        guard !others.isEmpty else { return [] }
        let bodies = try db.cachedStatement(sql: "SELECT body FROM section_store WHERE id = ?")
        // A copy stored byte for byte as the hit is (heading and text) is
        // one without reading it: the same text, so the query matches it as
        // it matches the hit. Only the others are decoded and compared.
        let ownBody = try Data.fetchOne(bodies, arguments: [hit.sectionID])
        var shown: [UInt32]?
        var copies: [SectionLocation] = []
        for row in others {
            let location = SectionLocation(path: row[0], line: row[1])
            guard let body = try Data.fetchOne(bodies, arguments: [row[2] as Int64]) else { continue }
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
