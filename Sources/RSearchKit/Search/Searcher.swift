import GRDB

public struct SearchOptions: Sendable {
    /// Hits to return; nil for all.
    public var limit: Int? = 10
    public var offset = 0
    /// `Folding.exact` for `--no-fold`: traditional and simplified differ.
    public var folding: Folding = .index
    /// Characters of context before the first match in a snippet.
    public var context = 30
    /// Filters given as options, merged with those in the query text.
    public var filters = Filters()

    public init() {}
}

public struct ReportInfo: Sendable, Equatable {
    public var path: String
    public var metadata: ReportMetadata
}

public struct SectionInfo: Sendable, Equatable {
    public var path: [String]
    public var heading: String
    public var line: Int
    public var text: String
}

public struct Hit: Sendable {
    public var rank: Int
    /// Higher is better (bm25, sign flipped).
    public var score: Double
    public var report: ReportInfo
    public var section: SectionInfo
    /// Scalar offsets into `section.text` of every occurrence of every
    /// positive query term.
    public var matches: [Range<Int>]
    public var snippet: Snippet
}

public struct SearchResult: Sendable {
    public var query: String
    /// Every matching section, not only those returned.
    public var total: Int
    public var hits: [Hit]
}

/// Runs a query against an index: FTS5 narrows, the text confirms.
///
/// Ranking is bm25 with a heading match weighted above a body match; ties go
/// to the newer report, then to path and position, so output is stable.
public struct Searcher: Sendable {
    public let index: IndexDatabase

    /// bm25 weights of the `heading` and `text` columns.
    static let headingWeight = 4.0
    static let textWeight = 1.0

    public init(index: IndexDatabase) {
        self.index = index
    }

    public func search(_ text: String, options: SearchOptions = SearchOptions()) throws -> SearchResult {
        var query = try QueryParser().parse(text)
        query.filters.merge(options.filters)
        return try search(query, text: text, options: options)
    }

    public func search(_ query: Query, text: String, options: SearchOptions) throws -> SearchResult {
        let compiler = MatchCompiler(folding: options.folding, inHeading: query.filters.inHeading)
        let compiled = query.expression.map(compiler.compile) ?? CompiledMatch(fts: nil, exact: false)
        let evaluator = QueryEvaluator(expression: query.expression, folding: options.folding,
                                       inHeading: query.filters.inHeading)
        let sql = SQLQuery(compiled: compiled, filters: query.filters)
        let exact = compiled.exact && query.expression != nil

        do {
            return try run(sql: sql, exact: exact, evaluator: evaluator, text: text, options: options)
        } catch let error as DatabaseError {
            // A damaged file may open fine and fail only when a page is read.
            throw RSearchError.indexUnreadable(path: index.path.path, reason: IndexDatabase.reason(error))
        }
    }

    private func run(sql: SQLQuery, exact: Bool, evaluator: QueryEvaluator, text: String,
                     options: SearchOptions) throws -> SearchResult {
        var sql = sql
        return try index.queue.read { db in
            var hits: [Hit] = []
            var total = 0
            let wanted = options.limit.map { options.offset + $0 }

            func makeHit(_ row: Row, rank: Int, folded: [UInt32]?) -> Hit {
                let text: String = row["text"]
                let scalars = Array(text.unicodeScalars)
                let foldedText = folded ?? scalars.map { options.folding.fold($0.value) }
                let matches = evaluator.highlights(in: foldedText)
                let metadata = ReportMetadata(
                    title: row["title"], year: row["year"], date: row["date"], kind: row["kind"],
                    author: row["author"], unit: row["unit"])
                return Hit(
                    rank: rank, score: -(row["score"] as Double? ?? 0),
                    report: ReportInfo(path: row["rpath"], metadata: metadata),
                    section: SectionInfo(path: SectionPath.decode(row["spath"]), heading: row["heading"],
                                         line: row["line"], text: text),
                    matches: matches,
                    snippet: Snippet(scalars: scalars, matches: matches, context: options.context))
            }

            if exact {
                // FTS5 answers exactly: count in SQL, fetch only the page.
                total = try Int.fetchOne(db, sql: sql.count, arguments: sql.arguments) ?? 0
                sql.limit = options.limit
                sql.offset = options.offset
                let rows = try Row.fetchCursor(db, sql: sql.select, arguments: sql.arguments)
                var rank = options.offset
                while let row = try rows.next() {
                    rank += 1
                    hits.append(makeHit(row, rank: rank, folded: nil))
                }
            } else {
                // Confirm every candidate on its text; count the confirmed.
                let rows = try Row.fetchCursor(db, sql: sql.select, arguments: sql.arguments)
                while let row = try rows.next() {
                    let text: String = row["text"]
                    let folded = text.unicodeScalars.map { options.folding.fold($0.value) }
                    let heading: String = row["heading"]
                    guard evaluator.matches(text: folded, heading: options.folding.scalars(heading)) else { continue }
                    total += 1
                    if total > options.offset, wanted.map({ total <= $0 }) ?? true {
                        hits.append(makeHit(row, rank: total, folded: folded))
                    }
                }
            }
            return SearchResult(query: text, total: total, hits: hits)
        }
    }
}

extension Filters {
    public mutating func merge(_ other: Filters) {
        if let y = other.years { years = y }
        kind += other.kind
        title += other.title
        author += other.author
        unit += other.unit
        inHeading = inHeading || other.inHeading
    }
}

/// The SQL of one search. User text reaches SQLite only as bound arguments:
/// the MATCH expression is built from quoted tokens (`MatchCompiler`), and
/// filter values are compared with `instr`.
struct SQLQuery {
    var compiled: CompiledMatch
    var filters: Filters
    var limit: Int?
    var offset = 0

    init(compiled: CompiledMatch, filters: Filters) {
        self.compiled = compiled
        self.filters = filters
    }

    private var whereClause: (sql: String, arguments: [DatabaseValueConvertible?]) {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let fts = compiled.fts {
            conditions.append("section_fts MATCH ?")
            arguments.append(fts)
        }
        if let years = filters.years {
            conditions.append("r.year BETWEEN ? AND ?")
            arguments += [years.lowerBound, years.upperBound]
        }
        for (column, values) in [("kind_n", filters.kind), ("title_n", filters.title),
                                 ("author_n", filters.author), ("unit_n", filters.unit)] {
            for v in values {
                conditions.append("instr(r.\(column), ?) > 0")
                arguments.append(Folding.index.string(v))
            }
        }
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

    var count: String { "SELECT count(*) FROM \(from) \(whereClause.sql)" }

    var select: String {
        let score = compiled.fts == nil
            ? "0.0"
            : "bm25(section_fts, \(Searcher.headingWeight), \(Searcher.textWeight))"
        var sql = """
            SELECT s.path AS spath, s.heading, s.line, s.text, r.path AS rpath, r.title, r.year, r.date, r.kind,
                   r.author, r.unit, \(score) AS score
            FROM \(from) \(whereClause.sql)
            ORDER BY score, r.year DESC, r.path, s.ord
            """
        if let limit { sql += " LIMIT \(limit) OFFSET \(offset)" }
        return sql
    }
}
