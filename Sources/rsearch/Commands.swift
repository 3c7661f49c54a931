import ArgumentParser
import RSearchEngine
import RSearchOutput

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Bring the index up to date with the corpus.",
        discussion: """
            Examples: rsearch index; rsearch index --rebuild; rsearch index --ocr;
              rsearch index --corpus ~/报告 --index ~/报告.sqlite
            """)
    @Flag(name: .long, help: "Rebuild the index from scratch.") var rebuild = false
    @Flag(name: .long, help: ArgumentHelp(
        "Recognise the pages of scanned PDFs with tesseract (also: ocr = true in the config file).")) var ocr = false
    @Flag(name: .shortAndLong, help: "Print nothing but errors (no progress, no summary).") var quiet = false
    @Flag(help: "Print the summary as JSON on standard output (README: the index summary).") var json = false
    @OptionGroup var locations: Locations

    func run() throws {
        var workspace = locations.engine.workspace
        if ocr { workspace.ocr = true }
        try Log.indexing(Engine(workspace: workspace), rebuild: rebuild, quiet: quiet, json: json)
    }
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Set rsearch up for a folder of reports, to search it from anywhere.",
        discussion: """
            Writes $XDG_CONFIG_HOME/rsearch/config.toml (corpus = the folder, index
            under $XDG_DATA_HOME/rsearch/) and builds the index. Example:
              rsearch init ~/文档/述职报告 && cd / && rsearch 意识形态
            """)
    @Argument(help: ArgumentHelp("The folder of reports.", valueName: "folder")) var folder: String
    @Flag(name: .shortAndLong, help: "Print nothing but errors.") var quiet = false

    func run() throws {
        let engine = try Engine.initialize(corpus: folder)
        if !quiet { Log.note("wrote \(Workspace.configFile().path)") }
        try Log.indexing(engine, rebuild: false, quiet: quiet)
        if !quiet { Log.note("ready: `rsearch QUERY` now searches \(engine.workspace.corpus.root.path) from any directory") }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the sections for OpenSearch or Elasticsearch (bulk NDJSON).",
        discussion: """
            Example:
              rsearch export --format opensearch --output sections.ndjson \\
                  --mapping mapping.json
              curl -XPUT localhost:9200/rsearch -H 'Content-Type: application/json' \\
                  --data-binary @mapping.json
              curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' \\
                  --data-binary @sections.ndjson
            """)

    enum ExportFormat: String, ExpressibleByArgument { case opensearch }
    @Option(help: "Export format (opensearch: bulk NDJSON, also read by Elasticsearch).") var format: ExportFormat = .opensearch
    @Option(name: .long, help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE")) var output: String?
    @Option(name: .long, help: ArgumentHelp("Also write the index definition (settings and mappings) to FILE.", valueName: "FILE"))
    var mapping: String?
    @Option(name: .customLong("index-name"), help: "The _index of every action line.") var indexName = "rsearch"
    @OptionGroup var locations: Locations

    func run() throws {
        let engine = locations.engine
        try engine.checkIndex()  // before any file is written
        if let mapping { try OutputTarget(path: mapping, role: .mapping).write(OpenSearchExport.mapping.serialized() + "\n") }
        let writer = try OutputTarget(path: output).stream()
        try engine.forEachSection { report, section, number in
            writer.write(OpenSearchExport.bulkLines(report: report, section: section, number: number, indexName: indexName))
        }
        try writer.finish()
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the reports in the index with their metadata.",
        discussion: """
            Examples: rsearch list; rsearch list --kind 政府工作报告 --year 2020..2025
              --format csv
            """)
    @OptionGroup var filterOptions: FilterOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func run() throws {
        let reports = try locations.engine.reports(filterOptions.filters())
        try ReportListPrinter.write(reports, to: outputOptions.target)
        if reports.isEmpty { throw ExitCode(ExitStatus.noMatch) }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a report's outline, or one section in full.",
        discussion: """
            Examples:
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt
                  the heading tree with line numbers
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt:6
                  the section holding line 6
              rsearch show 2022_局机关党委书记_抓基层党建工作述职报告.txt --section 10
                  section 10 of the outline in full
            """)
    @Argument(help: ArgumentHelp("A report: its path in the corpus or the end of it, optionally :LINE.", valueName: "path"))
    var report: String
    @Option(name: .long, help: "Show section N of the outline in full.") var section: Int?
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func run() throws {
        let engine = locations.engine
        let (entry, line) = try engine.locate(report)
        let one = section != nil || line != nil ? try engine.section(of: entry, number: section, line: line) : nil
        try OutlinePrinter.write(entry, outline: one == nil ? try engine.outline(of: entry) : [], section: one,
                                 to: outputOptions.target)
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Figures about the index: reports, sections, characters, size, update.")
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var locations: Locations

    func run() throws { try StatsPrinter.write(locations.engine.status(), to: outputOptions.target) }
}
