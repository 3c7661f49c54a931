import Foundation
import GRDB
import GRDBSQLite
import RSearchText
import RSearchQuery

/// How a search that folds less than the index (`--no-fold`: traditional
/// and simplified kept apart) is answered from the index without reading
/// every candidate.
///
/// `Folding.index` is `Folding.exact` followed by the variant folding
/// (`Folding.foldVariants`), so the two foldings of a section differ only
/// where it holds a traditional character, and `variant_posting` lists, by
/// simplified form, the sections that hold one (`CharacterPostings`). Hence:
///
/// - a query none of whose terms holds a traditional character gives the
///   same answer under both foldings in every section that holds no
///   traditional form of any character of its terms; where it has no NOT, a
///   section it matches unfolded it also matches folded. Its answer is the
///   index's answer less the marked sections that match folded but not
///   unfolded (`rejected`): only those are read.
/// - a one-term query that holds traditional characters can match only in
///   sections holding a traditional form of each of them (`candidates`); of
///   those, where every folded occurrence of each of its characters must be
///   the form the term has (the counts say so), the index's matches are the
///   answer unread, and only the rest are read and confirmed.
///
/// Any other query (a NOT, a term the index cannot answer exactly, a
/// character whose postings are not kept) is confirmed on every candidate's
/// text.
struct VariantMarks {
    enum Plan {
        /// Answer with the index, less these sections.
        case rejecting(Set<Int64>)
        /// Answer with the index, within these sections.
        case restricting(Set<Int64>)
        /// Confirm only these candidates.
        case confirming(Set<Int64>)
    }

    /// The plan for `expression` under `folding`; nil when the query must
    /// be confirmed on every candidate. `indexCompiled` is the expression
    /// compiled for the index's folding.
    static func plan(_ db: Database, expression: QueryExpression, indexCompiled: CompiledMatch, folding: Folding,
                     inHeading: Bool, filters: Filters) throws -> Plan? {
        guard folding == .exact else { return nil }
        let terms = expression.allTerms
        let traditional = terms.flatMap { term -> [(form: UInt32, simplified: UInt32)] in
            zip(Folding.exact.scalars(term), Folding.index.scalars(term)).compactMap { $0 != $1 ? ($0, $1) : nil }
        }
        let characters = Set(terms.flatMap { Folding.index.scalars($0) }.filter(CharacterClass.isHan))
        guard characters.allSatisfy(CharacterPostings.isKept) else { return nil }
        let column = { (c: Counts) in inHeading ? c.heading : c.heading + c.text }
        let unfolded = QueryEvaluator(expression: expression, folding: .exact, inHeading: inHeading)

        if traditional.isEmpty {
            guard indexCompiled.exact, !expression.hasNegation else { return nil }
            var marked = Set<Int64>()
            for c in characters { marked.formUnion(try postings(db, .variants, of: c).keys) }
            guard !marked.isEmpty else { return .rejecting([]) }
            var rejected = Set<Int64>()
            if let c = indexCompiled.singleCharacter {
                // One character: a marked section the index matches fails
                // unfolded exactly when it holds only traditional forms of it.
                let all = try postings(db, .characters, of: c, in: marked)
                let variants = try postings(db, .variants, of: c, in: marked)
                for (id, counts) in all where column(counts) > 0 && column(counts - (variants[id] ?? .zero)) == 0 {
                    rejected.insert(id)
                }
                return .rejecting(try passing(filters, rejected, db))
            }
            // Else the marked sections the index matches…
            guard let fts = indexCompiled.fts else { return nil }
            var matching = Set(try Int64.fetchAll(db, sql: "SELECT rowid FROM section_fts WHERE section_fts MATCH ?",
                                                  arguments: [fts])).intersection(marked)
            // …less those that lack one of the characters themselves (only
            // traditional forms of it), rejected unread; the rest are read.
            for c in expression.requiredCharacters ?? [] where !matching.isEmpty {
                for (id, own) in try ownCounts(db, of: c, in: matching) where column(own) == 0 {
                    rejected.insert(id)
                    matching.remove(id)
                }
            }
            try forEachSection(db, matching.sorted(), inHeading: inHeading) { id, text, heading in
                if !unfolded.matches(text: text, heading: heading ?? []) { rejected.insert(id) }
            }
            return .rejecting(try passing(filters, rejected, db))
        }
        guard case .term = expression else { return nil }
        // Only sections holding a traditional form of each of the term's
        // traditional characters, and each of its other characters itself.
        var candidates: Set<Int64>?
        for c in Set(traditional.map(\.simplified)) {
            let s = Set(try postings(db, .variants, of: c).filter { column($0.value) > 0 }.keys)
            candidates = candidates.map { $0.intersection(s) } ?? s
        }
        var kept = candidates ?? []
        for c in characters.subtracting(traditional.map(\.simplified)) where !kept.isEmpty {
            for (id, own) in try ownCounts(db, of: c, in: kept) where column(own) == 0 { kept.remove(id) }
        }
        // One character, the only traditional form of its simplified one:
        // the sections holding a traditional form hold it.
        if traditional.count == 1, Folding.exact.scalars(terms[0]).count == 1,
           Folding.traditionalForms(of: traditional[0].simplified) == [traditional[0].form] {
            return .restricting(kept)
        }
        // Where every folded occurrence of each of the term's characters is
        // the form the term has, the index's matches are the answer: a
        // section holding none of a simplified character's traditional
        // forms, and none of a traditional character's simplified one while
        // it is that character's only traditional form (`經濟` in a section of
        // classical poetry, which holds no `经` and no `济`). Only the others
        // that FTS5 matches are read.
        guard let fts = indexCompiled.fts, !kept.isEmpty else { return .confirming(kept) }
        let forms = Dictionary(zip(Folding.index.scalars(terms[0]), Folding.exact.scalars(terms[0])).map { ($0, [$1]) },
                               uniquingKeysWith: { Array(Set($0 + $1)) })
        var read = Set(try Int64.fetchAll(db, sql: "SELECT rowid FROM section_fts WHERE section_fts MATCH ?",
                                          arguments: [fts])).intersection(kept)
        var clean = read
        for (simplified, used) in forms where CharacterPostings.isKept(simplified) && !clean.isEmpty {
            if used == [simplified] {
                for (id, counts) in try postings(db, .variants, of: simplified, in: clean) where column(counts) > 0 {
                    clean.remove(id)
                }
            } else if used.count == 1, Folding.traditionalForms(of: simplified) == used {
                for (id, own) in try ownCounts(db, of: simplified, in: clean) where column(own) > 0 { clean.remove(id) }
            } else {
                clean = []
            }
        }
        read.subtract(clean)
        try forEachSection(db, read.sorted(), inHeading: inHeading) { id, text, heading in
            if unfolded.matches(text: text, heading: heading ?? []) { clean.insert(id) }
        }
        return .restricting(clean)
    }

    /// Of the sections `ids`, how often each holds `character` itself, not
    /// a traditional form of it: its postings less its variant postings.
    /// Sections that do not hold it at all are listed with zero counts.
    private static func ownCounts(_ db: Database, of character: UInt32, in ids: Set<Int64>) throws -> [Int64: Counts] {
        let all = try postings(db, .characters, of: character, in: ids)
        let variants = try postings(db, .variants, of: character, in: ids)
        var result: [Int64: Counts] = [:]
        for id in ids { result[id] = (all[id] ?? .zero) - (variants[id] ?? .zero) }
        return result
    }

    /// A section's occurrences of a character, in heading and text.
    struct Counts {
        var heading: Int
        var text: Int
        static let zero = Counts(heading: 0, text: 0)
        static func + (a: Counts, b: Counts) -> Counts { Counts(heading: a.heading + b.heading, text: a.text + b.text) }
        static func - (a: Counts, b: Counts) -> Counts { Counts(heading: a.heading - b.heading, text: a.text - b.text) }
        static func += (a: inout Counts, b: Counts) { a = a + b }
    }

    /// The sections listed under `character` in one posting table (of
    /// `ids` only, if given: only their blocks are read), stale ones (of
    /// removed sections) included.
    static func postings(_ db: Database, _ table: CharacterPostings.Table, of character: UInt32,
                         in ids: Set<Int64>? = nil) throws -> [Int64: Counts] {
        var result: [Int64: Counts] = [:]
        let blocks: [Int64]
        if let ids {
            blocks = Set(ids.map(CharacterPostings.block(of:))).sorted()
        } else {
            guard let lastKey = try Int64.fetchOne(db, sql: "SELECT max(key) FROM \(table.postings)") else { return result }
            blocks = Array(0...CharacterPostings.block(ofKey: lastKey))
        }
        let statement = try db.cachedStatement(sql: "SELECT postings FROM \(table.postings) WHERE key = ?")
        for block in blocks {
            let key = CharacterPostings.key(block: block, character: UInt16(character))
            guard let blob = try Data.fetchOne(statement, arguments: [key]) else { continue }
            blob.withUnsafeBytes {
                CharacterPostings.decode($0, block: block) { id, heading, text in
                    if ids?.contains(id) ?? true { result[id] = Counts(heading: Int(heading), text: Int(text)) }
                }
            }
        }
        return result
    }

    /// Calls `body(id, text, heading)` with each live section of `ids`, its
    /// text (and heading if `inHeading`) folded with `Folding.exact`.
    private static func forEachSection(_ db: Database, _ ids: [Int64], inHeading: Bool,
                                       _ body: (Int64, inout [UInt32], inout [UInt32]?) -> Void) throws {
        let fetch = try db.cachedStatement(sql: "SELECT body FROM section_store WHERE id = ?")
        var text: [UInt32] = []
        var heading: [UInt32]? = inHeading ? [] : nil
        for id in ids {
            guard let blob = try Data.fetchOne(fetch, arguments: [id]) else { continue }
            guard blob.withUnsafeBytes({ StoredSection.decode($0, heading: &heading, text: &text) }) else {
                throw StoredSection.damaged
            }
            Folding.exact.fold(&text)
            if heading != nil { Folding.exact.fold(&heading!) }
            body(id, &text, &heading)
        }
    }

    /// The live sections of `ids` whose report passes `filters`.
    private static func passing(_ filters: Filters, _ ids: Set<Int64>, _ db: Database) throws -> Set<Int64> {
        guard !ids.isEmpty else { return ids }
        let report = filters.sqlConditions()
        let sql = "SELECT s.id FROM section_store s JOIN report r ON r.id = s.report_id WHERE s.id IN (%@)"
            + report.conditions.map { " AND " + $0 }.joined()
        return Set(try Row.fetchAll(db, sql: sql, in: Array(ids), arguments: report.arguments).map { $0[0] as Int64 })
    }
}

extension QueryExpression {
    /// Every term, under a NOT or not.
    var allTerms: [String] {
        switch self {
        case .term(let t): return [t]
        case .and(let xs), .or(let xs): return xs.flatMap(\.allTerms)
        case .not(let x): return x.allTerms
        case .near(let a, let b, _): return [a, b]
        }
    }

    /// The Han characters (folded as the index folds) that every section
    /// it matches must hold; nil when no character is required of all
    /// (an OR).
    var requiredCharacters: Set<UInt32>? {
        func han(_ t: String) -> Set<UInt32> { Set(Folding.index.scalars(t).filter(CharacterClass.isHan)) }
        switch self {
        case .term(let t): return han(t)
        case .near(let a, let b, _): return han(a).union(han(b))
        case .and(let xs):
            return xs.reduce(into: Set<UInt32>()) { all, x in
                if case .not = x { return }
                all.formUnion(x.requiredCharacters ?? [])
            }
        case .or, .not: return nil
        }
    }

    var hasNegation: Bool {
        switch self {
        case .term, .near: return false
        case .and(let xs), .or(let xs): return xs.contains(where: \.hasNegation)
        case .not: return true
        }
    }
}
