import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RSearchDocuments

/// How a search notices that the corpus changed since the index was written:
/// the folder-level fingerprint must agree with the full walk for every
/// change of a folder's entries, and edits in place must be caught for the
/// reports a search shows.
@Suite(.serialized) struct StalenessTests {
    /// Sets every folder's modification time an hour back, so that a scan
    /// records it (a folder changed within the last seconds is "racy" and
    /// never trusted).
    static func backdate(_ root: URL) throws {
        var folders = [root]
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey])!
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true {
            folders.append(url)
        }
        // Always the same time, so that a folder a change did not touch
        // keeps the time recorded for it and is not read again.
        let past = Date(timeIntervalSince1970: 1_750_000_000)
        for folder in folders {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: folder.path)
        }
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
    }

    /// Appends in place: same file, same folder entries.
    static func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func theFolderCheckAgreesWithTheFullWalkForEveryChangeOfEntries() throws {
        let root = try IndexLifecycleTests.makeCorpus("rsearch-stale-folders", count: 30)
        let corpus = Corpus(root: root)
        try Self.backdate(root)
        let scan = try corpus.scan()
        #expect(scan.folders.count >= 3, "the corpus has subfolders")
        #expect(scan.folders.allSatisfy { $0.mtime != CorpusFolder.unknownTime }, "backdated folders are recorded")
        let recorded = Corpus.fingerprint(of: scan.files)
        #expect(try corpus.fingerprint(knowing: scan.folders) == recorded)
        #expect(try corpus.fingerprint() == recorded)

        let files = scan.files
        let fm = FileManager.default
        let changes: [(String, () throws -> Void)] = [
            ("a file added to a subfolder", { try Self.write("新增报告\n一、意识形态\n", to: files[0].url.deletingLastPathComponent().appendingPathComponent("新增.txt")) }),
            ("a file removed", { try fm.removeItem(at: files[1].url) }),
            ("a file renamed in its folder", { try fm.moveItem(at: files[2].url, to: files[2].url.deletingLastPathComponent().appendingPathComponent("改名.txt")) }),
            ("a file moved to the root", { try fm.moveItem(at: files[3].url, to: root.appendingPathComponent("移动.md")) }),
            ("a new subfolder with a document", { try Self.write("报告\n", to: root.appendingPathComponent("新目录/深一层/报告.txt")) }),
            ("a subfolder removed", { try fm.removeItem(at: root.appendingPathComponent("新目录/深一层")) }),
            ("an editor's save: new file renamed over the old", {
                let temporary = files[4].url.deletingLastPathComponent().appendingPathComponent(".tmp-save")
                try Self.write("替换的内容\n", to: temporary)
                #expect(rename(temporary.path, files[4].url.path) == 0)
            }),
        ]
        var previous = recorded
        for (what, change) in changes {
            // As after an update of the index: every folder recorded at one
            // time, which only this change then moves.
            try Self.backdate(root)
            let known = try corpus.scan().folders
            try change()
            let full = try #require(try corpus.fingerprint(), "\(what): every folder read")
            #expect(full != previous, "\(what) changes the corpus")
            #expect(try corpus.fingerprint(knowing: known) == full, "\(what): the folder check sees it")
            previous = full
        }

        // Entries that are not documents leave the fingerprint alone, in both.
        try Self.backdate(root)
        let known = try corpus.scan().folders
        try Self.write("lock", to: root.appendingPathComponent("~$报告.docx.lock"))
        try Self.write("swap", to: files[5].url.deletingLastPathComponent().appendingPathComponent(".报告.txt.swp"))
        #expect(try corpus.fingerprint() == previous)
        #expect(try corpus.fingerprint(knowing: known) == previous)
    }

    @Test func anUnchangedFolderIsNotReadAndARacyOneIs() throws {
        let root = try IndexLifecycleTests.makeCorpus("rsearch-stale-reuse", count: 8)
        let corpus = Corpus(root: root)
        // Just written: every folder is too recent to trust.
        #expect(try corpus.scan().folders.allSatisfy { $0.mtime == CorpusFolder.unknownTime })

        try Self.backdate(root)
        let folders = try corpus.scan().folders
        let full = try corpus.fingerprint()
        // A recorded sum that is wrong shows through: the folder was not read.
        var altered = folders
        altered[0].stamp &+= 1
        #expect(try corpus.fingerprint(knowing: altered) != full)
        // Unless the folder's time is not trusted: then it is read.
        altered[0].mtime = CorpusFolder.unknownTime
        #expect(try corpus.fingerprint(knowing: altered) == full)
    }

    @Test func searchSaysWhenTheCorpusOrAShownReportChanged() throws {
        var cli = CommandLineTests()
        cli.workspace = CommandLineTests.makeWorkspace("rsearch-stale-cli")
        let corpus = cli.workspace.corpus
        let stale = "the corpus has changed since the index was built"
        try Self.backdate(corpus)
        #expect(try cli.run(["index", "-q"]).status == 0)
        let fresh = try cli.run(["意识形态"])
        #expect(fresh.status == 0)
        #expect(!fresh.stderr.contains("changed"), "a current index: no note (\(fresh.stderr))")

        // A new document: the root folder's time changed.
        try Self.write("新增报告\n一、意识形态\n", to: corpus.appendingPathComponent("新增.txt"))
        #expect(try cli.run(["意识形态"]).stderr.contains(stale))
        try Self.backdate(corpus)
        #expect(try cli.run(["index", "-q"]).status == 0)
        #expect(!(try cli.run(["意识形态"]).stderr.contains("changed")))

        // An edit in place of a report the search shows.
        let seed = corpus.appendingPathComponent(URL(fileURLWithPath: Fixtures.seedPath).lastPathComponent)
        try Self.append("\n补充：意识形态工作责任制。\n", to: seed)
        let edited = try cli.run(["意识形态", "--json"])
        #expect(edited.stderr.contains("\(seed.lastPathComponent) changed since the index was built; run `rsearch index`"),
                "\(edited.stderr)")
        #expect(try cli.run(["index", "-q"]).status == 0)
        let updated = try cli.run(["意识形态工作责任制"])
        #expect(updated.status == 0)
        #expect(!updated.stderr.contains("changed"))
    }
}
