import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RSearchEngine
@testable import RSearchServer

/// The API beyond a page of hits: facets, a report's preview, its original
/// file, the exports, the corpus's freshness, and the bounds on a request
/// (a body, a time limit, a slow client), each against an independent
/// answer: the command line's own output for the same query, the file's
/// bytes, a socket held open.
@Suite struct ServerResourcesTests {
    /// The shipped corpus (113 reports, read in place), indexed apart.
    static let index = Fixtures.temporaryDirectory("rsearch-serve-resources").appendingPathComponent("rsearch.sqlite")
    static let engine: Result<Engine, Error> = Result {
        let engine = Engine(workspace: Workspace(corpus: Fixtures.shippedCorpus.path, index: index.path))
        _ = try engine.rebuild()
        return engine
    }

    static func server(_ configure: @escaping @Sendable (inout SearchServer) -> Void = { _ in }) -> @Sendable () throws -> SearchServer {
        {
            var server = SearchServer(engine: try engine.get(), port: 0)
            server.logs = false
            configure(&server)
            return server
        }
    }

    /// A workspace of its own (two reports, indexed), for a test that
    /// changes its corpus, and how to make a server of it.
    static func ownServer(_ name: String) throws -> (workspace: (corpus: URL, index: URL), make: @Sendable () throws -> SearchServer) {
        let workspace = CommandLineTests.makeWorkspace(name)
        let engine = Engine(workspace: Workspace(corpus: workspace.corpus.path, index: workspace.index.path))
        _ = try engine.rebuild()
        return (workspace, {
            var server = SearchServer(engine: engine, port: 0)
            server.logs = false
            return server
        })
    }

    static func cli(_ arguments: [String]) throws -> String {
        let run = try CommandLineTests.launch(arguments + ["--corpus", Fixtures.shippedCorpus.path, "--index", index.path])
        #expect(run.status == 0 || run.status == 1, "\(arguments): \(run.stderr)")
        return run.stdout
    }

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    /// Every matching section, copies included, as the command line lists them.
    static func allHits(_ query: String, _ extra: [String] = []) throws -> [[String: Any]] {
        let object = try ServerTests.object(try cli([query, "--json", "--all", "--all-copies"] + extra))
        return try #require(object["hits"] as? [[String: Any]])
    }

    /// The facets count what `rsearch Q --json --all --all-copies` lists,
    /// by year, kind and unit, sections and reports.
    @Test(arguments: ["意识形态", "经济", "乡村振兴 OR 共同富裕", "\"高质量发展\" year:2020..2024", "这个词组不会出现"])
    func facetsCountTheCommandLinesHits(query: String) async throws {
        _ = try Self.engine.get()
        let hits = try Self.allHits(query)
        let answer = try await ServerTests.withServer(Self.server()) { port in
            try await ServerTests.get("/api/facets?q=" + Self.encoded(query), port: port)
        }
        #expect(answer.status == 200, "\(answer.body)")
        let facets = try ServerTests.object(answer.body)
        #expect(facets["total"] as? Int == hits.count)
        func expected(_ key: String) -> [String: (sections: Int, reports: Int)] {
            var sections: [String: Int] = [:], reports: [String: Set<String>] = [:]
            for hit in hits {
                let report = hit["report"] as! [String: Any]
                guard let value = report[key].flatMap({ $0 is NSNull ? nil : "\($0)" }), !value.isEmpty else { continue }
                sections[value, default: 0] += 1
                reports[value, default: []].insert(report["path"] as! String)
            }
            return sections.mapValues { ($0, 0) }.merging(reports.mapValues { (0, $0.count) }) { ($0.0, $1.1) }
        }
        for (key, field) in [("year", "year"), ("kind", "kind"), ("unit", "unit")] {
            let found = try #require(facets[key] as? [[String: Any]])
            let counted = Dictionary(uniqueKeysWithValues: found.map { ("\($0["value"]!)", ($0["sections"] as! Int, $0["reports"] as! Int)) })
            let truth = expected(field)
            #expect(counted.count == truth.count, "\(query) \(key)")
            for (value, count) in truth {
                #expect(counted[value]?.0 == count.sections && counted[value]?.1 == count.reports, "\(query) \(key) \(value)")
            }
        }
        let years = try #require(facets["year"] as? [[String: Any]]).map { $0["value"] as! Int }
        #expect(years == years.sorted(), "a histogram's order")
    }

    /// A preview holds every section of the report in order, and marks in
    /// each exactly the matches the command line's hits in it have.
    @Test func aPreviewMarksWhatTheHitsMark() async throws {
        _ = try Self.engine.get()
        let query = "改革 OR 开放"
        let hits = try Self.allHits(query)
        let path = try #require((hits.first?["report"] as? [String: Any])?["path"] as? String)
        let outline = try ServerTests.object(try Self.cli(["show", path, "--json"]))
        let answer = try await ServerTests.withServer(Self.server()) { port in
            try await ServerTests.get("/api/preview?path=\(Self.encoded(path))&q=\(Self.encoded(query))", port: port)
        }
        #expect(answer.status == 200, "\(answer.body)")
        let preview = try ServerTests.object(answer.body)
        let sections = try #require(preview["sections"] as? [[String: Any]])
        #expect(sections.map { $0["line"] as! Int } == (outline["outline"] as! [[String: Any]]).map { $0["line"] as! Int })
        // In order of position (`--sort path`): a long section's pieces share its line.
        let marked = sections.filter { !($0["matches"] as! [[Int]]).isEmpty }
            .map { "\($0["line"]!) \($0["matches"]!)" }
        let truth = try Self.allHits(query, ["--sort", "path"])
            .filter { ($0["report"] as! [String: Any])["path"] as? String == path }
            .map { "\(($0["section"] as! [String: Any])["line"]!) \($0["matches"]!)" }
        #expect(!truth.isEmpty && marked == truth)
        #expect(preview["matches"] as? Int == sections.reduce(0) { $0 + ($1["matches"] as! [[Int]]).count })
        // Without a query, nothing is marked; an unknown report is a 404.
        let plain = try await ServerTests.withServer(Self.server()) { port in
            (try await ServerTests.get("/api/preview?path=\(Self.encoded(path))", port: port),
             try await ServerTests.get("/api/preview?path=nope.txt", port: port))
        }
        #expect(try ServerTests.object(plain.0.body)["matches"] as? Int == 0)
        #expect(plain.1.status == 404)
    }

    /// The exports are the command line's `--format csv --excel` and
    /// `--format jsonl`, and come as files to save.
    @Test func exportsAreTheCommandLines() async throws {
        _ = try Self.engine.get()
        let query = "营商环境"
        let csv = try Self.cli([query, "--format", "csv", "--excel", "--limit", "1000"])
        let jsonl = try Self.cli([query, "--format", "jsonl", "--limit", "1000"])
        let answers = try await ServerTests.withServer(Self.server()) { port in
            (try await ServerTests.get("/api/search?q=\(Self.encoded(query))&limit=1000&format=csv&excel=true&download=true", port: port),
             try await ServerTests.get("/api/search?q=\(Self.encoded(query))&limit=1000&format=jsonl", port: port),
             try await ServerTests.get("/api/search?q=\(Self.encoded(query))&format=xml", port: port))
        }
        #expect(answers.0.data == Data(csv.utf8), "the CSV, byte-order mark included")
        #expect(answers.0.data.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(answers.0.headers["content-disposition"]?.hasPrefix("attachment; filename=\"rsearch.csv\"") == true)
        #expect(answers.0.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(answers.1.body == jsonl && answers.1.headers["content-disposition"] == nil)
        #expect(answers.2.status == 400)
    }

    /// A report's file, byte for byte, as an attachment; a file replaced by
    /// a link out of the corpus, or gone, is a 404, never what it points to.
    @Test func theOriginalFileAndNoOther() async throws {
        let (workspace, make) = try Self.ownServer("rsearch-serve-file")
        let name = "2026_上海市_政府工作报告.txt"
        let file = workspace.corpus.appendingPathComponent(name)
        let original = try Data(contentsOf: file)
        let outside = workspace.corpus.deletingLastPathComponent().appendingPathComponent("secret.txt")
        try Data("root:x:0:0 机密".utf8).write(to: outside)
        let answers = try await ServerTests.withServer(make) { port in
            let first = try await ServerTests.get("/api/file?path=\(Self.encoded(name))", port: port)
            try FileManager.default.removeItem(at: file)
            try FileManager.default.createSymbolicLink(at: file, withDestinationURL: outside)
            let linked = try await ServerTests.get("/api/file?path=\(Self.encoded(name))", port: port)
            try FileManager.default.removeItem(at: file)
            let gone = try await ServerTests.get("/api/file?path=\(Self.encoded(name))", port: port)
            let traversal = try await ServerTests.get("/api/file?path=..%2Fsecret.txt", port: port)
            let absolute = try await ServerTests.get("/api/file?path=\(Self.encoded(outside.path))", port: port)
            return [first, linked, gone, traversal, absolute]
        }
        #expect(answers[0].status == 200 && answers[0].data == original)
        #expect(answers[0].headers["content-type"] == "application/octet-stream", "never rendered on the server's origin")
        #expect(answers[0].headers["content-disposition"]?.contains("filename*=UTF-8''2026_%E4%B8%8A%E6%B5%B7") == true)
        for answer in answers.dropFirst() {
            #expect(answer.status == 404, "\(answer.status) \(answer.body)")
            #expect(!answer.body.contains("root:x") && !answer.body.contains("机密"))
        }
    }

    /// The page's notice: the corpus changed since the index was built.
    @Test func freshnessSaysWhenTheCorpusChanged() async throws {
        let (workspace, make) = try Self.ownServer("rsearch-serve-fresh")
        let answers = try await ServerTests.withServer(make) { port in
            let before = try await ServerTests.get("/api/freshness", port: port)
            try Data("关于新增的通知\n内容。\n".utf8).write(to: workspace.corpus.appendingPathComponent("新增.txt"))
            return (before, try await ServerTests.get("/api/freshness", port: port))
        }
        #expect(try ServerTests.object(answers.0.body)["current"] as? Bool == true)
        let after = try ServerTests.object(answers.1.body)
        #expect(after["current"] as? Bool == false)
        #expect(after["notice"] as? String == "the corpus has changed since the index was built; run `rsearch index` to update it")
    }

    /// Requests are bounded: no body is taken, a search that reads too long
    /// is stopped with a 400 that says so, and a client that never finishes
    /// its request is disconnected while others are served.
    @Test func requestsAreBounded() async throws {
        _ = try Self.engine.get()
        let withBody = try await ServerTests.withServer(Self.server()) { port in
            try await ServerTests.get("/api/search?q=a", port: port, method: "POST", body: Data(repeating: 0x61, count: 4096))
        }
        #expect(withBody.status == 413 && withBody.body.contains("carry no body"))
        let slow = try await ServerTests.withServer(Self.server { $0.timeLimit = 0 }) { port in
            try await ServerTests.get("/api/search?q=" + Self.encoded("的 OR 是 OR 在"), port: port)
        }
        #expect(slow.status == 400, "\(slow.status) \(slow.body)")
        #expect(try ServerTests.object(slow.body)["error"] as? String
                == "the search took longer than 0 s and was stopped; narrow it with more terms or a filter")
        // A client that sends half a request and waits: closed after the idle timeout.
        let closed = try await ServerTests.withServer(Self.server { $0.idleTimeout = 1 }) { port -> (Bool, Int) in
            let socket = try Self.connect(port)
            defer { close(socket) }
            _ = "GET /api/stats HTTP/1.1\r\nHo".withCString { send(socket, $0, strlen($0), 0) }
            let other = try await ServerTests.get("/api/stats", port: port)
            let started = Date()
            var byte: UInt8 = 0
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let read = recv(socket, &byte, 1, 0)
            return (read <= 0 && Date().timeIntervalSince(started) < 5, other.status)
        }
        #expect(closed.0, "the half-sent request's connection was closed")
        #expect(closed.1 == 200, "other requests were served meanwhile")
    }

    static func connect(_ port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(result == 0, "connect to 127.0.0.1:\(port)")
        return socket
    }

    /// `token` in the config file guards the server when no `--token` is given.
    @Test func theConfigFilesToken() throws {
        let home = Fixtures.temporaryDirectory("rsearch-serve-config")
        let config = home.appendingPathComponent("rsearch/config.toml")
        try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "corpus = \"/tmp\"\ntoken = \"办公室 口令\"\n".write(to: config, atomically: true, encoding: .utf8)
        #expect(Workspace(environment: ["XDG_CONFIG_HOME": home.path]).serverToken == "办公室 口令")
        try "corpus = \"/tmp\"\ntoken = \"\"\n".write(to: config, atomically: true, encoding: .utf8)
        #expect(Workspace(environment: ["XDG_CONFIG_HOME": home.path]).serverToken == nil)
    }
}
