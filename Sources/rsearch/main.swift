import ArgumentParser
import Foundation
import RSearchKit

/// Exit statuses, as grep and ripgrep use them.
enum Status {
    static let matched: Int32 = 0
    static let noMatch: Int32 = 1
    static let error: Int32 = 2
}

struct Locations: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of reports (default: $RSEARCH_CORPUS, else ./corpus).", valueName: "DIR"))
    var corpus: String?

    @Option(name: .long, help: ArgumentHelp("Index file (default: $RSEARCH_INDEX, else ./index/rsearch.sqlite).", valueName: "PATH"))
    var index: String?

    var workspace: Workspace { Workspace(corpus: corpus, index: index) }
}

struct RSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rsearch",
        abstract: "Search Chinese reports: every place a phrase occurs, in which report, under which heading.",
        discussion: """
            Examples:
              rsearch 意识形态                    search (builds the index on first use)
              rsearch 意识形态 党建 --limit 20     sections with both terms
              rsearch "意识形态 OR 舆情" year:2022..2024 kind:报告
              rsearch '"两个确立"' --json > hits.json
              rsearch index                       bring the index up to date with the corpus
              rsearch index --rebuild             rebuild it from scratch

            Query language: terms separated by spaces must all occur; OR, NOT or -term, (…),
            "…" for a literal term with spaces, A NEAR/20 B, and the filters year: kind: title:
            author: unit: in:heading. Matching is exact substring matching on normalised text
            (full-width = half-width, case, traditional = simplified; --no-fold keeps variants apart).
            To search for the word "index", write: rsearch search index.

            Exit status: 0 if something matched, 1 if nothing did, 2 on error.
            """,
        subcommands: [SearchCommand.self, IndexCommand.self],
        defaultSubcommand: SearchCommand.self
    )
}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search the index (the default command).")

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query.", valueName: "query"))
    var words: [String] = []

    @Option(name: .long, help: "Hits to show (default 10).")
    var limit: Int?

    @Flag(name: .long, help: "Show every hit.")
    var all = false

    @Flag(name: .long, help: "Print one JSON object (schema in the README).")
    var json = false

    @Flag(name: .customLong("no-fold"), help: "Do not fold traditional and simplified characters together.")
    var noFold = false

    @Option(name: .long, help: ArgumentHelp("Only reports of this year or range (2018..2022).", valueName: "YEAR"))
    var year: String?

    @Option(name: .long, help: "Only reports whose kind contains this (述职报告, 通知 …).")
    var kind: [String] = []

    @Option(name: .long, help: "Only reports whose title contains this.")
    var title: [String] = []

    @Option(name: .long, help: "Only reports whose author contains this.")
    var author: [String] = []

    @Option(name: .long, help: "Only reports whose unit contains this.")
    var unit: [String] = []

    @OptionGroup var locations: Locations

    func validate() throws {
        if let unknown = words.first(where: { $0.hasPrefix("--") && $0.count > 2 }) {
            throw ValidationError("unknown option '\(unknown)' (to search for it, quote it: '\"\(unknown)\"')")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let workspace = locations.workspace
        let text = words.filter { $0 != "--" }.joined(separator: " ")
        let query = try QueryParser().parse(text)  // report query errors before any indexing

        try ensureIndex(workspace)
        var options = SearchOptions()
        options.limit = all ? nil : (limit ?? 10)
        options.folding = noFold ? .exact : .index
        if let year {
            guard let parsed = try? QueryParser().parse("year:\(year)").filters.years else {
                throw RSearchError.querySyntax(message: "--year takes a year or a range such as 2018..2022, not '\(year)'", column: 1)
            }
            options.filters.years = parsed
        }
        options.filters.kind = kind
        options.filters.title = title
        options.filters.author = author
        options.filters.unit = unit
        var merged = query
        merged.filters.merge(options.filters)

        let result = try Searcher(index: workspace.open()).search(merged, text: text, options: options)
        if json {
            print(SearchJSON.result(result).serialized())
        } else {
            let terminal = isatty(STDOUT_FILENO) == 1
            let color = terminal && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            let printer = TerminalPrinter(color: color, width: Terminal.columns())
            FileHandle.standardOutput.write(Data(printer.render(result).utf8))
            if terminal || result.total == 0 {
                FileHandle.standardError.write(Data((printer.summary(result) + "\n").utf8))
            }
        }
        if result.total == 0 { throw ExitCode(Status.noMatch) }
    }

    /// A search with no index builds it; with a stale one it says so.
    func ensureIndex(_ workspace: Workspace) throws {
        switch try workspace.freshness() {
        case .missing:
            Log.note("no index yet: building it from \(workspace.corpus.root.path)")
            let summary = try workspace.rebuild()
            Log.note(IndexCommand.describe(summary))
        case .stale:
            Log.note("the corpus has changed since the index was built; run `rsearch index` to update it")
        case .otherCorpus(let root):
            Log.note("the index was built from \(root), not \(workspace.corpus.root.path); run `rsearch index --rebuild`")
        case .corpusMissing:
            Log.note("corpus folder \(workspace.corpus.root.path) not found; searching the index as it is")
        case .current:
            break
        }
    }
}

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Bring the index up to date with the corpus.")

    @Flag(name: .long, help: "Rebuild the index from scratch.")
    var rebuild = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup var locations: Locations

    func run() throws {
        let workspace = locations.workspace
        let summary = rebuild ? try workspace.rebuild() : try workspace.update()
        guard !quiet else { return }
        Log.note(summary.changed ? Self.describe(summary) : "index is up to date (\(workspace.indexPath.path))")
    }

    static func describe(_ s: BuildSummary) -> String {
        var line: String
        if s.rebuilt {
            line = "indexed \(s.reports) reports, \(s.sections) sections"
        } else {
            line = "updated: \(s.added) added, \(s.updated) changed, \(s.removed) removed, \(s.renamed) renamed, "
                + "\(s.unchanged) unchanged; \(s.reports) reports"
        }
        line += String(format: ", %.1f MB read in %.1f s", Double(s.bytes) / 1_000_000, s.seconds)
        if !s.skipped.isEmpty {
            line += "; skipped \(s.skipped.count):"
            for (path, reason) in s.skipped { line += "\n  skipped \(path): \(reason)" }
        }
        return line
    }
}

enum Log {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("rsearch: " + message + "\n").utf8))
    }
}

enum Terminal {
    static func columns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }
}

// ArgumentParser's own exit codes (64 for a usage error) are mapped to
// grep's: 2 for every error.
do {
    var command = try RSearch.parseAsRoot()
    try command.run()
} catch let error as ExitCode {
    exit(error.rawValue)
} catch let error as RSearchError {
    Log.note(error.description)
    exit(Status.error)
} catch {
    let code = RSearch.exitCode(for: error)
    if code == .success {
        print(RSearch.fullMessage(for: error))
        exit(0)
    }
    Log.note(RSearch.message(for: error))
    exit(Status.error)
}
