import Foundation
import Testing
@testable import RSearchQuery
@testable import RSearchOutput

/// What people and scripts see: colour rules, every export format read back
/// with standard parsers, browsing commands, and a search rendered in a real
/// pseudo-terminal.
@Suite(.serialized) struct CommandLineOutputTests {
    static let workspace = CommandLineTests.makeWorkspace("rsearch-cli-output")
    let cli = CommandLineTests(workspace: CommandLineOutputTests.workspace)

    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        #expect(try !cli.run(["意识形态"]).stdout.contains("\u{1B}["))
        #expect(try cli.run(["意识形态", "--color", "always"]).stdout.contains("\u{1B}["))
        #expect(try !cli.run(["意识形态", "--color", "never"]).stdout.contains("\u{1B}["))
        // In a terminal: colour by default, none with NO_COLOR or --color never.
        let tty = try Self.inTerminal(["意识形态"], columns: 100)
        #expect(tty.contains("\u{1B}["))
        #expect(try !Self.inTerminal(["意识形态"], columns: 100, environment: ["NO_COLOR": "1"]).contains("\u{1B}["))
        #expect(try !Self.inTerminal(["意识形态", "--color", "never"], columns: 100).contains("\u{1B}["))
    }

    @Test func jsonLinesCarryTheHitFieldsAndTheQuery() throws {
        let r = try cli.run(["意识形态", "--format", "jsonl", "--all"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        let json = try cli.run(["意识形态", "--json", "--all"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(lines.count == hits.count)
        for (line, hit) in zip(lines, hits) {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(o["query"] as? String == "意识形态")
            #expect(Set(o.keys) == Set(hit.keys).union(["query"]))
            #expect((o["section"] as? [String: Any])?["text"] as? String == (hit["section"] as? [String: Any])?["text"] as? String)
        }
    }

    /// CSV read back by Python's csv module (RFC 4180), with and without
    /// Excel's byte-order mark.
    @Test func csvRoundTripsThroughAStandardParser() throws {
        let dir = Fixtures.temporaryDirectory("rsearch-csv")
        let plain = dir.appendingPathComponent("hits.csv")
        let excel = dir.appendingPathComponent("hits-excel.csv")
        #expect(try cli.run(["意识形态", "--format", "csv", "--all", "--output", plain.path]).status == 0)
        #expect(try cli.run(["意识形态", "--format", "csv", "--excel", "--all", "--output", excel.path]).status == 0)
        let excelBytes = try Data(contentsOf: excel)
        #expect(Array(excelBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(excelBytes.dropFirst(3) == (try Data(contentsOf: plain)))

        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
                print(json.dumps(list(csv.DictReader(f)), ensure_ascii=False))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, excel.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: String]])
        let json = try cli.run(["意识形态", "--json", "--all"])
        let hits = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(rows.count == hits.count)
        for (row, hit) in zip(rows, hits) {
            let report = hit["report"] as! [String: Any]
            let section = hit["section"] as! [String: Any]
            #expect(row["report_path"] == report["path"] as? String)
            #expect(row["title"] == report["title"] as? String)
            let year: String = (report["year"] as? Int).map { String($0) } ?? ""
            #expect(row["year"] == year)
            #expect(row["section_path"] == (section["path"] as! [String]).joined(separator: " › "))
            #expect(row["line"] == String(section["line"] as! Int))
            #expect(row["snippet"] == hit["snippet"] as? String)
            #expect(row["match_count"] == String((hit["matches"] as! [Any]).count))
        }
    }

    @Test func scriptingFlags() throws {
        let l = try cli.run(["意识形态", "-l"])
        let listed = l.stdout.split(separator: "\n").map(String.init)
        #expect(listed.first == "2022_局机关党委书记_抓基层党建工作述职报告.txt", "the best hit's report first")
        #expect(Set(listed).count == listed.count, "each report once")
        let c = try cli.run(["意识形态", "-c"])
        #expect(c.stdout.contains("2022_局机关党委书记_抓基层党建工作述职报告.txt:5\n"))  // 4 + 1 occurrences
        // -l and -c skip reading the text they do not print; what they print
        // must still be what every hit of `--json --all` says.
        for query in ["党", "一、", "经济 year:2020..2026"] {
            let full = try cli.run([query, "--json", "--all"])
            let hits = (try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])?["hits"]
                as? [[String: Any]] ?? []
            #expect(!hits.isEmpty, "\(query) has hits")
            var order: [String] = []
            var counts: [String: Int] = [:]
            for hit in hits {
                let path = (hit["report"] as! [String: Any])["path"] as! String
                if counts[path] == nil { order.append(path) }
                counts[path, default: 0] += (hit["matches"] as! [Any]).count
            }
            #expect(try cli.run([query, "-l"]).stdout == order.map { $0 + "\n" }.joined(), "-l \(query)")
            #expect(try cli.run([query, "-c"]).stdout == order.map { "\($0):\(counts[$0]!)\n" }.joined(), "-c \(query)")
        }
        let page1 = try cli.run(["党", "--json", "--limit", "3"])
        let page2 = try cli.run(["党", "--json", "--limit", "3", "--offset", "3"])
        let all = try cli.run(["党", "--json", "--limit", "6"])
        func ranks(_ r: CommandLineTests.Run) throws -> [String] {
            let hits = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]] ?? []
            return hits.map { "\(($0["report"] as! [String: Any])["path"]!):\(($0["section"] as! [String: Any])["line"]!)" }
        }
        #expect(try ranks(page1) + ranks(page2) == ranks(all))
        let byYear = try cli.run(["党", "--json", "--all", "--sort", "year"])
        let years = ((try JSONSerialization.jsonObject(with: Data(byYear.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]] ?? [])
            .map { ($0["report"] as! [String: Any])["year"] as? Int ?? 0 }
        #expect(years == years.sorted(by: >))
    }

    @Test func browsingCommands() throws {
        _ = try cli.run(["党"])
        let list = try cli.run(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("局机关党委书记2022年度抓基层党建工作述职报告"))
        #expect(list.stdout.contains("2026年上海市政府工作报告"))
        let listJSON = try cli.run(["list", "--json", "--kind", "述职报告"])
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(listJSON.stdout.utf8)) as? [[String: Any]])
        #expect(reports.count == 1)
        #expect(reports.first?["author"] as? String == "局机关党委书记")

        let outline = try cli.run(["show", "2022_局机关党委书记_抓基层党建工作述职报告.txt"])
        #expect(outline.status == 0)
        #expect(outline.stdout.contains("三是抓实党建阵地，筑牢意识形态根基"))
        #expect(outline.stdout.contains(":6"))
        let section = try cli.run(["show", "2022_局机关党委书记_抓基层党建工作述职报告.txt:9"])
        #expect(section.stdout.contains("二、存在问题"))
        #expect(section.stdout.contains("我对标党的二十大重大决策"))
        let numbered = try cli.run(["show", "2022_局机关党委书记_抓基层党建工作述职报告.txt", "--section", "2"])
        #expect(numbered.stdout.contains("一、主要工作"))
        #expect(try cli.run(["show", "没有这个报告.txt"]).status == 2)

        let stats = try cli.run(["stats", "--json"])
        let s = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(s["reports"] as? Int == 2)
        #expect((s["sections"] as? Int ?? 0) > 30)
        #expect((s["characters"] as? Int ?? 0) > 10_000)
    }

    /// A search as a person sees it in an 80-column terminal: no line wider
    /// than the terminal, and every snippet line starting in the same column,
    /// whatever the mix of CJK and Latin text.
    @Test func terminalLayoutByDisplayWidth() throws {
        for columns in [60, 80] {
            let screen = try Self.inTerminal(["发展 OR GDP OR 2022年", "--limit", "8"], columns: columns)
            let lines = screen.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map { Self.stripANSI(String($0)) }
            #expect(lines.count > 10)
            for line in lines {
                #expect(DisplayWidth.of(line) <= columns, "\(DisplayWidth.of(line)) > \(columns): \(line)")
            }
            // Hit lines start with a right-aligned rank; snippet lines with the indent.
            let hitLines = lines.filter { $0.range(of: #"^ *[0-9]+  "#, options: .regularExpression) != nil }
            #expect(hitLines.count == 8)
            let indent = hitLines.map { line in
                line.distance(from: line.startIndex, to: line.range(of: #"^ *[0-9]+  "#, options: .regularExpression)!.upperBound)
            }
            #expect(Set(indent).count == 1, "ranks and headings align")
        }
    }

    /// `rsearch index` on a terminal: a live progress line, then the summary;
    /// piped, only the summary; `-q`, nothing.
    @Test func indexProgressOnATerminal() throws {
        let screen = try Self.inTerminal(["index", "--rebuild"], columns: 100)
        #expect(screen.contains("/2 files"))
        #expect(screen.contains("MB/s"))
        #expect(screen.contains("rsearch: indexed 2 reports"))
        let piped = try cli.run(["index", "--rebuild"])
        #expect(!piped.stderr.contains("MB/s") && piped.stderr.hasPrefix("rsearch: indexed 2 reports"))
        #expect(try Self.inTerminal(["index", "--rebuild", "-q"], columns: 100).isEmpty)
    }

    static func stripANSI(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
    }

    /// Runs rsearch under `script`, which gives it a pseudo-terminal of the
    /// given width, and returns what it printed.
    static func inTerminal(_ arguments: [String], columns: Int, environment: [String: String] = [:]) throws -> String {
        let binary = try #require(CommandLineTests.binary)
        let ws = Self.workspace
        let quoted = ([binary.path] + arguments + ["--corpus", ws.corpus.path, "--index", ws.index.path])
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-q", "-e", "-c", "stty cols \(columns) rows 50; \(quoted)", "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env["TERM"] = "xterm-256color"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The OpenSearch export: valid bulk NDJSON, one action and one document per
/// section, documents carrying every report and section field of the hit
/// schema, and a mapping with the bigram analyzer.
@Suite struct OpenSearchExportTests {
    @Test func bulkNDJSONAndMapping() throws {
        let cli = CommandLineTests(workspace: CommandLineTests.makeWorkspace("rsearch-export"))
        _ = try cli.run(["党"])  // builds the index
        let dir = Fixtures.temporaryDirectory("rsearch-export-out")
        let bulk = dir.appendingPathComponent("bulk.ndjson")
        let mapping = dir.appendingPathComponent("mapping.json")
        let r = try cli.run(["export", "--format", "opensearch", "--output", bulk.path, "--mapping", mapping.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: bulk, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "bulk bodies end with a newline")
        let body = lines.dropLast()
        #expect(body.count % 2 == 0)
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(cli.run(["stats", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(body.count / 2 == stats["sections"] as? Int)
        var ids = Set<String>()
        for (n, line) in body.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if n % 2 == 0 {
                let action = try #require(object["index"] as? [String: Any])
                #expect(action["_index"] as? String == "rsearch")
                #expect(ids.insert(try #require(action["_id"] as? String)).inserted)
            } else {
                let report = try #require(object["report"] as? [String: Any])
                #expect(Set(report.keys) == ["path", "title", "year", "date", "kind", "author", "unit", "enacted", "ocr"])
                let section = try #require(object["section"] as? [String: Any])
                #expect(Set(section.keys) == ["path", "heading", "line", "page", "text"])
            }
        }
        let m = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: mapping)) as? [String: Any])
        let analysis = ((m["settings"] as? [String: Any])?["analysis"] as? [String: Any])
        let analyzer = ((analysis?["analyzer"] as? [String: Any])?["rsearch_cjk"] as? [String: Any])
        #expect(analyzer?["filter"] as? [String] == ["cjk_width", "lowercase", "rsearch_bigram"])
        #expect(((analysis?["filter"] as? [String: Any])?["rsearch_bigram"] as? [String: Any])?["output_unigrams"] as? Bool == true)
    }
}
