import Foundation
import Testing
@testable import RSearchOutput

/// The built `rsearch` binary, run as a user or a script would run it.
@Suite(.serialized) struct CommandLineTests {
    static let binary: URL? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Fixtures.packageRoot.appendingPathComponent(".build/debug"),
        ]
        for dir in candidates {
            var url = dir
            for _ in 0..<4 {
                let candidate = url.appendingPathComponent("rsearch")
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                    return candidate
                }
                url.deleteLastPathComponent()
            }
        }
        return nil
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A corpus of two reports and an index path in a fresh folder.
    static let workspace = makeWorkspace("rsearch-cli")

    static func makeWorkspace(_ name: String) -> (corpus: URL, index: URL) {
        let root = Fixtures.temporaryDirectory(name)
        let corpus = root.appendingPathComponent("my reports")
        try! FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        for path in [Fixtures.seedPath, "gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt"] {
            try! FileManager.default.copyItem(
                at: Fixtures.shippedCorpus.appendingPathComponent(path),
                to: corpus.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent))
        }
        return (corpus, root.appendingPathComponent("idx/rsearch.sqlite"))
    }

    /// Which workspace `run` uses; suites running in parallel each have their own.
    var workspace = CommandLineTests.workspace

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let locations = ["--corpus", workspace.corpus.path, "--index", workspace.index.path]
        if let first = arguments.first, ["search", "index", "list", "show", "stats", "export"].contains(first) {
            return try Self.launch([first] + locations + arguments.dropFirst(), environment: environment)
        }
        return try Self.launch(locations + arguments, environment: environment)
    }

    /// Runs the binary with NO_COLOR and the RSEARCH_ variables cleared, and
    /// collects its output and status.
    static func launch(_ arguments: [String], directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let binary = try #require(Self.binary, "the rsearch binary was not built")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for key in ["RSEARCH_CORPUS", "RSEARCH_INDEX", "NO_COLOR"] { env.removeValue(forKey: key) }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func firstSearchBuildsTheIndexAndExitCodesFollowGrep() throws {
        let first = try run(["意识形态"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("三是抓实党建阵地，筑牢意识形态根基"))
        #expect(!first.stdout.contains("\u{1B}["), "piped output has no escape codes")
        #expect(try run(["这个词组不会出现在任何报告里"]).status == 1)
        let bad = try run(["(意识形态"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "rsearch: query error at column 1: unbalanced '('\n")
        #expect(try run(["--limit", "0", "党"]).status == 2)
        #expect(try run(["--no-such-option", "党"]).status == 2)
    }

    /// `rsearch WORDS…` skips ArgumentParser (it costs milliseconds at each
    /// start); the answer must be exactly what `rsearch search WORDS…` gives.
    /// Bad option values and combinations: one line naming the option and
    /// what it allows, exit 2; a line past the end of a file is an error;
    /// "no matches" and an empty corpus are said like every other message.
    @Test func badValuesAndCombinationsAreOneLineEach() throws {
        _ = try run(["index", "-q"])
        for (arguments, option) in [(["--limit", "-1"], "--limit"), (["--offset", "-3"], "--offset"),
                                    (["--context", "-5"], "--context"), (["-l", "-c"], "-l and -c"),
                                    (["--all", "--limit", "5"], "--all and --limit")] {
            let r = try run(arguments + ["党"])
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.hasPrefix("rsearch: ") || r.stderr.hasPrefix("Error: "), "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(option) && !r.stderr.contains("Missing value"), "\(arguments): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count <= 3, "\(arguments): \(r.stderr)")
        }
        let seed = URL(fileURLWithPath: Fixtures.seedPath).lastPathComponent
        let lines = try Fixtures.read(Fixtures.seedPath).split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(try run(["show", "\(seed):\(lines - 1)"]).status == 0)
        let beyond = try run(["show", "\(seed):99999"])
        #expect(beyond.status == 2)
        #expect(beyond.stderr == "rsearch: \(seed): has no line 99999\n")
        let none = try run(["量子纠缠态报告"])
        #expect(none.status == 1 && none.stderr == "rsearch: no matches for 量子纠缠态报告\n")
        let empty = Self.makeWorkspace("rsearch-cli-empty")
        for file in try FileManager.default.contentsOfDirectory(atPath: empty.corpus.path) {
            try FileManager.default.removeItem(at: empty.corpus.appendingPathComponent(file))
        }
        let indexed = try Self.launch(["index", "--corpus", empty.corpus.path, "--index", empty.index.path])
        #expect(indexed.status == 0)
        #expect(indexed.stderr.contains("warning: the corpus holds no reports (rsearch reads .doc, .docx, .htm, .html, .markdown, .md, .odt, .ofd, .pdf, .rtf, .txt, .wps files)"),
                "\(indexed.stderr)")
    }

    /// Spaces inside a byline or title do not keep a filter from matching
    /// (`上海市市长 龚 正` by `龚正`), on either side, in `list` and in a search.
    @Test func filtersIgnoreSpacesInMetadata() throws {
        _ = try run(["index", "-q"])
        let listed = try run(["list", "--author", "龚正"])
        #expect(listed.status == 0 && listed.stdout.contains("2026_上海市_政府工作报告.txt"), "\(listed.stdout)")
        #expect(try run(["list", "--author", "龚 正"]).stdout == listed.stdout)
        let found = try run(["经济", "author:龚正", "--json"])
        #expect(found.status == 0 && found.stdout.contains("龚 正"))
        #expect(try run(["list", "--author", "龚正x"]).status == 1)
    }

    /// `--help` at 80 columns: the overview and examples of every command
    /// fit as written (ArgumentParser's wrapping of text already wrapped by
    /// hand left orphaned words), no line wider than the terminal.
    @Test func helpFitsEightyColumnsAsWritten() throws {
        for command in [[], ["search"], ["index"], ["init"], ["export"], ["list"], ["show"], ["stats"]] {
            func head(_ columns: Int) throws -> [String] {
                let help = try Self.launch(command + ["--help"], environment: ["COLUMNS": String(columns)]).stdout
                return Array(help.components(separatedBy: "\n").prefix { !$0.hasPrefix("USAGE:") })
            }
            let narrow = try head(80)
            #expect(narrow == (try head(300)), "\(command): rewrapped at 80 columns")
            #expect(narrow.allSatisfy { DisplayWidth.of($0) <= 80 }, "\(command): \(narrow.filter { DisplayWidth.of($0) > 80 })")
            #expect(narrow.first?.hasPrefix("OVERVIEW: ") == true, "\(command)")
        }
    }

    @Test func aPlainQueryAnswersAsTheParsedCommandDoes() throws {
        let env = ["RSEARCH_CORPUS": workspace.corpus.path, "RSEARCH_INDEX": workspace.index.path]
        _ = try Self.launch(["index", "-q"], environment: env)
        for words in [["意识形态"], ["意识形态", "党建"], ["意识形态", "year:2022"], ["\"两个确立\"", "OR", "改革"],
                      ["(意识形态"], ["这个词组不会出现在任何报告里"], ["党", "kind:述职报告"]] {
            let plain = try Self.launch(words, environment: env)
            let parsed = try Self.launch(["search"] + words, environment: env)
            #expect(plain.status == parsed.status, "\(words)")
            #expect(plain.stdout == parsed.stdout, "\(words)")
            #expect(plain.stderr == parsed.stderr, "\(words)")
        }
    }

    /// The shortcut must never take a subcommand's name for a query: every
    /// name `--help` lists (and `help`) runs the subcommand, which answers
    /// otherwise than a search for that word.
    @Test func subcommandNamesAreNotTakenForQueries() throws {
        let env = ["RSEARCH_CORPUS": workspace.corpus.path, "RSEARCH_INDEX": workspace.index.path,
                   "XDG_CONFIG_HOME": Fixtures.temporaryDirectory("rsearch-names").path]
        let help = try Self.launch(["--help"], environment: env).stdout
        let listed = try #require(help.components(separatedBy: "SUBCOMMANDS:").last)
            .split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
                return line.split(separator: " ").first.map(String.init)
            }.filter { $0 != "See" }
        #expect(listed.count >= 7, "\(listed)")
        for name in listed + ["help"] {
            let asCommand = try Self.launch([name], environment: env)
            let asQuery = try Self.launch(["search", "--", name], environment: env)
            #expect(asCommand.stdout + asCommand.stderr != asQuery.stdout + asQuery.stderr, "\(name) ran as a query")
        }
    }

    @Test func jsonParsesAndFollowsTheSchema() throws {
        let r = try run(["意识形态", "--json", "--all"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["query"] as? String == "意识形态")
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(object["total"] as? Int == hits.count)
        let first = try #require(hits.first)
        let report = try #require(first["report"] as? [String: Any])
        #expect(report["year"] as? Int == 2022)
        #expect(report["kind"] as? String == "述职报告")
        #expect(report["author"] as? String == "局机关党委书记")
        #expect(report.keys.sorted() == ["author", "date", "enacted", "kind", "ocr", "path", "title", "unit", "year"])
        let section = try #require(first["section"] as? [String: Any])
        #expect(section["path"] as? [String] == ["一、主要工作", "（二）强化组织建设，党建工作成效明显", "三是抓实党建阵地，筑牢意识形态根基"])
        let text = try #require(section["text"] as? String)
        let scalars = Array(text.unicodeScalars)
        let matches = try #require(first["matches"] as? [[Int]])
        #expect(matches.count == 4)
        for m in matches {
            #expect(String(String.UnicodeScalarView(scalars[m[0]..<m[1]])) == "意识形态")
        }
        let none = try run(["这个词组不会出现在任何报告里", "--json"])
        #expect(none.status == 1)
        let empty = try #require(try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [String: Any])
        #expect((empty["hits"] as? [Any])?.isEmpty == true)
        #expect(empty["total"] as? Int == 0)
    }

    @Test func nastyInputNeverLeaksSQLite() throws {
        for q in ["\"", "*", "NEAR(", "'; DROP TABLE report; --", "a:b:c", "^党", "\u{1}", "😀", "-", "kind:", "NEAR/x 党"] {
            let r = try run(["search", "--", q])
            #expect([0, 1, 2].contains(r.status), "\(q)")
            #expect(!r.stderr.lowercased().contains("sqlite") && !r.stderr.contains("fts5"), "\(q): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count <= 1, "\(q): \(r.stderr)")
        }
    }

    @Test func indexCommandReportsAndRebuilds() throws {
        _ = try run(["党"])  // make sure an index exists
        let update = try run(["index"])
        #expect(update.status == 0)
        #expect(update.stderr.contains("up to date"))
        let rebuild = try run(["index", "--rebuild"])
        #expect(rebuild.status == 0)
        #expect(rebuild.stderr.contains("indexed 2 reports"))
        #expect(try run(["index", "--rebuild", "-q"]).stderr.isEmpty)
    }

    @Test func missingCorpusIsOneClearLine() throws {
        let dir = Fixtures.temporaryDirectory("rsearch-nocorpus")
        let r = try Self.launch(["党", "--corpus", dir.appendingPathComponent("nothing here").path,
                                 "--index", dir.appendingPathComponent("i.sqlite").path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("rsearch: corpus folder not found: "))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
