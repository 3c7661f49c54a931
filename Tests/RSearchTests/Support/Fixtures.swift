import Foundation
import Testing
import SplitMix64
@testable import RSearchDocuments
@testable import RSearchStore

/// Paths of the package and of the shared corpora, found from this file.
enum Fixtures {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static let shippedCorpus = packageRoot.appendingPathComponent("corpus")

    /// `../shared/corpora`, beside the checkout; absent on some machines.
    static let sharedCorpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static var hasSharedCorpora: Bool { FileManager.default.fileExists(atPath: sharedCorpora.path) }

    static let seedPath = "work_report_seed/2022_局机关党委书记_抓基层党建工作述职报告.txt"

    static func read(_ relative: String, in root: URL = shippedCorpus) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static func parse(_ relative: String, in root: URL = shippedCorpus) throws -> Document {
        let url = root.appendingPathComponent(relative)
        return ReportParser().parse(try read(relative, in: root), fileName: url.lastPathComponent)
    }

    static func temporaryDirectory(_ name: String = "rsearch-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One index of the shipped corpus, built once for all tests that only read it.
    static let shippedIndex: Result<IndexDatabase, Error> = Result {
        let dir = temporaryDirectory("rsearch-shipped")
        let destination = dir.appendingPathComponent("rsearch.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: shippedCorpus), destination: destination).build()
        return try IndexDatabase(path: destination)
    }

    /// A new temporary folder with an empty `corpus` folder inside.
    static func emptyCorpus(_ name: String) throws -> (root: URL, corpus: URL) {
        let root = temporaryDirectory(name)
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        return (root, corpus)
    }

    /// A small index of a corpus that `populate` writes into an empty folder.
    static func smallIndex(_ name: String, populate: (URL) throws -> Void) throws -> Searcher {
        let (root, corpus) = try emptyCorpus(name)
        try populate(corpus)
        let destination = root.appendingPathComponent("rsearch.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        return Searcher(index: try IndexDatabase(path: destination))
    }

    static func shippedSearcher() throws -> Searcher {
        try Searcher(index: shippedIndex.get())
    }
}

/// The tests' generator: seeded, so that a failing generated case can be
/// reproduced from the seed the test prints.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// `RSEARCH_TEST_SEED` when set, else a fixed seed, so CI is repeatable.
    static func fromEnvironment(default value: UInt64) -> (SplitMix64, UInt64) {
        let seed = ProcessInfo.processInfo.environment["RSEARCH_TEST_SEED"].flatMap(UInt64.init) ?? value
        return (SplitMix64(seed: seed), seed)
    }
}
