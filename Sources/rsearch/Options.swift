import ArgumentParser
import RSearchEngine
import RSearchOutput
import RSearchQuery

extension OutputFormat: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}
extension SearchOptions.SortOrder: ExpressibleByArgument {}

struct Locations: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of reports (default: $RSEARCH_CORPUS, else ./corpus).", valueName: "DIR"))
    var corpus: String?
    @Option(name: .long, help: ArgumentHelp("Index file (default: $RSEARCH_INDEX, else ./index/rsearch.sqlite).", valueName: "PATH"))
    var index: String?

    var engine: Engine { Engine(workspace: Workspace(corpus: corpus, index: index)) }
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (for people), json, jsonl (one hit per line), csv.") var format: OutputFormat = .table
    @Flag(help: "Short for --format json.") var json = false
    @Option(name: .long, help: ArgumentHelp("Write the results to FILE instead of standard output.", valueName: "FILE"))
    var output: String?
    @Flag(help: "With csv: start with the byte-order mark Excel needs to read UTF-8.") var excel = false
    @Option(help: "Colour: auto (only on a terminal, and not if NO_COLOR is set), always, never.") var color: ColorChoice = .auto

    func validate() throws {
        if excel && target.format != .csv { throw ValidationError("--excel goes with --format csv") }
    }

    var target: OutputTarget { OutputTarget(format: json ? .json : format, path: output, excel: excel, color: color) }
}

struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only reports of this year or range (2018..2022).", valueName: "YEAR"))
    var year: String?
    @Option(name: .long, help: ArgumentHelp("Only laws first enacted in this year or range (1990..2000).", valueName: "YEAR"))
    var enacted: String?
    @Option(name: .long, help: "Only reports whose kind contains this (述职报告, 通知 …).") var kind: [String] = []
    @Option(name: .long, help: "Only reports whose title contains this.") var title: [String] = []
    @Option(name: .long, help: "Only reports whose author contains this.") var author: [String] = []
    @Option(name: .long, help: "Only reports whose unit contains this.") var unit: [String] = []

    func filters() throws -> Filters {
        func range(_ value: String?, _ option: String, _ example: String) throws -> ClosedRange<Int>? {
            guard let value else { return nil }
            guard let years = QueryParser.years(value) else {
                throw ValidationError("--\(option) takes a year or a range such as \(example), not '\(value)'")
            }
            return years
        }
        return Filters(years: try range(year, "year", "2018..2022"), enacted: try range(enacted, "enacted", "1990..2000"),
                       kind: kind, title: title, author: author, unit: unit)
    }
}
