import ArgumentParser
import RSearchEngine
import RSearchOutput
import RSearchQuery

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search the index (the default command).",
        discussion: "Example: rsearch search 意识形态 year:2022 --sort year")
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query.", valueName: "query")) var words: [String] = []
    @Option(name: .long, parsing: .unconditional, help: "Hits to show (default 10).") var limit: Int?
    @Flag(name: .long, help: "Show every hit.") var all = false
    @Option(name: .long, parsing: .unconditional, help: "Skip this many hits first (for paging).") var offset = 0
    @Option(name: .long, help: "Order: score (relevance), year (newest first), path.") var sort: SearchOptions.SortOrder = .score
    @Option(name: .long, parsing: .unconditional, help: "Characters of context before the first match in a snippet.") var context = SearchOptions().context
    @Flag(name: [.customShort("l"), .customLong("files-with-matches")], help: "Print only the paths of reports with a match.")
    var filesWithMatches = false
    @Flag(name: [.customShort("c"), .customLong("count")], help: "Print each matching report with its number of matches.")
    var count = false
    @Flag(name: .customLong("no-fold"), help: "Do not fold traditional and simplified characters together.") var noFold = false
    @Flag(name: .customLong("all-copies"), help: "Show each copy of a passage as its own hit (by default, sections whose text is the same are one hit that lists the others).")
    var allCopies = false
    @OptionGroup var filterOptions: FilterOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func validate() throws {
        if let unknown = words.first(where: { $0.hasPrefix("--") && $0.count > 2 }) {
            throw ValidationError("unknown option '\(unknown)' (to search for it, quote it: '\"\(unknown)\"')")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be a whole number of at least 1 (not \(limit))") }
        if offset < 0 { throw ValidationError("--offset must be 0 or more (not \(offset))") }
        if context < 0 { throw ValidationError("--context must be 0 or more characters (not \(context))") }
        if filesWithMatches && count { throw ValidationError("-l and -c cannot be combined: -l lists the reports, -c counts in each") }
        if all && limit != nil { throw ValidationError("--all and --limit cannot be combined: --all shows every hit") }
    }

    func run() throws {
        var options = SearchOptions(limit: all || filesWithMatches || count ? nil : (limit ?? 10), offset: offset, sort: sort,
                                    context: context, folding: noFold ? .exact : .index, filters: try filterOptions.filters(),
                                    detail: filesWithMatches ? .reports : count ? .counts : .full)
        options.allCopies = allCopies
        try Searching.run(words, options: options, view: filesWithMatches ? .files : count ? .counts : .hits,
                          output: outputOptions.target, engine: locations.engine)
    }
}

/// A search as asked for on the command line, whether ArgumentParser parsed
/// it (`SearchCommand`) or it was a plain `rsearch WORDS…` (`plain(_:)`).
enum Searching {
    /// The subcommands' names and `help`, spelled out: asking ArgumentParser
    /// costs what `plain` saves (a test checks them against the configuration).
    static let commandNames: Set<String> = ["search", "index", "list", "show", "stats", "init", "export", "serve", "help"]

    /// The words of `rsearch WORDS…` with no option and no subcommand, the
    /// commonest call, run without ArgumentParser, whose argument tables
    /// (built by reflection over every subcommand) cost more than most
    /// searches. A test checks that both give the same output.
    static func plain(_ arguments: [String]) -> [String]? {
        guard let first = arguments.first, !commandNames.contains(first), !arguments.contains(where: { $0.hasPrefix("-") })
        else { return nil }
        return arguments
    }

    static func run(_ words: [String], options: SearchOptions = SearchOptions(), view: SearchPrinter.View = .hits,
                    output: OutputTarget = OutputTarget(), engine: Engine = Engine(workspace: Workspace())) throws {
        let text = words.filter { $0 != "--" }.joined(separator: " ")
        let response = try engine.search(SearchRequest(query: text, options: options), observer: BuildObserver(
            willBuild: { Log.note("no index yet: building it from \($0)") }, progress: ProgressDisplay.start()))
        ProgressDisplay.finish()
        if let built = response.firstBuild { Log.note(BuildSummaryText.describe(built)) }
        if let staleness = response.staleness { Log.note(Messages.describe(staleness)) }
        try SearchPrinter.write(response.result, view: view, to: output, more: "use --limit N or --all")
        guard response.result.total == 0 else { return }
        if view == .hits && output.format == .table { Log.note(TerminalPrinter(color: false).summary(response.result)) }
        throw ExitCode(ExitStatus.noMatch)
    }
}
