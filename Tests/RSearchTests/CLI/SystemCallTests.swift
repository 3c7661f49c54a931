import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchStore

/// What a search costs in `stat` calls, counted by `strace` around the real
/// binary: a corpus indexed right after it was copied has folder times too
/// recent to trust, and must not make every later search stat every file.
/// After the racy window has passed, the next `rsearch index`, or else the
/// next search, records them; from then on a search stats each folder once.
@Suite(.serialized) struct SystemCallTests {
    static let strace: URL? = ["/usr/bin/strace", "/bin/strace"].map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// The `stat`-family calls of one run of `rsearch ARGUMENTS`, and its status.
    static func stats(_ arguments: [String]) throws -> (count: Int, status: Int32) {
        let strace = try #require(Self.strace)
        let binary = try #require(CommandLineTests.binary, "the rsearch binary was not built")
        let log = Fixtures.temporaryDirectory("rsearch-strace").appendingPathComponent("calls.txt")
        let process = Process()
        process.executableURL = strace
        process.arguments = ["-f", "-qq", "-o", log.path, binary.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let calls = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        // The stats of an entry by its name in an open folder
        // (`newfstatat(3, "name", …)`, `statx(3, "name", …)`, whatever the
        // architecture calls them): how the corpus is walked. The process's
        // own start (the loader, the config file, the index by its full
        // path) stats by absolute path and is not counted.
        let entry = #/^\d+\s+[a-z0-9_]*stat[a-z0-9_]*\(\d+, "[^"]+"/#
        return (calls.filter { $0.contains(entry) }.count, process.terminationStatus)
    }

    /// A copy of the shipped corpus made just now, and where its index goes.
    static func freshCopy(_ name: String) throws -> (corpus: URL, index: URL, files: Int, folders: Int) {
        let root = Fixtures.temporaryDirectory(name)
        let corpus = root.appendingPathComponent("corpus")
        // `cp -r`, as a user copies: new folder times (FileManager's copy
        // keeps the old ones).
        let copy = try Process.run(URL(fileURLWithPath: "/bin/cp"), arguments: ["-r", Fixtures.shippedCorpus.path, corpus.path])
        copy.waitUntilExit()
        try #require(copy.terminationStatus == 0)
        let scan = try Corpus(root: corpus).scan()
        return (corpus, root.appendingPathComponent("rsearch.sqlite"), scan.files.count, scan.folders.count)
    }

    static var usable: Bool {
        guard strace != nil else { return false }
        // ptrace may be refused (a container without the capability).
        return (try? stats(["--help"]).status) == 0
    }

    @Test(.enabled(if: usable, "strace is not installed or may not trace here (apt-get install strace)"))
    func aCopiedCorpusIsSearchedWithAStatPerFolderAfterOneIndex() throws {
        let (corpus, index, files, folders) = try Self.freshCopy("rsearch-syscalls-index")
        let at = ["--corpus", corpus.path, "--index", index.path]
        #expect(try CommandLineTests.launch(["index", "-q"] + at).status == 0)
        #expect(try IndexDatabase(path: index).folders().allSatisfy { $0.mtime == CorpusFolder.unknownTime },
                "indexed right after the copy: the folder times are racy")
        let racy = try Self.stats(at + ["鲸鱼座"])  // found nowhere
        #expect(racy.status == 1)
        #expect(racy.count >= files, "a racy folder is read: a stat per file (\(racy.count) for \(files) files)")

        Thread.sleep(forTimeInterval: 2.1)  // the racy window passes
        #expect(try CommandLineTests.launch(["index", "-q"] + at).status == 0)
        let settled = try Self.stats(at + ["鲸鱼座"])
        #expect(settled.status == 1)
        #expect(settled.count <= folders + Self.overhead,
                "\(settled.count) stats for \(folders) folders and \(files) files after one rsearch index")
        #expect(racy.count - settled.count >= files - folders)
    }

    @Test(.enabled(if: usable, "strace is not installed or may not trace here (apt-get install strace)"))
    func withoutAnIndexRunTheFirstSearchAfterTheWindowRecordsTheFoldersOnce() throws {
        let (corpus, index, files, folders) = try Self.freshCopy("rsearch-syscalls-search")
        let at = ["--corpus", corpus.path, "--index", index.path]
        // The first search builds the index, right after the copy.
        #expect(try CommandLineTests.launch(at + ["意识形态"]).status == 0)
        Thread.sleep(forTimeInterval: 2.1)
        let first = try Self.stats(at + ["龚正"])
        #expect(first.count >= files, "this one still reads every folder (\(first.count))")
        let written = try FileManager.default.attributesOfItem(atPath: index.path)[.modificationDate] as? Date
        let second = try Self.stats(at + ["龚正"])
        #expect(second.count <= folders + Self.overhead, "\(second.count) stats for \(folders) folders")
        #expect(try FileManager.default.attributesOfItem(atPath: index.path)[.modificationDate] as? Date == written,
                "recorded once: the second search wrote nothing")

        // Every kind of change is still seen: an added file, an edit in place.
        try StalenessTests.write("新报告\n一、意识形态\n", to: corpus.appendingPathComponent("新.txt"))
        #expect(try CommandLineTests.launch(at + ["龚正"]).stderr.contains("the corpus has changed since the index was built"))
        #expect(try CommandLineTests.launch(["index", "-q"] + at).status == 0)
        Thread.sleep(forTimeInterval: 2.1)
        _ = try CommandLineTests.launch(at + ["龚正"])  // records the folder the new file changed
        try StalenessTests.append("\n二、意识形态工作\n", to: corpus.appendingPathComponent("新.txt"))
        #expect(try CommandLineTests.launch(at + ["新报告"]).stderr.contains("新.txt changed since the index was built"))
    }

    /// Entries stat'ed besides one per folder: none expected; one of slack.
    static let overhead = 1
}
