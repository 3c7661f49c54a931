import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// A file loaded in parts (`DocumentLoader.load(_:parts:)`) is indexed as
/// one report, by a build and by an update, the same as a file parsed whole.
@Suite(.serialized) struct LargeFileIndexTests {
    static func sections(_ index: URL) throws -> [String: [SectionInfo]] {
        var result: [String: [SectionInfo]] = [:]
        try Catalog(index: IndexDatabase(path: index)).forEachSection { report, section, position in
            #expect(position == (result[report.path]?.count ?? 0) + 1, "\(report.path): positions not consecutive")
            result[report.path, default: []].append(section)
        }
        return result
    }

    @Test func aLargeFileIsOneReportWithEverySection() throws {
        let corpus = try IndexLifecycleTests.makeCorpus("rsearch-large-index", count: 6)
        let large = corpus.appendingPathComponent("汇编.txt")
        try LargeFileTests.largeText.write(to: large, atomically: true, encoding: .utf8)
        let index = corpus.deletingLastPathComponent().appendingPathComponent("index/rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: index)
        let summary = try builder.build()
        #expect(summary.skipped.isEmpty)

        func expectWhole(_ text: String, _ stage: String) throws {
            let whole = ReportParser().parse(text, fileName: "汇编.txt").sections
            let stored = try #require(try Self.sections(index)["汇编.txt"], "\(stage): not indexed")
            #expect(stored.count == whole.count, "\(stage)")
            #expect(stored.map(\.line) == whole.map(\.line), "\(stage)")
            #expect(stored.map(\.path) == whole.map(\.path), "\(stage)")
            #expect(stored.map(\.text) == whole.map(\.text), "\(stage)")
            // Every section holding the phrase is found, and no other.
            let phrase = "社会主义现代化"
            var options = SearchOptions()
            options.limit = nil
            let result = try Searcher(index: IndexDatabase(path: index)).search(phrase, options: options)
            let found = result.hits.filter { $0.report.path == "汇编.txt" }.map(\.section.line)
            #expect(found.sorted() == whole.filter { $0.text.contains(phrase) }.map(\.line), "\(stage)")
        }
        try expectWhole(LargeFileTests.largeText, "build")

        // An update that replaces it, and one that adds a copy of it: parts
        // of two large files through one pipeline.
        let edited = LargeFileTests.largeText + "\n附：新质生产力与社会主义现代化建设的一段补充。\n"
        try edited.write(to: large, atomically: true, encoding: .utf8)
        try (LargeFileTests.largeText + "\n").write(to: corpus.appendingPathComponent("汇编二.txt"), atomically: true, encoding: .utf8)
        let update = try builder.update()
        #expect(update.updated == 1 && update.added == 1, "\(update)")
        try expectWhole(edited, "update")
        let all = try Self.sections(index)
        #expect(all["汇编二.txt"]?.count == ReportParser().parse(LargeFileTests.largeText + "\n", fileName: "汇编二.txt").sections.count)
        #expect(all.count == 9)
    }
}
