import ArgumentParser
import Foundation
import RSearchOutput

struct RSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rsearch",
        abstract: "Search Chinese reports: each occurrence, its report and its heading.",
        discussion: """
            Examples:
              rsearch 意识形态                    search (builds the index on first use)
              rsearch 意识形态 党建 --limit 20    sections with both terms
              rsearch "意识形态 OR 舆情" year:2022..2024 kind:报告
              rsearch '"两个确立"' --json > hits.json
              rsearch 乡村振兴 --format csv --excel --output 结果.csv
              rsearch 意识形态 -l                 the reports that mention it
              rsearch list --kind 述职报告        the reports in the index
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt:6
              rsearch index                       bring the index up to date
              rsearch serve                       a search page for the browser

            Query language: terms separated by spaces must all occur; OR, NOT or -term,
            (…), "…" for a literal term with spaces, A NEAR/20 B, and the filters year:
            kind: title: author: unit: in:heading. Matching is exact substring matching on
            normalised text (full-width = half-width, case, traditional = simplified;
            --no-fold keeps variants apart). To search for the word "index" (or list,
            show, stats, serve), write: rsearch search index.

            Exit status: 0 if something matched, 1 if nothing did, 2 on error.
            """,
        subcommands: [SearchCommand.self, IndexCommand.self, ListCommand.self, ShowCommand.self, StatsCommand.self,
                      InitCommand.self, ExportCommand.self],
        defaultSubcommand: SearchCommand.self
    )
}

// Every error exits with grep's 2, ArgumentParser's own (64 for a usage error) too.
do {
    if CommandLine.arguments.dropFirst().first == "serve" { try ServeHandover.exec() }
    if let words = Searching.plain(Array(CommandLine.arguments.dropFirst())) {
        try Searching.run(words)
    } else {
        var command = try RSearch.parseAsRoot()
        try command.run()
    }
} catch let error as ExitCode {
    exit(error.rawValue)
} catch {
    ProgressDisplay.finish()
    if Messages.describe(error) == nil, RSearch.exitCode(for: error) == .success {  // --help, --version
        print(RSearch.fullMessage(for: error))
        exit(0)
    }
    Log.note(Messages.describe(error) ?? RSearch.message(for: error))
    exit(ExitStatus.error)
}
