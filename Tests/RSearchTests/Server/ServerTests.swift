import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import RSearchEngine
@testable import RSearchServer

/// The API against the command line's JSON for the same queries, bad
/// requests and traversal attempts (4xx, never a file, never a 5xx), the
/// token, and the page's safety headers. Each test runs the server on an
/// ephemeral port of 127.0.0.1 and asks it with URLSession. (Not through
/// HummingbirdTesting, whose client brings AsyncHTTPClient, SwiftNIO SSL and
/// BoringSSL into the build: minutes of CI for what loopback does anyway.)
@Suite struct ServerTests {
    static let workspace = CommandLineTests.makeWorkspace("rsearch-serve")

    /// Built once, before any test asks.
    static let engine: Result<Engine, Error> = Result {
        let engine = Engine(workspace: Workspace(corpus: workspace.corpus.path, index: workspace.index.path))
        _ = try engine.rebuild()
        return engine
    }

    /// Quiet: a server stopped by cancelling its task logs the connection it was serving.
    static func server(token: String? = nil) throws -> SearchServer {
        var server = SearchServer(engine: try engine.get(), port: 0, token: token)
        server.logs = false
        return server
    }

    struct NotListening: Error {}

    /// Runs `body` with the port of a server of its own (made by `make`),
    /// started on an ephemeral port of 127.0.0.1 and stopped after.
    static func withServer<T: Sendable>(_ make: @escaping @Sendable () throws -> SearchServer = { try server() },
                                        _ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        let server = try make()
        let (ports, listening) = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.application(onRunning: { listening.yield($0) }).runService(gracefulShutdownSignals: [])
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw NotListening() }
            return try await body(port)
        }
    }

    /// One request to a server listening on `port`.
    static func get(_ uri: String, port: Int, method: String = "GET", headers: [String: String] = [:], body: Data? = nil) async throws
        -> (status: Int, body: String, headers: [String: String], data: Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)" + uri)!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        // No connection left open for the server to wait on when it stops.
        request.setValue("close", forHTTPHeaderField: "Connection")
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var found: [String: String] = [:]
        for (name, value) in http.allHeaderFields { found[String(describing: name).lowercased()] = String(describing: value) }
        return (http.statusCode, String(decoding: data, as: UTF8.self), found, data)
    }

    /// Asks a server of its own, started on an ephemeral port and stopped after.
    static func get(_ uri: String, token: String? = nil, headers: [String: String] = [:]) async throws
        -> (status: Int, body: String, headers: [String: String]) {
        try await withServer({ try server(token: token) }) { port in
            let answer = try await get(uri, port: port, headers: headers)
            return (answer.status, answer.body, answer.headers)
        }
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// `/api/search` is `rsearch Q --json`: the same object, member for member.
    @Test(arguments: ["意识形态", "党建 year:2022", "\"两个确立\"", "意识形态 OR 舆情", "经济 NOT 发展", "这个词组不会出现"])
    func searchIsTheCommandLinesJSON(query: String) async throws {
        _ = try Self.server()
        let cli = try CommandLineTests.launch([query, "--json", "--corpus", Self.workspace.corpus.path, "--index", Self.workspace.index.path])
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let api = try await Self.get("/api/search?q=\(encoded)")
        #expect(api.status == 200)
        let a = try Self.object(api.body), b = try Self.object(cli.stdout)
        #expect(NSDictionary(dictionary: a).isEqual(to: b), "\(query)")
        #expect((a["total"] as? Int) == (b["total"] as? Int))
    }

    @Test func filtersAndPagingAreTheCommandLines() async throws {
        _ = try Self.server()
        let cli = try CommandLineTests.launch(["党", "--json", "--limit", "3", "--offset", "2", "--sort", "year", "--kind", "述职报告",
                                               "--corpus", Self.workspace.corpus.path, "--index", Self.workspace.index.path])
        let api = try await Self.get("/api/search?q=%E5%85%9A&limit=3&offset=2&sort=year&kind=%E8%BF%B0%E8%81%8C%E6%8A%A5%E5%91%8A")
        #expect(NSDictionary(dictionary: try Self.object(api.body)).isEqual(to: try Self.object(cli.stdout)))
    }

    /// What a user can type gets a 4xx with a message, never a 5xx.
    @Test func badRequestsAre4xx() async throws {
        let cases: [(String, Int)] = [
            ("/api/search?q=(%E6%84%8F", 400), ("/api/search", 400), ("/api/search?q=%20", 400),
            ("/api/search?q=a&limit=0", 400), ("/api/search?q=a&limit=1001", 400), ("/api/search?q=a&limit=x", 400),
            ("/api/search?q=a&offset=-1", 400), ("/api/search?q=a&sort=size", 400), ("/api/search?q=a&year=twenty", 400),
            ("/api/search?q=a&fold=maybe", 400), ("/api/search?q=" + String(repeating: "a", count: 1001), 400),
            ("/api/outline", 400), ("/api/section?path=x", 404), ("/api/nope", 404),
            ("/api/facets", 400), ("/api/facets?q=(a", 400), ("/api/facets?q=a&year=x", 400), ("/api/preview", 400),
            ("/api/preview?path=2026_%E4%B8%8A%E6%B5%B7%E5%B8%82_%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.txt&q=(a", 400),
            ("/api/file", 400), ("/api/file?path=nope.txt", 404), ("/api/search?q=a&format=xml", 400),
        ]
        for (uri, status) in cases {
            let answer = try await Self.get(uri)
            #expect(answer.status == status, "\(uri): \(answer.status) \(answer.body)")
            #expect(try Self.object(answer.body)["error"] is String, "\(uri)")
        }
        let column = try Self.object(try await Self.get("/api/search?q=(%E6%84%8F").body)
        #expect(column["column"] as? Int == 1 && column["error"] as? String == "query error at column 1: unbalanced '('")
    }

    /// No request reaches a file outside the index's reports.
    @Test func traversalNamesNoFile() async throws {
        for uri in ["/api/outline?path=../../../../etc/passwd", "/api/outline?path=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                    "/api/outline?path=/etc/passwd", "/api/section?path=/etc/passwd&line=1", "/../../etc/passwd",
                    "/%2e%2e/%2e%2e/etc/passwd", "/app.js/../../etc/passwd", "/api/outline?path=..%5C..%5Cwindows"] {
            let answer = try await Self.get(uri)
            #expect((400..<500).contains(answer.status), "\(uri): \(answer.status)")
            #expect(!answer.body.contains("root:"), "\(uri)")
        }
        let report = try await Self.get("/api/outline?path=2026_%E4%B8%8A%E6%B5%B7%E5%B8%82_%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.txt")
        #expect(report.status == 200 && report.body.contains("\"outline\""))
        let section = try await Self.get("/api/section?path=2026_%E4%B8%8A%E6%B5%B7%E5%B8%82_%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.txt&section=2")
        #expect(section.status == 200 && section.body.contains("\"section\""))
    }

    /// The page: compiled in, no inline script, under a policy that forbids one.
    @Test func thePageIsSafeByConstruction() async throws {
        let page = try await Self.get("/")
        #expect(page.status == 200 && page.body.contains("<script src=\"/app.js\" defer></script>"))
        #expect(!page.body.contains("<script>") && !page.body.contains("onclick") && !page.body.contains("style="))
        #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        #expect(page.headers["x-content-type-options"] == "nosniff")
        let script = try await Self.get("/app.js")
        #expect(!script.body.contains("innerHTML") && !script.body.contains("eval("), "text is set as text")
        let openAPI = try await Self.get("/api/openapi.json")
        let document = try Self.object(openAPI.body)
        #expect(document["openapi"] as? String == "3.1.0")
        // Every route the API serves is described, and every one described is served.
        let paths = Set(try #require(document["paths"] as? [String: Any]).keys)
        #expect(paths == ["/api/search", "/api/facets", "/api/reports", "/api/outline", "/api/section", "/api/preview",
                          "/api/file", "/api/freshness", "/api/stats"])
        for path in paths {
            #expect(!(try await Self.get(path).body.contains("no such page")), "\(path) is served")
        }
        #expect(try await Self.get("/opensearch.xml").body.contains("/?q={searchTerms}"))
        // The templates name the host the request was sent to, but never echo a forged one.
        #expect(API.base(authority: "reports.example:8080") == "http://reports.example:8080")
        #expect(API.base(authority: "[::1]:7700") == "http://[::1]:7700")
        #expect(API.base(authority: "x\"><script>alert(1)</script>") == "http://127.0.0.1")
        #expect(API.base(authority: nil) == "http://127.0.0.1")
    }

    @Test func aTokenGuardsEveryRequest() async throws {
        #expect(try await Self.get("/api/stats", token: "口令").status == 401)
        #expect(try await Self.get("/", token: "t0k").status == 401)
        #expect(try await Self.get("/api/stats?token=t0k", token: "t0k").status == 200)
        #expect(try await Self.get("/api/stats", token: "t0k", headers: ["Authorization": "Bearer t0k"]).status == 200)
        #expect(try await Self.get("/api/stats", token: "t0k", headers: ["Authorization": "Bearer wrong"]).status == 401)
        // The page opened with the token loads its own files with it, the token encoded.
        let page = try await Self.get("/?token=%3C%22t%26k", token: "<\"t&k")
        #expect(page.status == 200 && page.body.contains("<script src=\"/app.js?token=%3C%22t%26k\" defer></script>"))
        #expect(try await Self.get("/app.js?token=%3C%22t%26k", token: "<\"t&k").status == 200)
    }
}
