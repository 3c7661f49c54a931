import GRDB
import RSearchText
import RSearchQuery

/// The reports a one-term query names: `行政处罚法` names the report titled
/// `中华人民共和国行政处罚法`, `优化营商环境条例` the one of that title. A search
/// by score shows the best section of each first (`Searcher.search`), so
/// that the document a reader asks for by name leads, not the many that
/// cite it (issue 18).
///
/// A title names a term when it holds the term and the term is at least
/// half of it, both folded, spaces set aside, and a title's leading
/// `中华人民共和国` too, which laws are cited without; a term of one
/// character names nothing. `经济` names no
/// `经济特区…条例`; `乡村振兴` names the `乡村振兴促进法`.
enum NamedReports {
    static let citedWithout = "中华人民共和国"

    /// The reports that pass `filters` and whose title names `term`, the
    /// closest first (the shorter title), then by path; found
    /// through `report_title_fts`, so that no title is read but those that
    /// hold the term's bigrams, and none returned that is too long to name it.
    static func find(_ db: Database, term: String, filters: Filters) throws -> [(id: Int64, path: String, title: String)] {
        let wanted = Folding.index.string(term).withoutSpaces
        // One character names nothing (`法` is not asking for `宪法`), and
        // its pass would rank a second time nearly all it ranks once.
        guard wanted.unicodeScalars.count >= 2,
              let fts = MatchCompiler(folding: .index, inHeading: false).compile(.term(term)).fts else { return [] }
        let report = filters.sqlConditions()
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT r.path, r.title_n, r.id, r.title FROM report_title_fts JOIN report r ON r.id = report_title_fts.rowid
            WHERE report_title_fts MATCH ?
              AND length(replace(replace(r.title_n, ' ', ''), '\u{3000}', '')) <= ? + \(citedWithout.count)\(report.conditions.map { " AND " + $0 }.joined())
            """), arguments: StatementArguments([fts, 2 * wanted.count] + report.arguments))
        var named: [(report: (id: Int64, path: String, title: String), length: Int)] = []
        for row in rows {
            var title = (row[1] as String).withoutSpaces
            if title.hasPrefix(citedWithout) { title.removeFirst(citedWithout.count) }
            guard title.contains(wanted), title.count <= 2 * wanted.count else { continue }
            named.append(((row[2], row[0], row[3]), title.count))
        }
        return named.sorted { ($0.length, $0.report.path) < ($1.length, $1.report.path) }.map(\.report)
    }
}
