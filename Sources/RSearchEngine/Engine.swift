import Foundation
import RSearchDocuments
import RSearchQuery
import RSearchStore
import RSearchText

/// The one door to rsearch for a program: the command line calls it, and
/// so will the web server. It finds the corpus and the index (`Workspace`),
/// keeps them in step, and answers with values; it prints nothing and
/// words nothing (errors are `CorpusError`, `QueryError`, `IndexError`,
/// `EngineError`).
public struct Engine: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Sets rsearch up for a folder of reports: writes the config file that
    /// later engines find (`Workspace.initialize`). The index is not built.
    public static func initialize(corpus folder: String) throws -> Engine {
        Engine(workspace: try Workspace.initialize(corpus: folder))
    }

    // MARK: Searching

    /// Runs a search. The query is parsed first, so a bad query fails before
    /// anything is built. With no index yet, one is built first (`observer`
    /// hears of it). While the search runs, a second thread checks whether
    /// the corpus changed since the index was written (a stat per folder);
    /// the reports of the hits are checked one by one afterwards.
    public func search(_ request: SearchRequest, observer: BuildObserver = BuildObserver()) throws -> SearchResponse {
        let query = try Self.query(request)
        var response = SearchResponse(result: SearchResult(query: request.query, total: 0, hits: []))
        let check: FreshnessCheck
        if try workspace.freshness(walking: false) == .missing {
            observer.willBuild?(workspace.corpus.root.path)
            response.firstBuild = try workspace.rebuild(progress: observer.progress)
            check = FreshnessCheck(current: workspace)
        } else {
            check = FreshnessCheck(checking: workspace)
        }
        let index = try workspace.open()
        response.result = try Searcher(index: index).search(query, options: request.options)
        response.result.query = request.query
        response.staleness = check.outcome(shown: response.result.hits.map(\.report.path), in: index)
        return response
    }

    /// A search on an index kept open (`IndexPool`), for a server: the
    /// same result as `search(_:observer:)` gives, without building a
    /// missing index and without checking the corpus (which a server does
    /// apart from its requests).
    public func search(_ request: SearchRequest, in pool: IndexPool) throws -> SearchResult {
        let query = try Self.query(request)
        var result = try pool.withIndex { try Searcher(index: $0).search(query, options: request.options) }
        result.query = request.query
        return result
    }

    /// The years, kinds and units of every section the request's query
    /// matches (its filters applied; its paging and sort ignored).
    public func facets(_ request: SearchRequest, in pool: IndexPool) throws -> Facets {
        let query = try Self.query(request)
        var options = request.options
        options.limit = nil
        options.offset = 0
        options.sort = .path
        options.allCopies = true
        // Bare hits: report and position, no text read, folded or marked.
        options.textDeferred = true
        return try pool.withIndex { index in
            let result = try Searcher(index: index).search(query, options: options)
            return Facets(reports: try Catalog(index: index).tally(sections: result.hits.map(\.sectionID)), total: result.total)
        }
    }

    /// The request's query, parsed, with the filters given beside it.
    static func query(_ request: SearchRequest) throws -> Query {
        var query = try QueryParser().parse(request.query)
        query.filters.merge(request.options.filters)
        return query
    }

    // MARK: Browsing

    /// The reports in the index that pass the filters, newest first, then by path.
    public func reports(_ filters: Filters = Filters()) throws -> [ReportSummary] {
        try catalog().reports(filters)
    }

    /// The report a user names: its path in the corpus, or a unique ending of it.
    public func report(named name: String) throws -> ReportSummary {
        try catalog().report(named: name)
    }

    /// A report named as `report(named:)` takes it, optionally followed by
    /// `:LINE`: the report and the line, if one was given.
    public func locate(_ reference: String) throws -> (report: ReportSummary, line: Int?) {
        if let colon = reference.lastIndex(of: ":"), let line = Int(reference[reference.index(after: colon)...]) {
            return (try report(named: String(reference[..<colon])), line)
        }
        return (try report(named: reference), nil)
    }

    public func outline(of report: ReportSummary) throws -> [OutlineEntry] {
        try catalog().outline(of: report)
    }

    /// One section in full: by its 1-based number in the outline, or the
    /// section holding a 1-based line of the file.
    /// A line beyond the end of the file (counted in the corpus's copy of a
    /// file in UTF-8 or GB18030, where a newline byte is always one, else in
    /// the index's text) is no section's.
    public func section(of report: ReportSummary, number: Int? = nil, line: Int? = nil) throws -> SectionInfo {
        let section = try catalog().section(of: report, number: number, line: line)
        if let line {
            let file = workspace.corpus.root.appendingPathComponent(report.path)
            let last: Int
            let newlineBytes = TextDecoding.Encoding(rawValue: report.encoding).map { $0 != .utf16LE && $0 != .utf16BE } ?? false
            if newlineBytes, let bytes = try? Data(contentsOf: file, options: .mappedIfSafe) {
                last = bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } + (bytes.last.map { $0 == 0x0A ? 0 : 1 } ?? 0)
            } else {
                last = section.line + section.text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            }
            if line > last { throw IndexError.noSuchLine(report: report.path, line: line) }
        }
        return section
    }

    /// The file a report was read from, for a reader to download: a plain
    /// file whose real path (links resolved) is inside the corpus's real
    /// path, or `EngineError.originalUnavailable`. The report is one the
    /// index holds, so no name a caller gives reaches any other file.
    public func originalFile(of report: ReportSummary) throws -> URL {
        let root = workspace.corpus.root.resolvingSymlinksInPath().path
        let file = workspace.corpus.root.appendingPathComponent(report.path).resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard file.path.hasPrefix(root.hasSuffix("/") ? root : root + "/"),
              FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue
        else { throw EngineError.originalUnavailable(path: report.path) }
        return file
    }

    /// Whether the corpus changed since the index was written, as a search
    /// finds it (a stat per folder), without a search: for a server's page.
    public func staleness() throws -> Staleness? {
        Staleness(try workspace.freshness(), corpus: workspace.corpus.root.path)
    }

    /// A report's sections in full, in order, each with every occurrence of
    /// the query's positive terms in its text (scalar offsets, as a hit's
    /// `matches`), when a query is given: what a preview shows and steps
    /// through. The query's filters do not apply; the report is given.
    public func preview(of report: ReportSummary, query: String?, folding: Folding = .index) throws
        -> [(section: SectionInfo, matches: [Range<Int>])] {
        let evaluator = try query.map { text -> QueryEvaluator in
            let parsed = try QueryParser().parse(text)
            return QueryEvaluator(expression: parsed.expression, folding: folding, inHeading: false)
        }
        return try catalog().sections(of: report).map { section in
            guard let evaluator else { return (section, []) }
            var scalars = section.text.unicodeScalars.map(\.value)
            folding.fold(&scalars)
            return (section, evaluator.highlights(in: scalars))
        }
    }

    /// Opens the index and checks its format, reading nothing else: for a
    /// caller that must know the index is usable before it writes anything.
    public func checkIndex() throws {
        _ = try workspace.open()
    }

    /// Figures about the index and where it is.
    public func status() throws -> IndexStatus {
        IndexStatus(totals: try catalog().totals(), index: workspace.indexPath.path)
    }

    /// Every section with its report, in report path and position order
    /// (with its 1-based position), streamed: for exports of any size.
    public func forEachSection(_ body: (ReportInfo, SectionInfo, Int) throws -> Void) throws {
        try catalog().forEachSection(body)
    }

    // MARK: Writing

    /// Brings the index up to date with the corpus, writing only what
    /// changed (nothing, when nothing did); builds it when there is none.
    public func update(progress: (@Sendable (BuildProgress) -> Void)? = nil) throws -> BuildSummary {
        try workspace.update(progress: progress)
    }

    /// Rebuilds the index from scratch.
    public func rebuild(progress: (@Sendable (BuildProgress) -> Void)? = nil) throws -> BuildSummary {
        try workspace.rebuild(progress: progress)
    }

    private func catalog() throws -> Catalog {
        Catalog(index: try workspace.open())
    }
}
