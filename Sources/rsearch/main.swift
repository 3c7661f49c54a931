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

enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (for people), json, jsonl (one hit per line), csv.")
    var format: Format = .table

    @Flag(help: "Short for --format json.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Write the results to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @Flag(help: "With csv: start with the byte-order mark Excel needs to read UTF-8.")
    var excel = false

    @Option(help: "Colour: auto (only on a terminal, and not if NO_COLOR is set), always, never.")
    var color: ColorChoice = .auto

    var effectiveFormat: Format { json ? .json : format }

    func validate() throws {
        if excel && effectiveFormat != .csv { throw ValidationError("--excel goes with --format csv") }
    }

    var settings: OutputSettings {
        OutputSettings(format: effectiveFormat, output: output, excel: excel, color: color)
    }

    var toTerminal: Bool { settings.toTerminal }
    var useColor: Bool { settings.useColor }
    func emit(_ text: String) throws { try settings.emit(text) }
}

/// Where and how results are written, as `OutputOptions` parsed them (or
/// their defaults, for a plain `rsearch QUERY`).
struct OutputSettings {
    var format: Format = .table
    var output: String?
    var excel = false
    var color: ColorChoice = .auto

    var toTerminal: Bool { output == nil && isatty(STDOUT_FILENO) == 1 }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            let env = ProcessInfo.processInfo.environment
            return toTerminal && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
        }
    }

    /// Writes to the output file or standard output.
    func emit(_ text: String) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw RSearchError.io(path: output, reason: "cannot write the output file")
        }
    }
}

struct FilterOptions: ParsableArguments {
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

    func filters() throws -> Filters {
        var filters = Filters()
        if let year {
            guard let parsed = try? QueryParser().parse("year:\(year)").filters.years else {
                throw ValidationError("--year takes a year or a range such as 2018..2022, not '\(year)'")
            }
            filters.years = parsed
        }
        filters.kind = kind
        filters.title = title
        filters.author = author
        filters.unit = unit
        return filters
    }
}

struct RSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rsearch",
        abstract: "Search Chinese reports: every place a phrase occurs, in which report, under which heading.",
        discussion: """
            Examples:
              rsearch 意识形态                         search (builds the index on first use)
              rsearch 意识形态 党建 --limit 20          sections with both terms
              rsearch "意识形态 OR 舆情" year:2022..2024 kind:报告
              rsearch '"两个确立"' --json > hits.json
              rsearch 乡村振兴 --format csv --excel --output 结果.csv
              rsearch 意识形态 -l                       the reports that mention it
              rsearch list --kind 述职报告              the reports in the index
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt:6
              rsearch index                            bring the index up to date with the corpus

            Query language: terms separated by spaces must all occur; OR, NOT or -term, (…),
            "…" for a literal term with spaces, A NEAR/20 B, and the filters year: kind: title:
            author: unit: in:heading. Matching is exact substring matching on normalised text
            (full-width = half-width, case, traditional = simplified; --no-fold keeps variants apart).
            To search for the word "index" (or list, show, stats), write: rsearch search index.

            Exit status: 0 if something matched, 1 if nothing did, 2 on error.
            """,
        subcommands: [SearchCommand.self, IndexCommand.self, ListCommand.self, ShowCommand.self, StatsCommand.self,
                      InitCommand.self, ExportCommand.self],
        defaultSubcommand: SearchCommand.self
    )
}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search the index (the default command).",
        discussion: "Example: rsearch search 意识形态 year:2022 --sort year")

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query.", valueName: "query"))
    var words: [String] = []

    @Option(name: .long, help: "Hits to show (default 10).")
    var limit: Int?

    @Flag(name: .long, help: "Show every hit.")
    var all = false

    @Option(name: .long, help: "Skip this many hits first (for paging).")
    var offset = 0

    @Option(name: .long, help: "Order: score (relevance), year (newest first), path.")
    var sort: SearchOptions.SortOrder = .score

    @Option(name: .long, help: "Characters of context before the first match in a snippet.")
    var context = SearchOptions().context

    @Flag(name: [.customShort("l"), .customLong("files-with-matches")], help: "Print only the paths of reports with a match.")
    var filesWithMatches = false

    @Flag(name: [.customShort("c"), .customLong("count")], help: "Print each matching report with its number of matches.")
    var count = false

    @Flag(name: .customLong("no-fold"), help: "Do not fold traditional and simplified characters together.")
    var noFold = false

    @OptionGroup var filterOptions: FilterOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func validate() throws {
        if let unknown = words.first(where: { $0.hasPrefix("--") && $0.count > 2 }) {
            throw ValidationError("unknown option '\(unknown)' (to search for it, quote it: '\"\(unknown)\"')")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if offset < 0 { throw ValidationError("--offset must not be negative") }
        if context < 0 { throw ValidationError("--context must not be negative") }
    }

    func run() throws {
        try SearchRequest(
            words: words, limit: limit, all: all, offset: offset, sort: sort, context: context,
            filesWithMatches: filesWithMatches, count: count, noFold: noFold, filters: filterOptions.filters(),
            output: outputOptions.settings, workspace: locations.workspace
        ).run()
    }
}

/// A search as asked for on the command line, whether ArgumentParser parsed
/// it (`SearchCommand`) or it was a plain `rsearch WORDS…` (`plain(_:)`).
struct SearchRequest {
    var words: [String]
    var limit: Int? = nil
    var all = false
    var offset = 0
    var sort: SearchOptions.SortOrder = .score
    var context = SearchOptions().context
    var filesWithMatches = false
    var count = false
    var noFold = false
    var filters = Filters()
    var output = OutputSettings()
    var workspace: Workspace

    /// The subcommands' names, and `help`: spelled out, because asking
    /// ArgumentParser for them costs what `plain` is there to save (a test
    /// checks the list against the configuration).
    static let commandNames: Set<String> = ["search", "index", "list", "show", "stats", "init", "export", "help"]

    /// `rsearch WORDS…` with no option and no subcommand, the commonest
    /// call, as a request with every option at its default, without
    /// ArgumentParser: building its argument tables (by reflection, over
    /// every subcommand) costs about 8 ms at each start, more than the
    /// search itself for most queries (BENCHMARKS.md). Anything else goes
    /// through ArgumentParser; a test checks that both give the same output.
    static func plain(_ arguments: [String]) -> SearchRequest? {
        guard let first = arguments.first, !arguments.contains(where: { $0.hasPrefix("-") }) else { return nil }
        guard !commandNames.contains(first) else { return nil }
        return SearchRequest(words: arguments, workspace: Workspace(corpus: nil, index: nil))
    }

    func run() throws {
        let text = words.filter { $0 != "--" }.joined(separator: " ")
        var query = try QueryParser().parse(text)  // query errors before any indexing
        var options = SearchOptions()
        options.limit = all || filesWithMatches || count ? nil : (limit ?? 10)
        options.detail = filesWithMatches ? .reports : count ? .matches : .full
        options.offset = offset
        options.sort = sort
        options.context = context
        options.folding = noFold ? .exact : .index
        query.filters.merge(filters)

        // The staleness check (a stat per corpus folder) runs on the second
        // core while this one searches.
        let check = try StalenessCheck(workspace)
        let index = try workspace.open()
        let result = try Searcher(index: index).search(query, text: text, options: options)
        check.report(shown: result.hits.map(\.report.path), in: index)
        let out = output
        if filesWithMatches {
            try out.emit(ResultFormats.filesWithMatches(result))
        } else if count {
            try out.emit(ResultFormats.counts(result))
        } else {
            switch out.format {
            case .json: try out.emit(SearchJSON.result(result).serialized() + "\n")
            case .jsonl: try out.emit(ResultFormats.jsonLines(result))
            case .csv: try out.emit(ResultFormats.csv(result, excel: out.excel))
            case .table:
                let printer = TerminalPrinter(color: out.useColor, width: Terminal.columns())
                try out.emit(printer.render(result))
                if out.toTerminal || result.total == 0 {
                    FileHandle.standardError.write(Data((printer.summary(result) + "\n").utf8))
                }
            }
        }
        if result.total == 0 { throw ExitCode(Status.noMatch) }
    }
}

/// A search with no index builds it first; with a stale one it says so.
/// The walk over the corpus runs on its own thread, beside the search.
final class StalenessCheck: @unchecked Sendable {
    private var outcome: Result<Workspace.Freshness, Error>?
    private let done = DispatchSemaphore(value: 0)
    private let workspace: Workspace

    init(_ workspace: Workspace) throws {
        self.workspace = workspace
        if try workspace.freshness(walking: false) == .missing {
            Log.note("no index yet: building it from \(workspace.corpus.root.path)")
            let summary = try workspace.rebuild(progress: Progress.reporter())
            Progress.finish()
            Log.note(IndexCommand.describe(summary))
            outcome = .success(.current)
            done.signal()
            return
        }
        let thread = Thread { [self] in
            outcome = Result { try workspace.freshness() }
            done.signal()
        }
        thread.start()
    }

    /// - Parameter shown: the reports of the hits about to be printed, whose
    ///   files are checked one by one (an edit in place does not change its
    ///   folder, so the folder-level check alone would miss it).
    func report(shown: [String], in index: IndexDatabase) {
        done.wait()
        var outcome = outcome
        if case .success(.current) = outcome, let changed = try? workspace.changedReports(shown, in: index), let first = changed.first {
            let more = changed.count > 1 ? " and \(changed.count - 1) more" : ""
            Log.note("\(first)\(more) changed since the index was built; run `rsearch index` to update it")
            outcome = nil
        }
        switch outcome {
        case .success(.stale):
            Log.note("the corpus has changed since the index was built; run `rsearch index` to update it")
        case .success(.otherCorpus(let root)):
            Log.note("the index was built from \(root), not \(workspace.corpus.root.path); run `rsearch index --rebuild`")
        case .success(.corpusMissing):
            Log.note("corpus folder \(workspace.corpus.root.path) not found; searching the index as it is")
        default:
            break
        }
    }
}

extension SearchOptions.SortOrder: ExpressibleByArgument {}

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Bring the index up to date with the corpus.",
        discussion: "Examples: rsearch index; rsearch index --rebuild; rsearch index --corpus ~/报告 --index ~/报告.sqlite")

    @Flag(name: .long, help: "Rebuild the index from scratch.")
    var rebuild = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors (no progress, no summary).")
    var quiet = false

    @OptionGroup var locations: Locations

    func run() throws {
        let workspace = locations.workspace
        let progress = quiet ? nil : Progress.reporter()
        let summary = rebuild ? try workspace.rebuild(progress: progress) : try workspace.update(progress: progress)
        Progress.finish()
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

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Set rsearch up for a folder of reports, to search it from any directory.",
        discussion: """
            Writes $XDG_CONFIG_HOME/rsearch/config.toml (corpus = the folder, index under $XDG_DATA_HOME/rsearch/)
            and builds the index. Example: rsearch init ~/文档/述职报告 && cd / && rsearch 意识形态
            """)

    @Argument(help: ArgumentHelp("The folder of reports.", valueName: "folder"))
    var folder: String

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let workspace = try Workspace.initialize(corpus: folder)
        if !quiet { Log.note("wrote \(Workspace.configFile().path)") }
        let summary = try workspace.update(progress: quiet ? nil : Progress.reporter())
        Progress.finish()
        guard !quiet else { return }
        Log.note(summary.changed ? IndexCommand.describe(summary) : "index is up to date (\(workspace.indexPath.path))")
        Log.note("ready: `rsearch QUERY` now searches \(workspace.corpus.root.path) from any directory")
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the sections for OpenSearch or Elasticsearch (bulk NDJSON).",
        discussion: """
            Example:
              rsearch export --format opensearch --output sections.ndjson --mapping mapping.json
              curl -XPUT localhost:9200/rsearch -H 'Content-Type: application/json' --data-binary @mapping.json
              curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @sections.ndjson
            """)

    enum ExportFormat: String, ExpressibleByArgument { case opensearch }

    @Option(help: "Export format (opensearch: bulk NDJSON, also read by Elasticsearch).")
    var format: ExportFormat = .opensearch

    @Option(name: .long, help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Also write the index definition (settings and mappings) to FILE.", valueName: "FILE"))
    var mapping: String?

    @Option(name: .customLong("index-name"), help: "The _index of every action line.")
    var indexName = "rsearch"

    @OptionGroup var locations: Locations

    func run() throws {
        let index = try locations.workspace.open()
        if let mapping {
            do {
                try Data((OpenSearchExport.mapping.serialized() + "\n").utf8).write(to: URL(fileURLWithPath: mapping))
            } catch {
                throw RSearchError.io(path: mapping, reason: "cannot write the mapping file")
            }
        }
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil),
                  let h = FileHandle(forWritingAtPath: output) else {
                throw RSearchError.io(path: output, reason: "cannot write the output file")
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        var buffer = ""
        try OpenSearchExport.bulk(index, indexName: indexName) { lines in
            buffer += lines
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        if output != nil { try handle.close() }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the reports in the index with their metadata.",
        discussion: "Examples: rsearch list; rsearch list --kind 政府工作报告 --year 2020..2025 --format csv")

    @OptionGroup var filterOptions: FilterOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func run() throws {
        let index = try locations.workspace.open()
        let reports = try Catalog(index: index).reports(filterOptions.filters())
        let out = outputOptions
        switch out.effectiveFormat {
        case .json, .jsonl:
            let values = reports.map(BrowseJSON.report)
            try out.emit(out.effectiveFormat == .json
                ? JSONValue.array(values).serialized() + "\n"
                : values.map { $0.serialized() + "\n" }.joined())
        case .csv:
            var csv = out.excel ? "\u{FEFF}" : ""
            csv += ResultFormats.csvRow(["path", "title", "year", "date", "kind", "author", "unit", "sections", "characters"])
            for r in reports {
                let m = r.metadata
                csv += ResultFormats.csvRow([r.path, m.title, m.year.map(String.init) ?? "", m.date ?? "", m.kind ?? "", m.author ?? "",
                                m.unit ?? "", String(r.sections), String(r.characters)])
            }
            try out.emit(csv)
        case .table:
            let rows = reports.map { r -> [String] in
                let m = r.metadata
                return [m.year.map(String.init) ?? "", m.kind ?? "", m.title, m.author ?? "", r.path]
            }
            try out.emit(Table.render(header: ["年份", "类型", "标题", "作者", "文件"], rows: rows,
                                      width: Terminal.columns(), color: out.useColor))
        }
        if reports.isEmpty { throw ExitCode(Status.noMatch) }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a report's outline, or one section in full.",
        discussion: """
            Examples:
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt        the heading tree with line numbers
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt:6      the section holding line 6
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt --section 10
            """)

    @Argument(help: ArgumentHelp("A report: its path in the corpus or the end of it, optionally :LINE.", valueName: "path"))
    var report: String

    @Option(name: .long, help: "Show section N of the outline in full.")
    var section: Int?

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func run() throws {
        let catalog = try Catalog(index: locations.workspace.open())
        var name = report
        var line: Int?
        if let colon = report.lastIndex(of: ":"), let n = Int(report[report.index(after: colon)...]) {
            name = String(report[..<colon])
            line = n
        }
        let entry = try catalog.report(named: name)
        let out = outputOptions
        if section != nil || line != nil {
            let s = try catalog.section(of: entry, number: section, line: line)
            if out.effectiveFormat == .json || out.effectiveFormat == .jsonl {
                try out.emit(JSONValue.object([
                    ("report", BrowseJSON.report(entry)),
                    ("section", .object([("path", .array(s.path.map(JSONValue.string))), ("heading", .string(s.heading)),
                                         ("line", .int(s.line)), ("text", .string(s.text))])),
                ]).serialized() + "\n")
                return
            }
            var text = bold(entry.metadata.title, out.useColor) + "\n"
            text += (s.path.isEmpty ? "(开头)" : s.path.joined(separator: " › ")) + "  :\(s.line)\n\n"
            text += s.text + "\n"
            try out.emit(text)
            return
        }
        let outline = try catalog.outline(of: entry)
        if out.effectiveFormat == .json || out.effectiveFormat == .jsonl {
            try out.emit(JSONValue.object([
                ("report", BrowseJSON.report(entry)),
                ("outline", .array(outline.map {
                    .object([("section", .int($0.number)), ("path", .array($0.path.map(JSONValue.string))), ("line", .int($0.line))])
                })),
            ]).serialized() + "\n")
            return
        }
        let m = entry.metadata
        var text = bold(m.title, out.useColor) + "\n"
        text += ([m.year.map(String.init), m.date, m.kind, m.author, m.unit].compactMap { $0 } + [entry.path])
            .joined(separator: " · ") + "\n\n"
        let numberWidth = String(outline.count).count
        let lineWidth = String(outline.map(\.line).max() ?? 1).count
        var previous: [String] = []
        for o in outline {
            // A heading once: continuation pieces of a long section repeat their path.
            if o.path == previous && !o.path.isEmpty { continue }
            previous = o.path
            let heading = o.path.last ?? "(开头)"
            let indentation = String(repeating: "  ", count: max(0, o.path.count - 1))
            let number = String(repeating: " ", count: numberWidth - String(o.number).count) + String(o.number)
            let lineText = String(o.line) + String(repeating: " ", count: lineWidth - String(o.line).count)
            let room = Terminal.columns() - numberWidth - lineWidth - 6 - indentation.count
            text += "\(number)  :\(lineText)  \(indentation)\(DisplayWidth.truncate(heading, to: room))\n"
        }
        try out.emit(text)
    }

    func bold(_ s: String, _ color: Bool) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Figures about the index: reports, sections, characters, size, last update.")

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func run() throws {
        let workspace = locations.workspace
        let stats = try Catalog(index: workspace.open()).stats()
        if outputOptions.effectiveFormat == .json || outputOptions.effectiveFormat == .jsonl {
            try outputOptions.emit(JSONValue.object([
                ("reports", .int(stats.reports)), ("sections", .int(stats.sections)),
                ("characters", .int(stats.characters)), ("skipped_files", .int(stats.skipped)),
                ("index_bytes", .int(stats.indexBytes)), ("index", .string(workspace.indexPath.path)),
                ("updated", stats.updated.map(JSONValue.string) ?? .null),
                ("corpus", stats.corpus.map(JSONValue.string) ?? .null),
            ]).serialized() + "\n")
            return
        }
        let rows = [
            ["reports", String(stats.reports)], ["sections", String(stats.sections)],
            ["characters", String(stats.characters)], ["skipped files", String(stats.skipped)],
            ["index size", String(format: "%.1f MB", Double(stats.indexBytes) / 1e6)],
            ["last update", stats.updated ?? "–"], ["index", workspace.indexPath.path], ["corpus", stats.corpus ?? "–"],
        ]
        try outputOptions.emit(Table.render(header: nil, rows: rows, width: Terminal.columns(), color: false))
    }
}

enum BrowseJSON {
    static func report(_ r: Catalog.ReportEntry) -> JSONValue {
        let m = r.metadata
        return .object([
            ("path", .string(r.path)), ("title", .string(m.title)), ("year", m.year.map(JSONValue.int) ?? .null),
            ("date", m.date.map(JSONValue.string) ?? .null), ("kind", m.kind.map(JSONValue.string) ?? .null),
            ("author", m.author.map(JSONValue.string) ?? .null), ("unit", m.unit.map(JSONValue.string) ?? .null),
            ("sections", .int(r.sections)), ("characters", .int(r.characters)), ("encoding", .string(r.encoding)),
        ])
    }
}

/// Columns aligned by display width; the widest column is cut to fit.
enum Table {
    static func render(header: [String]?, rows: [[String]], width: Int, color: Bool) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        guard let columns = all.first?.count else { return "" }
        var widths = (0..<columns).map { c in all.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        let total = widths.reduce(0, +) + 2 * (columns - 1)
        if total > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) {
            widths[widest] = max(8, widths[widest] - (total - width))
        }
        var out = ""
        for (n, row) in all.enumerated() {
            var cells: [String] = []
            for c in 0..<columns {
                let cell = DisplayWidth.truncate(row[c], to: widths[c])
                let padded = c == columns - 1 ? cell : cell + String(repeating: " ", count: widths[c] - DisplayWidth.of(cell))
                cells.append(padded)
            }
            let line = cells.joined(separator: "  ")
            out += (n == 0 && header != nil && color ? "\u{1B}[1m" + line + "\u{1B}[0m" : line) + "\n"
        }
        return out
    }
}

enum Log {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("rsearch: " + message + "\n").utf8))
    }
}

/// The live progress line of `rsearch index` on a terminal: files and MB
/// done of the total, rate and time left, redrawn at most ten times a second.
enum Progress {
    nonisolated(unsafe) private static var shown = false
    nonisolated(unsafe) private static var last = 0.0
    nonisolated(unsafe) private static var started = 0.0

    static func reporter() -> (@Sendable (BuildProgress) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        started = Date().timeIntervalSince1970
        return { p in
            let now = Date().timeIntervalSince1970
            guard now - last >= 0.1 || p.files == p.totalFiles else { return }
            last = now
            let elapsed = max(now - started, 0.001)
            let rate = Double(p.bytes) / 1e6 / elapsed
            let left = p.bytes > 0 ? elapsed * Double(p.totalBytes - p.bytes) / Double(p.bytes) : 0
            let line = String(format: "\r\u{1B}[K  %d/%d files  %.1f/%.1f MB  %.1f MB/s  %@", p.files, p.totalFiles,
                              Double(p.bytes) / 1e6, Double(p.totalBytes) / 1e6, rate,
                              p.files < p.totalFiles ? String(format: "about %.0f s left", left) : "finishing…")
            FileHandle.standardError.write(Data(line.utf8))
            shown = true
        }
    }

    static func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
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
    if let request = SearchRequest.plain(Array(CommandLine.arguments.dropFirst())) {
        try request.run()
    } else {
        var command = try RSearch.parseAsRoot()
        try command.run()
    }
} catch let error as ExitCode {
    exit(error.rawValue)
} catch let error as RSearchError {
    Progress.finish()
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
