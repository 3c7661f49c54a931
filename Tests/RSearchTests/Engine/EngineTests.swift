import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchEngine
@testable import RSearchQuery
@testable import RSearchStore

/// The façade the command line and the web server call: it builds the
/// first index, answers as the store does, and reports staleness as values.
@Suite struct EngineTests {
    /// `ocr = true` in the config file turns OCR on for every write of the
    /// index; `--ocr` (the workspace's own setting) decides over it.
    @Test func ocrComesFromTheConfigFileUnlessSet() throws {
        let home = Fixtures.temporaryDirectory("rsearch-ocr-config")
        let environment = ["XDG_CONFIG_HOME": home.path, "HOME": home.path]
        var workspace = Workspace(corpus: "/tmp/c", index: "/tmp/i.sqlite", environment: environment)
        #expect(!workspace.ocrEnabled)
        try FileManager.default.createDirectory(at: home.appendingPathComponent("rsearch"), withIntermediateDirectories: true)
        try "corpus = \"/tmp/c\"\nocr = true\n".write(to: home.appendingPathComponent("rsearch/config.toml"),
                                                      atomically: true, encoding: .utf8)
        workspace = Workspace(corpus: "/tmp/c", index: "/tmp/i.sqlite", environment: environment)
        #expect(workspace.ocrEnabled)
        workspace.ocr = false
        #expect(!workspace.ocrEnabled)
    }

    static func engine(_ name: String) throws -> (Engine, corpus: URL) {
        let (root, corpus) = try Fixtures.emptyCorpus(name)
        for path in [Fixtures.seedPath, "gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt"] {
            try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(path),
                                             to: corpus.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent))
        }
        let workspace = Workspace(corpus: corpus.path, index: root.appendingPathComponent("i/rsearch.sqlite").path,
                                  environment: [:], currentDirectory: root.path)
        return (Engine(workspace: workspace), corpus)
    }

    final class Heard: @unchecked Sendable {
        var builds: [String] = []
    }

    @Test func theFirstSearchBuildsTheIndexAndLaterOnesDoNot() throws {
        let (engine, corpus) = try Self.engine("rsearch-engine-first")
        let heard = Heard()
        let observer = BuildObserver(willBuild: { heard.builds.append($0) })
        let first = try engine.search(SearchRequest(query: "意识形态"), observer: observer)
        #expect(heard.builds == [corpus.standardizedFileURL.path])
        #expect(first.firstBuild?.rebuilt == true && first.firstBuild?.reports == 2)
        #expect(first.staleness == nil)
        #expect(first.result.query == "意识形态" && first.result.total > 0)

        let second = try engine.search(SearchRequest(query: "意识形态"), observer: observer)
        #expect(heard.builds.count == 1 && second.firstBuild == nil)
        // The same answer as the store's own searcher, hit for hit.
        let direct = try Searcher(index: engine.workspace.open()).search("意识形态")
        #expect(second.result.total == direct.total)
        #expect(second.result.hits.map { "\($0.report.path):\($0.section.line):\($0.matches)" }
            == direct.hits.map { "\($0.report.path):\($0.section.line):\($0.matches)" })
    }

    @Test func aBadQueryFailsBeforeAnythingIsBuilt() throws {
        let (engine, _) = try Self.engine("rsearch-engine-bad")
        #expect(throws: QueryError.syntax(message: "unbalanced '('", column: 1)) {
            try engine.search(SearchRequest(query: "(意识形态"))
        }
        #expect(!FileManager.default.fileExists(atPath: engine.workspace.indexPath.path))
    }

    @Test func optionFiltersJoinTheQuerysOwn() throws {
        let (engine, _) = try Self.engine("rsearch-engine-filters")
        var options = SearchOptions()
        options.filters.kind = ["政府工作报告"]
        let all = try engine.search(SearchRequest(query: "发展")).result
        let filtered = try engine.search(SearchRequest(query: "发展", options: options)).result
        #expect(filtered.total > 0 && filtered.total < all.total)
        #expect(filtered.hits.allSatisfy { $0.report.metadata.kind == "政府工作报告" })
        let written = try engine.search(SearchRequest(query: "发展 kind:政府工作报告")).result
        #expect(written.total == filtered.total)
    }

    @Test func stalenessIsReportedAsAValue() throws {
        let (engine, corpus) = try Self.engine("rsearch-engine-stale")
        // Folders older than the racy window when the index is written have their times recorded.
        try StalenessTests.backdate(corpus)
        _ = try engine.rebuild()
        #expect(try engine.search(SearchRequest(query: "意识形态")).staleness == nil)

        // An edit in place of a report among the hits: seen by its own stat.
        let seed = corpus.appendingPathComponent(URL(fileURLWithPath: Fixtures.seedPath).lastPathComponent)
        try StalenessTests.append("\n补充。\n", to: seed)
        let edited = try engine.search(SearchRequest(query: "意识形态"))
        #expect(edited.staleness == .reportsChanged([seed.lastPathComponent]))

        // A new file: the folder's time changed.
        try StalenessTests.backdate(corpus)
        _ = try engine.rebuild()
        #expect(try engine.search(SearchRequest(query: "意识形态")).staleness == nil)
        try StalenessTests.write("新报告\n一、意识形态\n", to: corpus.appendingPathComponent("新.txt"))
        #expect(try engine.search(SearchRequest(query: "龚正")).staleness == .corpusChanged)
    }

    @Test func browsingByNameAndLine() throws {
        let (engine, _) = try Self.engine("rsearch-engine-browse")
        _ = try engine.update()
        let name = URL(fileURLWithPath: Fixtures.seedPath).lastPathComponent
        let (report, line) = try engine.locate(name + ":6")
        #expect(report.path == name && line == 6)
        #expect(try engine.locate(name).line == nil)
        let section = try engine.section(of: report, line: 6)
        let outline = try engine.outline(of: report)
        let holding = try #require(outline.last { $0.line <= 6 })
        #expect(section.line == holding.line && section.path == holding.path)
        #expect(throws: IndexError.noSuchReport(name: "没有这个.txt")) { try engine.locate("没有这个.txt") }
        #expect(throws: IndexError.ambiguousReport(name: ".txt", matches: 2)) { try engine.report(named: ".txt") }
        #expect(throws: IndexError.noSuchSection(report: name, number: 9999)) { try engine.section(of: report, number: 9999) }
        let status = try engine.status()
        #expect(status.reports == 2 && status.index == engine.workspace.indexPath.path)
        var exported = 0
        try engine.forEachSection { _, _, number in exported += 1; #expect(number >= 1) }
        #expect(exported == status.sections)
    }

    @Test func withNothingConfiguredTheEngineSaysSo() throws {
        let root = Fixtures.temporaryDirectory("rsearch-engine-unset")
        let engine = Engine(workspace: Workspace(environment: ["HOME": root.path], currentDirectory: root.path))
        #expect(throws: EngineError.notConfigured) { try engine.search(SearchRequest(query: "意识形态")) }
    }
}

/// A corpus indexed right after it was copied: its folders' times are too
/// recent to trust, and the next update records them once they have settled.
@Suite struct SettledFolderTests {
    @Test func anUpdateRecordsFoldersThatHaveSettledAndWritesNothingElse() throws {
        let (engine, corpus) = try EngineTests.engine("rsearch-engine-racy")
        _ = try engine.update()
        let index = try engine.workspace.open()
        #expect(try index.folders().allSatisfy { $0.mtime == CorpusFolder.unknownTime }, "just copied: racy")
        // Without a recorded time every search walks the corpus (a stat per file).
        #expect(Corpus.fingerprintIfUnchanged(root: corpus.path, try index.folders()) == nil)

        // The window passes (here: the folders' times moved into the past).
        try StalenessTests.backdate(corpus)
        let before = try engine.reports().map(\.path)
        let summary = try engine.update()
        #expect(!summary.changed && summary.unchanged == 2, "no document changed")
        let folders = try engine.workspace.open().folders()
        #expect(folders.allSatisfy { $0.mtime != CorpusFolder.unknownTime })
        #expect(try engine.reports().map(\.path) == before)
        // Now a search stats each recorded folder once, and walks nothing.
        #expect(Corpus.fingerprintIfUnchanged(root: corpus.path, folders) != nil)
        #expect(try engine.workspace.freshness() == .current)

        // A second update has nothing to record: the file is not touched.
        let written = try FileManager.default.attributesOfItem(atPath: engine.workspace.indexPath.path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.01)
        _ = try engine.update()
        #expect(try FileManager.default.attributesOfItem(atPath: engine.workspace.indexPath.path)[.modificationDate] as? Date == written)

        // And every kind of change is still seen.
        try StalenessTests.write("新报告\n一、意识形态\n", to: corpus.appendingPathComponent("新.txt"))
        #expect(try engine.workspace.freshness() == .stale)
        #expect(try engine.search(SearchRequest(query: "龚正")).staleness == .corpusChanged)
    }
}
