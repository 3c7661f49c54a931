import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore
@testable import RSearchEngine

/// Incremental updates, interrupted builds, concurrent searches and damaged
/// index files.
@Suite(.serialized) struct IndexLifecycleTests {
    static let queries = ["意识形态", "改革开放", "党", "经济增长", "2022年", "“两个确立”", "新质生产力"]

    /// A corpus folder with a copy of some shipped reports.
    static func makeCorpus(_ name: String, count: Int = 24) throws -> URL {
        let root = Fixtures.temporaryDirectory(name)
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let files = try Corpus(root: Fixtures.shippedCorpus).files()
        for file in files.prefix(count) + [files.first { $0.path == Fixtures.seedPath }!] {
            let target = corpus.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.copyItem(at: file.url, to: target)
            }
        }
        return corpus
    }

    /// Every hit of every query, as comparable rows.
    static func snapshot(_ index: URL) throws -> [String] {
        let searcher = Searcher(index: try IndexDatabase(path: index))
        var options = SearchOptions()
        options.limit = nil
        var rows: [String] = []
        for q in queries {
            let result = try searcher.search(q, options: options)
            rows.append("\(q) total \(result.total)")
            rows += result.hits.map { "\(q) \($0.report.path):\($0.section.line) \($0.section.path) \($0.matches) \($0.report.metadata)" }
                .sorted()
        }
        return rows
    }

    @Test func updatesEqualRebuilds() throws {
        let corpus = try Self.makeCorpus("rsearch-incr")
        let index = corpus.deletingLastPathComponent().appendingPathComponent("index/rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: index)
        _ = try builder.build()

        let fm = FileManager.default
        let files = try Corpus(root: corpus).files()
        // Edit one, delete one, rename one, add one.
        let edited = files[1].url
        try (String(contentsOf: edited, encoding: .utf8) + "\n新增一段：新质生产力与意识形态工作。\n")
            .write(to: edited, atomically: true, encoding: .utf8)
        try fm.removeItem(at: files[2].url)
        try fm.moveItem(at: files[3].url, to: corpus.appendingPathComponent("renamed 文件.txt"))
        try "新增报告\n一、意识形态\n改革开放，经济增长。\n".write(
            to: corpus.appendingPathComponent("added.txt"), atomically: true, encoding: .utf8)

        let summary = try builder.update()
        #expect(!summary.rebuilt)
        #expect(summary.added == 1)
        #expect(summary.updated == 1)
        #expect(summary.removed == 1)
        #expect(summary.renamed == 1, "a renamed file is recognised by its content")
        #expect(summary.unchanged == files.count - 3)

        let fresh = corpus.deletingLastPathComponent().appendingPathComponent("fresh.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: fresh).build()
        #expect(try Self.snapshot(index) == Self.snapshot(fresh))
        #expect(try IndexDatabase(path: index).fingerprint() == Corpus(root: corpus).fingerprint(), "the index is current")
    }

    @Test func anUnchangedCorpusCausesNoWrites() throws {
        let corpus = try Self.makeCorpus("rsearch-nowrite", count: 5)
        let index = corpus.deletingLastPathComponent().appendingPathComponent("rsearch.sqlite")
        let builder = IndexBuilder(corpus: Corpus(root: corpus), destination: index)
        _ = try builder.build()
        let before = try FileManager.default.attributesOfItem(atPath: index.path)
        let beforeBytes = try Data(contentsOf: index)
        Thread.sleep(forTimeInterval: 0.05)
        let summary = try builder.update()
        #expect(!summary.changed)
        let after = try FileManager.default.attributesOfItem(atPath: index.path)
        #expect(after[.systemFileNumber] as? Int == before[.systemFileNumber] as? Int, "same file, not a replacement")
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
        #expect(try Data(contentsOf: index) == beforeBytes)
    }

    // MARK: - Interruptions

    static func runBinary(_ arguments: [String]) throws -> Process {
        let binary = try #require(CommandLineTests.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func total(_ index: URL, _ query: String) throws -> Int {
        var options = SearchOptions()
        options.limit = 1
        return try Searcher(index: IndexDatabase(path: index)).search(query, options: options).total
    }

    /// SIGKILL at 24 varied moments of rebuilds and updates: each time the
    /// index opens and answers with the old or the new result, and the next
    /// `rsearch index` completes.
    @Test func killedRebuildsAndUpdatesLeaveAWorkingIndex() throws {
        let corpus = try Self.makeCorpus("rsearch-kill", count: 60)
        let index = corpus.deletingLastPathComponent().appendingPathComponent("rsearch.sqlite")
        let locations = ["--corpus", corpus.path, "--index", index.path]
        let extra = corpus.appendingPathComponent("extra.txt")
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: index).build()
        let withoutExtra = try Self.total(index, "意识形态")
        var (rng, seed) = SeededGenerator.fromEnvironment(default: 5)
        // How long an uninterrupted rebuild and update take on this machine
        // now, so that the kills are spread over the writes whatever its speed.
        func timed(_ arguments: [String]) throws -> Double {
            let start = Date()
            let p = try Self.runBinary(arguments + locations)
            p.waitUntilExit()
            return Date().timeIntervalSince(start)
        }
        let rebuildTime = try timed(["index", "--rebuild"])
        try "额外报告\n意识形态工作。\n".write(to: extra, atomically: true, encoding: .utf8)
        let updateTime = try timed(["index"])
        try FileManager.default.removeItem(at: extra)
        _ = try timed(["index"])
        var killedMidway = 0
        for trial in 0..<24 {
            // Toggle a report containing the query: old and new differ by one.
            let adding = !FileManager.default.fileExists(atPath: extra.path)
            if adding {
                try "额外报告\n意识形态工作。\n".write(to: extra, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.removeItem(at: extra)
            }
            let old = adding ? withoutExtra : withoutExtra + 1
            let new = adding ? withoutExtra + 1 : withoutExtra
            let rebuild = trial % 2 == 0
            let process = try Self.runBinary(["index"] + (rebuild ? ["--rebuild"] : []) + locations)
            // Moments from the start to 85% of the way through, with jitter.
            let fraction = Double(trial / 2) / 12 * 0.85 + Double.random(in: 0...0.03, using: &rng)
            Thread.sleep(forTimeInterval: fraction * (rebuild ? rebuildTime : updateTime))
            if process.isRunning { killedMidway += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let seen = try Self.total(index, "意识形态")
            #expect(seen == old || seen == new, "seed \(seed) trial \(trial): \(seen) is neither \(old) nor \(new)")
            let next = try Self.runBinary(["index"] + locations)
            next.waitUntilExit()
            #expect(next.terminationStatus == 0, "trial \(trial)")
            #expect(try Self.total(index, "意识形态") == new, "trial \(trial)")
        }
        #expect(killedMidway >= 12, "most kills should land while the index was being written")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: index.deletingLastPathComponent().path)
            .filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// The state a crash leaves in the middle of an update's commit: changed
    /// pages already in the file, the originals in its journal. The next
    /// reader must roll it back and see the old index.
    @Test func anInterruptedUpdateIsRolledBackByTheNextReader() throws {
        let corpus = try Self.makeCorpus("rsearch-journal", count: 6)
        let dir = corpus.deletingLastPathComponent()
        let live = dir.appendingPathComponent("live.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: live).build()
        let before = try Self.total(live, "意识形态")
        #expect(before > 0)
        let crashed = dir.appendingPathComponent("crashed.sqlite")
        let fm = FileManager.default

        let queue = try IndexBuilder.openInPlace(live)
        try queue.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            // A tiny cache makes SQLite write changed pages to the file
            // before the commit, as a large update would.
            try db.execute(sql: "PRAGMA cache_size = 2")
            try db.execute(sql: "INSERT INTO section_fts(section_fts) VALUES('delete-all')")
            try db.execute(sql: "DELETE FROM section_store")
            // The files as a kill at this moment would leave them.
            try fm.copyItem(at: live, to: crashed)
            try fm.copyItem(at: URL(fileURLWithPath: live.path + "-journal"), to: URL(fileURLWithPath: crashed.path + "-journal"))
            try db.execute(sql: "ROLLBACK")
        }
        try queue.close()
        #expect(try Data(contentsOf: crashed) != Data(contentsOf: live), "changed pages reached the file")

        #expect(try Self.total(crashed, "意识形态") == before)
        #expect(!fm.fileExists(atPath: crashed.path + "-journal"), "the reader rolled the journal back")
        #expect(try Self.snapshot(crashed) == Self.snapshot(live))
    }

    // MARK: - Concurrency

    @Test func searchesDuringUpdatesAndRebuildsNeverFail() throws {
        let corpus = try Self.makeCorpus("rsearch-conc", count: 60)
        let index = corpus.deletingLastPathComponent().appendingPathComponent("rsearch.sqlite")
        let locations = ["--corpus", corpus.path, "--index", index.path]
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: index).build()
        let expected = try Self.total(index, "改革开放")

        let writer = Thread {
            for n in 0..<4 {
                try? "并发测试\(n)\n内容。\n".write(to: corpus.appendingPathComponent("c\(n).txt"), atomically: true, encoding: .utf8)
                let p = try? Self.runBinary(["index"] + (n % 2 == 0 ? ["--rebuild"] : []) + locations)
                p?.waitUntilExit()
            }
        }
        writer.start()
        var searches = 0
        var failures: [String] = []
        let deadline = Date().addingTimeInterval(60)
        while !writer.isFinished && Date() < deadline {
            do {
                let total = try Self.total(index, "改革开放")
                if total != expected { failures.append("total \(total)") }
            } catch {
                failures.append(String(describing: error))
            }
            searches += 1
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(searches > 10)
    }

    @Test func aSecondWriterIsTurnedAwayClearly() throws {
        let corpus = try Self.makeCorpus("rsearch-lock", count: 3)
        let index = corpus.deletingLastPathComponent().appendingPathComponent("rsearch.sqlite")
        let lock = try IndexLock(index: index)
        defer { lock.release() }
        #expect(throws: IndexError.busy(path: index.path)) {
            try IndexBuilder(corpus: Corpus(root: corpus), destination: index).build()
        }
    }

    // MARK: - Damaged and foreign files

    @Test func damagedForeignAndIncompatibleIndexesAreReportedThenReplaced() throws {
        let corpus = try Self.makeCorpus("rsearch-damage", count: 3)
        let dir = corpus.deletingLastPathComponent()
        let good = dir.appendingPathComponent("good.sqlite")
        _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: good).build()
        let goodBytes = try Data(contentsOf: good)

        func expectUnusable(_ data: Data, _ label: String) throws {
            let path = dir.appendingPathComponent("\(label).sqlite")
            try data.write(to: path)
            do {
                let result = try Searcher(index: IndexDatabase(path: path)).search("意识形态")
                Issue.record("\(label): searched a damaged index (\(result.total) hits)")
            } catch let error as IndexError {
                switch error {
                case .unreadable(let p, _), .incompatible(let p, _, _): #expect(p == path.path, "\(label)")
                default: Issue.record("\(label): \(error)")
                }
            }
            // The command line words it in one line, with the advice, and exits 2.
            let cli = try CommandLineTests.launch(["search", "--corpus", corpus.path, "--index", path.path, "意识形态"])
            #expect(cli.status == 2, "\(label)")
            #expect(cli.stderr.contains("rsearch index --rebuild") && cli.stderr.hasPrefix("rsearch: "), "\(label): \(cli.stderr)")
            #expect(cli.stderr.filter { $0 == "\n" }.count == 1, "\(label): \(cli.stderr)")
            // `rsearch index` replaces it.
            let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: path).update()
            #expect(summary.rebuilt, "\(label)")
            #expect(try Self.total(path, "意识形态") > 0, "\(label)")
        }
        try expectUnusable(goodBytes.prefix(goodBytes.count / 3), "truncated")
        try expectUnusable(Data("this is not a database, just text".utf8), "text")
        try expectUnusable(Data(repeating: 0xAB, count: 65536), "noise")
        var corrupted = goodBytes
        for i in stride(from: 8192, to: corrupted.count, by: 97) { corrupted[i] ^= 0x5A }
        try expectUnusable(corrupted, "corrupted")

        // Sound pages, but stored section text that does not decode: the
        // search fails with the same one-line advice, rather than show garbage.
        let garbled = dir.appendingPathComponent("garbled.sqlite")
        try goodBytes.write(to: garbled)
        try DatabaseQueue(path: garbled.path).write { db in
            try db.execute(sql: "UPDATE section_store SET body = x'0102'")
        }
        do {
            let result = try Searcher(index: IndexDatabase(path: garbled)).search("意识形态")
            Issue.record("searched undecodable sections (\(result.total) hits)")
        } catch let error as IndexError {
            guard case .unreadable(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("cannot be decoded"))
        }
        let cli = try CommandLineTests.launch(["search", "--corpus", corpus.path, "--index", garbled.path, "意识形态"])
        #expect(cli.status == 2)
        #expect(cli.stderr.contains("cannot be decoded") && cli.stderr.contains("rsearch index --rebuild"), "\(cli.stderr)")
        #expect(cli.stderr.filter { $0 == "\n" }.count == 1, "\(cli.stderr)")

        // An index of another format version.
        let foreign = dir.appendingPathComponent("foreign.sqlite")
        try goodBytes.write(to: foreign)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [foreign.path, "UPDATE meta SET value = 'rsearch-index-0' WHERE key = 'format'"]
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus == 0 {
            #expect(throws: IndexError.incompatible(path: foreign.path, found: "rsearch-index-0", expected: Schema.format)) {
                _ = try IndexDatabase(path: foreign)
            }
        }
    }

    @Test func anUnwritableLocationIsAClearError() throws {
        let corpus = try Self.makeCorpus("rsearch-unwritable", count: 2)
        let blocker = corpus.deletingLastPathComponent().appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let index = blocker.appendingPathComponent("sub/rsearch.sqlite")
        do {
            _ = try IndexBuilder(corpus: Corpus(root: corpus), destination: index).build()
            Issue.record("built an index under a regular file")
        } catch let error as IndexError {
            guard case .notWritable = error else { Issue.record("\(error)"); return }
        }
    }
}
