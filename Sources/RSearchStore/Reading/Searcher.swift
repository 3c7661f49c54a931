import Foundation
import GRDB
import GRDBSQLite
import RSearchText
import RSearchDocuments
import RSearchQuery

/// Runs a query against an index: FTS5 narrows, the text confirms.
///
/// Ranking is bm25 with a heading match weighted above a body match; ties go
/// to the newer report, then to path and position, so output is stable.
public struct Searcher: Sendable {
    public let index: IndexDatabase

    /// bm25 weights of the `heading` and `text` columns.
    static let headingWeight = 4.0
    static let textWeight = 1.0
    /// The same, in `section_fts`'s column order, as `bm25()` takes them.
    static let columnWeights = Schema.FTSColumn.allCases.map { $0 == .heading ? headingWeight : textWeight }
    /// The SQL of a row's bm25 score with those weights.
    static let bm25 = "bm25(section_fts, \(columnWeights.map { "\($0)" }.joined(separator: ", ")))"
    /// The SQL of a row's score: bm25 times its `HeadingPrior`.
    static let score = "\(bm25) * rsearch_heading_prior((SELECT sz FROM section_fts_docsize WHERE id = section_fts.rowid))"

    public init(index: IndexDatabase) {
        self.index = index
    }

    /// Parses `text` and searches for it; the result echoes `text`.
    public func search(_ text: String, options: SearchOptions = SearchOptions()) throws -> SearchResult {
        var query = try QueryParser().parse(text)
        query.filters.merge(options.filters)
        var result = try search(query, options: options)
        result.query = text
        return result
    }

    /// Searches for a parsed query; the result's `query` is empty, for the
    /// caller to set to the text it parsed.
    ///
    /// With `.full` detail, each passage once: a hit stands for every
    /// section whose text is its own, whitespace aside (`Searcher+Copies`),
    /// unless `options.allCopies`. `total` counts every matching section.
    public func search(_ query: Query, options: SearchOptions) throws -> SearchResult {
        do {
            guard options.detail == .full, !options.allCopies else { return try namedFirst(query, options: options) }
            return try eachPassageOnce(query, options: options)
        } catch let error as DatabaseError {
            // A damaged file may open fine and fail only when a page is read.
            throw IndexError.unreadable(path: index.path.path, reason: IndexDatabase.reason(error))
        }
    }

    /// By score, a query of one term first shows the best section of each
    /// report whose title it names (`NamedReports`), closest title first,
    /// then every other hit in rank order; `total` is unchanged, and a
    /// section's `rank` is its place in that order.
    func namedFirst(_ query: Query, options: SearchOptions) throws -> SearchResult {
        guard options.sort == .score, case .term(let term)? = query.expression else {
            return try ranked(query, options: options)
        }
        let named = try index.queue.read { try NamedReports.find($0, term: term, filters: query.filters) }
        guard !named.isEmpty else { return try ranked(query, options: options) }
        let paths = named.map(\.path)
        let perReport = options.detail != .full

        // Every report listed (`-l`, `-c`): the named ones moved to the front.
        if perReport && options.limit == nil {
            var all = options
            all.offset = 0
            var result = try ranked(query, options: all)
            let place = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, $0) })
            let leading = result.hits.filter { place[$0.report.path] != nil }.sorted { place[$0.report.path]! < place[$1.report.path]! }
            result.hits = Array((leading + result.hits.filter { place[$0.report.path] == nil }).dropFirst(options.offset))
            return result
        }

        let leading = try bestSections(of: named, query, options)
        guard !leading.isEmpty else { return try ranked(query, options: options) }
        // Then the rest, enough of it to fill the page once the leaders are taken out.
        var rest = options
        rest.offset = 0
        rest.limit = options.limit.map { options.offset + $0 + leading.count }
        var result = try ranked(query, options: rest)
        func key(_ hit: Hit) -> String { perReport ? hit.report.path : "\(hit.sectionID)" }
        let taken = Set(leading.map(key))
        var hits = leading + result.hits.filter { !taken.contains(key($0)) }
        // A section's place; one hit per report keeps its section's rank among all.
        if !perReport { for n in hits.indices { hits[n].rank = n + 1 } }
        hits = Array(hits.dropFirst(options.offset))
        if let limit = options.limit { hits = Array(hits.prefix(limit)) }
        result.hits = hits
        return result
    }

    /// The best section of each named report, in their order, as hits of
    /// the detail asked for. A phrase the index answers exactly is ranked
    /// in one pass within the reports' rowid ranges; any other term, by a
    /// search within the reports whose title holds each named title.
    private func bestSections(of named: [(id: Int64, path: String, title: String)], _ query: Query,
                              _ options: SearchOptions) throws -> [Hit] {
        let compiled = MatchCompiler(folding: options.folding, inHeading: query.filters.inHeading)
            .compile(query.expression!)
        if options.detail == .full, options.folding == .index, compiled.onePhrase, compiled.exact, let fts = compiled.fts {
            let found: [Hit]? = try index.queue.read { db in
                var ranges: [ClosedRange<Int64>] = []
                for report in named {
                    let row = try Row.fetchOne(db, sql: """
                        SELECT min(id), max(id), count(*) FROM section_store WHERE report_id = ?
                        """, arguments: [report.id])
                    guard let low = row?[0] as Int64?, let high = row?[1] as Int64?, let n = row?[2] as Int64?,
                          high - low + 1 == n else { return nil }
                    ranges.append(low...high)
                }
                let rows = try rankOnePhrase(db, compiled, match: fts, wanted: .max, within: SectionRanges(ranges)).best
                // The best of each report (a few ranges): the higher score, then the earlier section.
                var best: [Int: (id: Int64, score: Double)] = [:]
                for row in rows {
                    guard let r = ranges.firstIndex(where: { $0.contains(row.id) }) else { continue }
                    if let b = best[r], b.score < row.score || (b.score == row.score && b.id < row.id) { continue }
                    best[r] = row
                }
                let chosen = named.indices.compactMap { best[$0] }
                let evaluator = QueryEvaluator(expression: query.expression, folding: options.folding,
                                               inHeading: query.filters.inHeading)
                let details = try SectionDetails.fetch(db, ids: chosen.map(\.id), bare: options.textDeferred)
                return try chosen.compactMap { c in
                    try details[c.id].map { try makeHit(db, $0, score: c.score, rank: 0, folded: nil, evaluator, options) }
                }
            }
            if let found { return found }
        }
        let paths = Set(named.map(\.path))
        var titles: [String] = []
        for report in named where !titles.contains(report.title) { titles.append(report.title) }
        var firsts: [String: Hit] = [:]
        for title in titles {
            var within = query
            within.filters.title.append(title)
            var all = options
            all.offset = 0
            all.limit = nil
            if options.detail == .full {
                // The first hit of each report, then the text only up to the last of those wanted.
                all.detail = .reports
                let places = try ranked(within, options: all).hits.filter { paths.contains($0.report.path) }.map(\.rank)
                guard let last = places.max() else { continue }
                all.detail = .full
                all.limit = last
                // Told apart by report path, which a bare hit lacks.
                all.textDeferred = false
            }
            for hit in try ranked(within, options: all).hits where paths.contains(hit.report.path) {
                if firsts[hit.report.path] == nil { firsts[hit.report.path] = hit }
            }
        }
        return named.compactMap { firsts[$0.path] }
    }

    private func ranked(_ query: Query, options: SearchOptions) throws -> SearchResult {
        let compiler = MatchCompiler(folding: options.folding, inHeading: query.filters.inHeading)
        let compiled = query.expression.map(compiler.compile) ?? CompiledMatch(fts: nil, exact: false)
        let evaluator = QueryEvaluator(expression: query.expression, folding: options.folding,
                                       inHeading: query.filters.inHeading)
        // Folding less than the index: the index's own answer, corrected
        // where traditional characters make the two differ (`VariantMarks`).
        let indexCompiled = options.folding == .index ? compiled
            : query.expression.map(MatchCompiler(folding: .index, inHeading: query.filters.inHeading).compile)
        // `-c` of a term of Han characters, folded as the index folds: the
        // counts the index holds (`SectionOccurrences`), no text read.
        // Likewise for alternatives of such terms, each distinct term
        // counted once, as a hit's matches count them.
        var countsFromIndex = false
        if options.detail == .counts, options.folding == .index, !query.filters.inHeading, let expression = query.expression {
            func han(_ x: QueryExpression) -> Bool {
                guard case .term(let t) = x else { return false }
                let scalars = Folding.index.scalars(t)
                return !scalars.isEmpty && scalars.allSatisfy(CharacterClass.isHan)
            }
            switch expression {
            case .term: countsFromIndex = han(expression)
            case .or(let xs): countsFromIndex = xs.allSatisfy(han)
            default: break
            }
        }

        // Alternatives, each one exact phrase: ranked a term at a time (`AlternativeRanking`).
        var alternatives: [CompiledMatch]?
        var firstOfTerm: [Bool] = []
        if options.folding == .index, case .or(let xs)? = query.expression, xs.count > AlternativeRanking.threshold {
            let parts = xs.map(compiler.compile)
            if parts.allSatisfy({ $0.onePhrase && $0.exact && $0.fts != nil }) {
                alternatives = parts
                var seen = Set<String>()
                firstOfTerm = xs.map { if case .term(let t) = $0 { seen.insert(t).inserted } else { false } }
            }
        }

        return try index.queue.read { db in
            // Ranked in passes only where the report ranges they need exist
            // (always, as the writer writes them); each read once.
            if let alternatives, let sections = try SQLQuery(compiled: compiled, filters: query.filters).filteredSections(db) {
                var sql = SQLQuery(compiled: compiled, filters: query.filters)
                sql.sort = options.sort
                sql.alternatives = alternatives
                sql.firstOfTerm = firstOfTerm
                sql.sections = sections
                sql.listing = options.sort == .score ? nil : try ReportListing(db)
                if options.sort == .score || sql.listing != nil {
                    return try run(db, sql: sql, exact: true, evaluator: evaluator, options: options,
                                   occurrences: countsFromIndex ? SectionOccurrences() : nil)
                }
            }
            if let expression = query.expression, let indexCompiled, options.folding != .index,
               let plan = try VariantMarks.plan(db, expression: expression, indexCompiled: indexCompiled,
                                                folding: options.folding, inHeading: query.filters.inHeading,
                                                filters: query.filters) {
                var sql = SQLQuery(compiled: indexCompiled, filters: query.filters)
                sql.sort = options.sort
                switch plan {
                case .rejecting(let rejected):
                    return try run(db, sql: sql, exact: true, evaluator: evaluator, options: options, rejected: rejected)
                case .restricting(let within):
                    return try run(db, sql: sql, exact: true, evaluator: evaluator, options: options, within: within)
                case .confirming(let candidates):
                    return try run(db, sql: sql, exact: false, evaluator: evaluator, options: options, only: candidates)
                }
            }
            var sql = SQLQuery(compiled: compiled, filters: query.filters)
            sql.sort = options.sort
            let exact = compiled.exact && query.expression != nil
            return try run(db, sql: sql, exact: exact, evaluator: evaluator, options: options,
                           occurrences: exact && countsFromIndex ? SectionOccurrences() : nil)
        }
    }

    /// Runs `sql`; `exact`: its matches are the answer, less `rejected`
    /// (every one of which it matches) or, if given, only those `within`;
    /// else each candidate (of `only`, if given) is confirmed on its text.
    /// `occurrences`: for `-c`, filled with each match's count in its text
    /// by the ranking pass, where the query is one it can count.
    private func run(_ db: Database, sql: SQLQuery, exact: Bool, evaluator: QueryEvaluator, options: SearchOptions,
                     rejected: Set<Int64> = [], within: Set<Int64>? = nil, only: Set<Int64>? = nil,
                     occurrences: SectionOccurrences? = nil) throws -> SearchResult {
        var ranked: [(id: Int64, score: Double)] = []
        var total = 0
        let perReport = options.detail == .reports || options.detail == .counts
        // A section's count as the pass found it; nil for one it did not
        // count, which is then counted in its text.
        var countByID: [Int64: Int]?
        func count(of id: Int64) -> Int? {
            guard let occurrences else { return nil }
            if countByID == nil { countByID = Dictionary(occurrences.rows, uniquingKeysWith: +) }
            return countByID![id]
        }
        func kept(_ rows: [(id: Int64, score: Double)]) -> [(id: Int64, score: Double)] {
            if let within { return rows.filter { within.contains($0.id) } }
            return rejected.isEmpty ? rows : rows.filter { !rejected.contains($0.id) }
        }
        // Within a set, every match is ranked, then counted.
        func counted(_ total: Int, _ rows: [(id: Int64, score: Double)]) -> Int {
            within == nil ? total - rejected.count : rows.count
        }
        if exact {
            // For one hit per report, every section is ranked first.
            // Asked for as many more as may be rejected.
            let wanted = perReport || within != nil ? nil : options.limit.map { options.offset + $0 + rejected.count }
            if let ordered = try sortedByReport(db, sql, options, occurrences: occurrences) {
                // Counted by the pass; SQLite orders the page when the
                // report ranges do not pay.
                ranked = kept(try ordered.rows.map { Array($0.prefix(wanted ?? .max)) } ?? sql.page(db, wanted: wanted))
                total = counted(ordered.total, ranked)
            } else if sql.ranksInPasses, let sections = try sql.filteredSections(db) {
                // One phrase (or many alternatives): count and rank in the
                // same pass (every match, for `-l`, `-c` and `--all`, when no limit).
                var pass = try rankInPasses(db, sql, wanted: wanted ?? .max, within: sections, occurrences: occurrences)
                pass.best = kept(pass.best)
                pass.total = counted(pass.total, pass.best)
                total = pass.total
                // One hit per report from the report ranges: for `-l`, and
                // for `-c` where the pass counted the matches.
                if perReport, options.detail == .reports || occurrences != nil,
                   try ReportListing.pays(for: .listing, matches: pass.best.count, db), let listing = try ReportListing(db) {
                    let best = Self.page(listing.best(of: pass.best), options)
                    let sums = occurrences.map { listing.totals(of: $0.rows) }
                    let details = try SectionDetails.fetch(db, ids: best.map(\.id))
                    let hits = try best.compactMap { r in
                        try details[r.id].map {
                            try makeHit(db, $0, score: r.score, rank: r.rank, folded: nil, evaluator, options,
                                        occurrences: sums.flatMap { sums in listing.report(of: r.id).map { sums[$0] } })
                        }
                    }
                    return SearchResult(query: "", total: total, hits: hits)
                }
                ranked = try sql.tieBroken(db, pass.best, wanted: wanted ?? pass.best.count)
            } else {
                // FTS5 answers exactly: count, then rank only the page.
                ranked = kept(try sql.page(db, wanted: wanted))
                total = within != nil ? ranked.count
                    : (try Int.fetchOne(db, sql: sql.count, arguments: sql.arguments) ?? 0) - rejected.count
            }
            if let limit = options.limit, !perReport { ranked = Array(ranked.prefix(options.offset + limit)) }
            if !perReport { ranked = Array(ranked.dropFirst(options.offset)) }
            // One hit per report without a hit per section where no text is
            // wanted: `-l`, and `-c` counted by the passes (a hit per section
            // was 25 µs each, 0.4 s of `党 -c` at 1 GB).
            if perReport, options.detail == .reports || (occurrences != nil && ranked.allSatisfy { count(of: $0.id) != nil }) {
                let firsts = Self.page(try Self.firstPerReport(db, ranked), options)
                let details = try SectionDetails.fetch(db, ids: firsts.map(\.id))
                let hits = try firsts.compactMap { f in
                    try details[f.id].map {
                        try makeHit(db, $0, score: f.score, rank: f.rank, folded: nil, evaluator, options,
                                    occurrences: occurrences == nil ? nil : f.members.reduce(0) { $0 + count(of: $1)! })
                    }
                }
                return SearchResult(query: "", total: total, hits: hits)
            }
            let first = perReport ? 0 : options.offset
            let details = try SectionDetails.fetch(db, ids: ranked.map(\.id), bare: options.textDeferred)
            let hits = try ranked.enumerated().compactMap { n, r in
                try details[r.id].map {
                    try makeHit(db, $0, score: r.score, rank: first + n + 1, folded: nil, evaluator, options, occurrences: count(of: r.id))
                }
            }
            return SearchResult(query: "", total: total, hits: perReport ? Self.onePerReport(hits, options) : hits)
        }
        // Confirm every candidate, in rank order, on its text.
        if let ordered = try sortedByReport(db, sql, options), let rows = ordered.rows {
            ranked = rows
        } else if sql.ranksInPasses, let sections = try sql.filteredSections(db) {
            let pass = try rankInPasses(db, sql, wanted: .max, within: sections)
            // Ties are broken only among the candidates kept.
            let best = only.map { only in pass.best.filter { only.contains($0.id) } } ?? pass.best
            ranked = try sql.tieBroken(db, best, wanted: best.count)
        } else {
            ranked = try sql.page(db, wanted: nil)
        }
        if let only { ranked = ranked.filter { only.contains($0.id) } }
        let wanted = options.limit.map { options.offset + $0 }
        var hits: [Hit] = []
        let window = perReport ? 0 : options.offset
        // Decoded straight from the stored blob into scalar arrays:
        // making a String of every candidate and mapping its scalars was
        // most of the time of a term like `一、` (perf).
        let fetch = try db.cachedStatement(sql: "SELECT body FROM section_store WHERE id = ?")
        let handle = fetch.sqliteStatement
        var folded: [UInt32] = []
        var foldedHeading: [UInt32]? = evaluator.inHeading ? [] : nil
        var confirmed: [(id: Int64, score: Double, folded: [UInt32], count: Int?)] = []
        for r in ranked {
            guard try PointLookup.step(handle, key: r.id, db) else { continue }
            let body = UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, 0),
                                              count: Int(sqlite3_column_bytes(handle, 0)))
            guard StoredSection.decode(body, heading: &foldedHeading, text: &folded) else {
                throw StoredSection.damaged
            }
            options.folding.fold(&folded)
            if foldedHeading != nil { options.folding.fold(&foldedHeading!) }
            guard evaluator.matches(text: folded, heading: foldedHeading ?? []) else { continue }
            total += 1
            if perReport {
                let count = options.detail == .counts ? evaluator.highlights(in: folded).count : nil
                confirmed.append((r.id, r.score, [], count))
            } else if total > options.offset, wanted.map({ total <= $0 }) ?? true {
                confirmed.append((r.id, r.score, options.textDeferred ? [] : folded, nil))
            }
        }
        sqlite3_reset(handle)
        let details = try SectionDetails.fetch(db, ids: confirmed.map(\.id), bare: options.textDeferred)
        for (n, c) in confirmed.enumerated() {
            if let row = details[c.id] {
                hits.append(try makeHit(db, row, score: c.score, rank: window + n + 1, folded: c.folded, evaluator, options,
                                        occurrences: c.count))
            }
        }
        return SearchResult(query: "", total: total, hits: perReport ? Self.onePerReport(hits, options) : hits)
    }

    /// The rows matching a one-phrase query or each of its alternatives
    /// (`AlternativeRanking`), counted, and the best `wanted` (all, for
    /// alternatives).
    private func rankInPasses(_ db: Database, _ sql: SQLQuery, wanted: Int, within sections: SectionRanges,
                              occurrences: SectionOccurrences? = nil) throws -> (total: Int, best: [(id: Int64, score: Double)])
    {
        if let alternatives = sql.alternatives {
            // Each distinct term's occurrences once (a repeated one is ranked twice, as FTS5 ranks it).
            var n = 0
            return try AlternativeRanking.rank(alternatives) {
                defer { n += 1 }
                return try rankOnePhrase(db, $0, match: $0.fts!, wanted: .max, within: sections,
                                         occurrences: sql.firstOfTerm[n] ? occurrences : nil)
            }
        }
        return try rankOnePhrase(db, sql.compiled, match: sql.compiled.fts!, wanted: wanted, within: sections,
                                 occurrences: occurrences)
    }

    /// The rows matching a one-phrase query, counted, and the best `wanted`:
    /// from a Han character's postings where they are kept, else in
    /// one pass over FTS5's matches.
    private func rankOnePhrase(_ db: Database, _ compiled: CompiledMatch, match: String, wanted: Int,
                               within sections: SectionRanges, occurrences: SectionOccurrences? = nil) throws
        -> (total: Int, best: [(id: Int64, score: Double)])
    {
        if let character = compiled.singleCharacter,
           let ranked = try CharacterRanking.rank(db, character: character, inHeading: compiled.inHeading,
                                                  headingWeight: Self.headingWeight, textWeight: Self.textWeight,
                                                  wanted: wanted, within: sections, occurrences: occurrences) {
            return ranked
        }
        return try OnePassRanking.rank(db, match: match, weights: Self.columnWeights, wanted: wanted, within: sections,
                                       occurrences: occurrences)
    }

    /// For `--sort year` or `--sort path` and a one-phrase query: its
    /// matches counted in one pass, and, when there are enough of them that
    /// placing each in its report's rowid range beats SQLite's join and
    /// sort per match (`ReportListing.pays`), all of them in report order
    /// (else `rows` is nil). nil for any other query.
    private func sortedByReport(_ db: Database, _ sql: SQLQuery, _ options: SearchOptions,
                                occurrences: SectionOccurrences? = nil) throws
        -> (total: Int, rows: [(id: Int64, score: Double)]?)?
    {
        guard options.sort != .score, sql.compiled.onePhrase || sql.alternatives != nil,
              let sections = try sql.filteredSections(db) else { return nil }
        let pass = try rankInPasses(db, sql, wanted: .max, within: sections, occurrences: occurrences)
        // Alternatives have no FTS5 expression for SQLite to order: always
        // from the report ranges (the caller made sure there are some).
        guard try sql.alternatives != nil || ReportListing.pays(for: .sorting, matches: pass.best.count, db),
              let listing = try sql.listing ?? ReportListing(db) else {
            return (pass.total, nil)
        }
        return (pass.total, listing.sorted(pass.best, by: options.sort))
    }

    /// The first of `rows` (in rank order) in each report, with its rank
    /// among them all and the report's rows, in the order of the firsts.
    static func firstPerReport(_ db: Database, _ rows: [(id: Int64, score: Double)]) throws
        -> [(id: Int64, score: Double, rank: Int, members: [Int64])]
    {
        let statement = try db.cachedStatement(sql: "SELECT report_id FROM section_store WHERE id = ?")
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var place: [Int64: Int] = [:]
        var firsts: [(id: Int64, score: Double, rank: Int, members: [Int64])] = []
        for (n, row) in rows.enumerated() {
            guard try PointLookup.step(handle, key: row.id, db) else { continue }
            let report = sqlite3_column_int64(handle, 0)
            if let i = place[report] {
                firsts[i].members.append(row.id)
            } else {
                place[report] = firsts.count
                firsts.append((row.id, row.score, n + 1, [row.id]))
            }
        }
        return firsts
    }

    /// The first hit of each report, with the occurrences of all of them,
    /// then the page of those `options` asks for.
    private static func onePerReport(_ hits: [Hit], _ options: SearchOptions) -> [Hit] {
        var placed: [String: Int] = [:]
        var first: [Hit] = []
        for hit in hits {
            if let n = placed[hit.report.path] {
                first[n].occurrences += hit.occurrences
            } else {
                placed[hit.report.path] = first.count
                first.append(hit)
            }
        }
        return page(first, options)
    }

    private static func page<T>(_ items: [T], _ options: SearchOptions) -> [T] {
        let rest = items.dropFirst(options.offset)
        return Array(options.limit.map { rest.prefix($0) } ?? rest)
    }

    /// A hit from its details: the section decoded once, its text
    /// only when the hit shows it (a bare heading's snippet going on into
    /// the first passage under it), as scalar values that fold and cut the
    /// snippet directly, not through the `section` view, whose every column
    /// would decode it again.
    /// `occurrences`: the count `-c` takes, where already known.
    /// With `options.textDeferred`, a `.full` hit is made without its text
    /// or heading path.
    func makeHit(_ db: Database, _ row: SectionDetails, score: Double, rank: Int, folded: [UInt32]?, _ evaluator: QueryEvaluator,
                 _ options: SearchOptions, occurrences: Int? = nil) throws -> Hit {
        let metadata = ReportMetadata(
            title: row.title, year: row.year, date: row.date, kind: row.kind, author: row.author, unit: row.unit,
            enacted: row.enacted)
        if options.detail == .full, options.textDeferred {
            // Where it ranks, and nothing else: `eachPassageOnce` looks up
            // the digest of those it needs and completes those it shows.
            var hit = Hit(rank: rank, score: -score, report: ReportInfo(path: row.path, metadata: metadata, ocr: row.ocr),
                          section: SectionInfo(path: [], heading: "", line: row.line, text: "", page: row.page), matches: [],
                          snippet: Snippet(scalars: [], matches: []))
            hit.digest = row.digest
            hit.sectionID = row.id
            return hit
        }
        let needsText = options.detail == .full || (options.detail == .counts && occurrences == nil)
        guard let section = row.body.withUnsafeBytes({ StoredSection.decode($0, text: needsText) })
        else { throw StoredSection.damaged }
        var matches: [Range<Int>] = []
        var snippet = Snippet(scalars: [], matches: [])
        func foldedText() -> [UInt32] {
            if let folded { return folded }
            var values = section.text
            options.folding.fold(&values)
            return values
        }
        switch options.detail {
        case .full:
            matches = evaluator.highlights(in: foldedText())
            // A bare heading shows the passage under it after itself.
            var shown = section.text
            if !SectionDetails.hasBody(heading: section.heading, text: section.text), !section.heading.isEmpty,
               let below = try SectionDetails.passageBelow(db, id: row.id, path: section.path) {
                shown += [UInt32(("\n" as Unicode.Scalar).value)] + below
            }
            snippet = Snippet(scalarValues: shown, matches: matches, context: options.context)
        case .counts:
            // No snippet; the matches only to count them.
            if occurrences == nil { matches = evaluator.highlights(in: foldedText()) }
        case .reports:
            break
        }
        var hit = Hit(
            rank: rank, score: -score,
            report: ReportInfo(path: row.path, metadata: metadata, ocr: row.ocr),
            section: SectionInfo(path: SectionPath.decode(String(scalarValues: section.path)),
                                 heading: String(scalarValues: section.heading), line: row.line,
                                 text: options.detail == .full ? String(scalarValues: section.text) : "",
                                 page: row.page),
            matches: matches,
            occurrences: occurrences,
            snippet: snippet)
        hit.digest = row.digest
        hit.sectionID = row.id
        return hit
    }
}

extension Filters {
    /// The report filters as SQL conditions on `report r`, with their
    /// arguments: metadata compared as folded substrings with `instr`,
    /// spaces ignored on both sides (a byline `国务院总理 李 强` is found by
    /// `李强`, a title `附 则` by `附则`). The stored copies keep their spaces,
    /// so an index of any earlier build answers the same.
    func sqlConditions() -> (conditions: [String], arguments: [DatabaseValueConvertible?]) {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let years {
            conditions.append("r.year BETWEEN ? AND ?")
            arguments += [years.lowerBound, years.upperBound]
        }
        if let enacted {
            conditions.append("CAST(substr(r.enacted, 1, 4) AS INTEGER) BETWEEN ? AND ?")
            arguments += [enacted.lowerBound, enacted.upperBound]
        }
        for (column, values) in [("kind_n", kind), ("title_n", title), ("author_n", author), ("unit_n", unit)] {
            for v in values {
                conditions.append("instr(replace(replace(r.\(column), ' ', ''), '\u{3000}', ''), ?) > 0")
                arguments.append(Folding.index.string(v).withoutSpaces)
            }
        }
        return (conditions, arguments)
    }
}

extension String {
    /// Without the spaces (ASCII and U+3000) that metadata comparisons ignore.
    var withoutSpaces: String { filter { $0 != " " && $0 != "\u{3000}" } }
}

/// The SQL of one search. User text reaches SQLite only as bound arguments:
/// the MATCH expression is built from quoted tokens (`MatchCompiler`), and
/// filter values are compared with `instr`.
///
/// Ranking is bm25 (lower is better in SQLite), ties broken by year (newer
/// first), path and position. Sorting every match with those keys means a
/// join per match, which costs hundreds of milliseconds for a term in most
/// sections; so when only a page is wanted and no filter needs the report,
/// FTS5 ranks alone and the tie-breaking keys are applied to the page, unless
/// a tie crosses the page's edge, when the full ordering is used. A query of
/// one phrase is counted and ranked in one pass instead (`OnePassRanking`).
struct SQLQuery {
    var compiled: CompiledMatch
    var filters: Filters
    var sort: SearchOptions.SortOrder = .score

    init(compiled: CompiledMatch, filters: Filters) {
        self.compiled = compiled
        self.filters = filters
    }

    private var needsReport: Bool {
        filters.years != nil || filters.enacted != nil || !filters.kind.isEmpty || !filters.title.isEmpty || !filters.author.isEmpty
            || !filters.unit.isEmpty
    }

    private var whereClause: (sql: String, arguments: [DatabaseValueConvertible?]) {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let fts = compiled.fts {
            conditions.append("section_fts MATCH ?")
            arguments.append(fts)
        }
        let report = filters.sqlConditions()
        conditions += report.conditions
        arguments += report.arguments
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    var arguments: StatementArguments {
        StatementArguments(whereClause.arguments)
    }

    private var from: String {
        compiled.fts == nil
            ? "section s JOIN report r ON r.id = s.report_id"
            : "section_fts JOIN section s ON s.id = section_fts.rowid JOIN report r ON r.id = s.report_id"
    }

    var count: String {
        if compiled.fts != nil && !needsReport {
            return "SELECT count(*) FROM section_fts \(whereClause.sql)"
        }
        return "SELECT count(*) FROM \(from) \(whereClause.sql)"
    }

    private var score: String {
        compiled.fts == nil ? "0.0" : Searcher.score
    }

    /// Section ids and scores in rank order: the first `wanted`, or all.
    func page(_ db: Database, wanted: Int?) throws -> [(id: Int64, score: Double)] {
        if let wanted, compiled.fts != nil, !needsReport, sort == .score {
            // FTS5 ranks alone; one row more tells whether a tie crosses the edge.
            let rows = try Row.fetchAll(db, sql: """
                SELECT rowid, \(score) AS score FROM section_fts \(whereClause.sql) ORDER BY score LIMIT \(wanted + 1)
                """, arguments: arguments)
            let crossing = rows.count > wanted && wanted > 0
                && (rows[wanted]["score"] as Double) == (rows[wanted - 1]["score"] as Double)
            if !crossing {
                let page = rows.prefix(wanted).map { (id: $0["rowid"] as Int64, score: $0["score"] as Double) }
                return try tieBroken(db, page, wanted: page.count)
            }
        }
        let order: String
        switch sort {
        case .score: order = "score, r.year DESC, r.path, s.ord"
        case .year: order = "r.year IS NULL, r.year DESC, r.path, s.ord"
        case .path: order = "r.path, s.ord"
        }
        var sql = "SELECT s.id, \(score) AS score FROM \(from) \(whereClause.sql) ORDER BY \(order)"
        if let wanted { sql += " LIMIT \(wanted)" }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { (id: $0["id"], score: $0["score"]) }
    }

    /// Alternatives ranked one at a time (`AlternativeRanking`) instead of
    /// `compiled`, which then has no FTS5 expression.
    var alternatives: [CompiledMatch]?
    /// For each alternative, whether it is the first of its term's text.
    var firstOfTerm: [Bool] = []
    /// The filtered sections and the report ranges, where already read.
    var sections: SectionRanges?
    var listing: ReportListing?

    /// Whether one pass per phrase ranks it (`OnePassRanking`): one phrase or
    /// alternatives, ordered by score.
    var ranksInPasses: Bool {
        (compiled.onePhrase || alternatives != nil) && sort == .score
    }

    /// The sections the report filters let through, as rowid ranges
    /// (`.all` without filters); nil if a report's sections are not one
    /// range (`ReportListing.reports`).
    func filteredSections(_ db: Database) throws -> SectionRanges? {
        if let sections { return sections }
        guard needsReport else { return .all }
        let report = filters.sqlConditions()
        return try ReportListing.reports(db, where: report.conditions, arguments: report.arguments)
            .map { SectionRanges($0.map(\.sections)) }
    }

    /// The first `wanted` of `rows` (a superset of the page with every row
    /// tied at its edge) by score, equal scores by year (newer first), path
    /// and position. Only the rows whose score is shared are looked up.
    func tieBroken(_ db: Database, _ rows: [(id: Int64, score: Double)], wanted: Int) throws
        -> [(id: Int64, score: Double)]
    {
        let sorted = rows.sorted { $0.score < $1.score }
        guard sorted.count > 1, wanted > 0 else { return Array(sorted.prefix(wanted)) }
        let cut = sorted[min(wanted, sorted.count) - 1].score
        let candidates = sorted.prefix { $0.score <= cut }
        var shared: [Int64] = []
        for (i, row) in candidates.enumerated() {
            if (i > 0 && candidates[i - 1].score == row.score)
                || (i + 1 < candidates.count && candidates[i + 1].score == row.score) {
                shared.append(row.id)
            }
        }
        guard !shared.isEmpty else { return Array(candidates.prefix(wanted)) }
        var keys: [Int64: (year: Int, path: String, ord: Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.id, coalesce(r.year, -1) AS year, r.path, s.ord FROM section s JOIN report r ON r.id = s.report_id
            WHERE s.id IN (%@)
            """, in: shared) {
            keys[row[0]] = (row[1], row[2], row[3])
        }
        return Array(candidates.sorted { a, b in
            if a.score != b.score { return a.score < b.score }
            guard let ka = keys[a.id], let kb = keys[b.id] else { return a.id < b.id }
            if ka.year != kb.year { return ka.year > kb.year }
            if ka.path != kb.path { return ka.path < kb.path }
            return ka.ord < kb.ord
        }.prefix(wanted))
    }
}
