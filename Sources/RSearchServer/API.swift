import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix
import RSearchDocuments
import RSearchEngine
import RSearchOutput
import RSearchQuery
import RSearchText

/// The routes: the page and its two files, and the JSON API (README,
/// "rsearch serve"; `/api/openapi.json`). Every answer is JSON made by the
/// command line's renderers, or a compiled-in file; errors are
/// `{"error": …}` with 400 (what the request asked cannot be answered: a
/// bad query, a bad parameter), 404 (no such report, section or route),
/// 401 (a token is required) or 503 (the index cannot be read).
struct API: Sendable {
    let engine: Engine
    let token: String?
    let pool: IndexPool

    init(engine: Engine, token: String?, timeLimit: Double) {
        self.engine = engine
        self.token = token
        pool = IndexPool(workspace: engine.workspace, timeLimit: timeLimit)
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: Guard(token: token))
        router.get("/") { _, _ in Self.file(PageAssets.page(token: token), type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in Self.file(PageAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in Self.file(PageAssets.style, type: "text/css; charset=utf-8") }
        router.get("/opensearch.xml") { request, _ in
            Self.file(PageAssets.openSearch(base: Self.base(request)), type: "application/opensearchdescription+xml")
        }
        router.get("/api/openapi.json") { _, _ in Self.file(PageAssets.openAPI, type: "application/json; charset=utf-8") }
        router.get("/api/search") { request, _ in await search(request.uri.queryParameters) }
        router.get("/api/facets") { request, _ in
            await answer { FacetsJSON.render(try engine.facets(try Self.searchRequest(request.uri.queryParameters), in: pool)) }
        }
        router.get("/api/freshness") { _, _ in
            await answer {
                let staleness = try engine.staleness()
                return JSONValue.object([("current", .bool(staleness == nil)),
                                         ("notice", staleness.map { .string(ErrorText.describe($0)) } ?? .null)])
                    .serialized() + "\n"
            }
        }
        router.get("/api/file") { request, context in
            do {
                let path = try Self.reportPath(request.uri.queryParameters)
                let file = try await NIOThreadPool.singleton.runIfActive {
                    try engine.originalFile(of: try engine.report(named: path))
                }
                let body = try await FileIO().loadFile(path: file.path, context: context)
                return Response(status: .ok, headers: [.contentType: "application/octet-stream",
                                                       .contentDisposition: Self.attachment(file.lastPathComponent)], body: body)
            } catch {
                return Self.response(to: error)
            }
        }
        router.get("/api/reports") { _, _ in
            await answer { ReportListPrinter.render(try engine.reports(), format: .json) }
        }
        router.get("/api/outline") { request, _ in
            await answer {
                let report = try engine.report(named: try Self.reportPath(request.uri.queryParameters))
                return OutlinePrinter.json(report, outline: try engine.outline(of: report))
            }
        }
        router.get("/api/preview") { request, _ in
            await answer {
                let parameters = request.uri.queryParameters
                let report = try engine.report(named: try Self.reportPath(parameters))
                let query = try Self.queryText(parameters)
                let folding: Folding = parameters.get("fold") == "false" ? .exact : .index
                return OutlinePrinter.previewJSON(report, sections: try engine.preview(of: report, query: query, folding: folding))
            }
        }
        router.get("/api/section") { request, _ in
            await answer {
                let parameters = request.uri.queryParameters
                let report = try engine.report(named: try Self.reportPath(parameters))
                let number = try Self.integer(parameters, "section", in: 1...1_000_000)
                let line = try Self.integer(parameters, "line", in: 1...100_000_000)
                guard number != nil || line != nil else { throw RequestError("give section=N or line=N") }
                return OutlinePrinter.sectionJSON(report, section: try engine.section(of: report, number: number, line: line))
            }
        }
        router.get("/api/stats") { _, _ in await answer { StatsPrinter.json(try engine.status()) } }
        return router
    }

    /// What a request asks that cannot be answered, worded for the caller.
    struct RequestError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// `/api/search`: the command line's `--json` (or, with `format=`,
    /// `jsonl` or `csv`, `excel=true` for the byte-order mark), as a file
    /// to save with `download=true`.
    func search(_ parameters: FlatDictionary<Substring, Substring>) async -> Response {
        let format = parameters.get("format") ?? "json"
        guard ["json", "jsonl", "csv"].contains(format) else { return Self.error(.badRequest, "format is json, jsonl or csv") }
        let excel = parameters.get("excel") == "true"
        var response = await answer(type: format == "csv" ? "text/csv; charset=utf-8" : format == "jsonl"
                                        ? "application/jsonl; charset=utf-8" : "application/json; charset=utf-8") {
            let result = try engine.search(try Self.searchRequest(parameters), in: pool)
            switch format {
            case "jsonl": return ResultFormats.jsonLines(result)
            case "csv": return ResultFormats.csv(result, excel: excel)
            default: return SearchJSON.result(result).serialized() + "\n"
            }
        }
        if parameters.get("download") == "true", response.status == .ok {
            response.headers[.contentDisposition] = Self.attachment("rsearch." + format)
        }
        return response
    }

    /// A search request from the query's parameters: `q` and the command
    /// line's options (`limit`, `offset`, `sort`, `fold`, and the filters).
    static func searchRequest(_ parameters: FlatDictionary<Substring, Substring>) throws -> SearchRequest {
        guard let query = try queryText(parameters) else { throw RequestError("give the query as q=…") }
        var options = SearchOptions()
        options.limit = try Self.integer(parameters, "limit", in: 1...SearchServer.Limits.hits) ?? 10
        options.offset = try Self.integer(parameters, "offset", in: 0...1_000_000) ?? 0
        if let sort = parameters.get("sort") {
            guard let order = SearchOptions.SortOrder(rawValue: sort) else { throw RequestError("sort is score, year or path") }
            options.sort = order
        }
        if let fold = parameters.get("fold") {
            guard fold == "true" || fold == "false" else { throw RequestError("fold is true or false") }
            options.folding = fold == "false" ? .exact : .index
        }
        func years(_ key: String) throws -> ClosedRange<Int>? {
            guard let value = parameters.get(key) else { return nil }
            guard let range = QueryParser.years(value) else { throw RequestError("\(key) is a year or a range such as 2018..2022") }
            return range
        }
        func all(_ key: String) -> [String] { parameters.getAll(key).map { String($0) } }
        let yearRange = try years("year")
        let enactedRange = try years("enacted")
        options.filters = Filters(years: yearRange, enacted: enactedRange, kind: all("kind"), title: all("title"),
                                  author: all("author"), unit: all("unit"))
        return SearchRequest(query: query, options: options)
    }

    /// The `q` parameter, within its bound; nil when absent or blank.
    static func queryText(_ parameters: FlatDictionary<Substring, Substring>) throws -> String? {
        guard let query = parameters.get("q"), !query.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard query.count <= SearchServer.Limits.queryCharacters else {
            throw RequestError("the query is longer than \(SearchServer.Limits.queryCharacters) characters")
        }
        return query
    }

    /// `Content-Disposition` for a file to save as `name` (RFC 6266: an
    /// ASCII fallback, and the name itself percent-encoded as UTF-8).
    static func attachment(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    static func integer(_ parameters: FlatDictionary<Substring, Substring>, _ key: String,
                        in range: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters.get(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw RequestError("\(key) is a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A report's path in the index, as `path=`: never a path on disk, so
    /// `..`, absolute paths and links name nothing but a report or no report.
    static func reportPath(_ parameters: FlatDictionary<Substring, Substring>) throws -> String {
        guard let path = parameters.get("path"), !path.isEmpty, path.count <= SearchServer.Limits.pathCharacters else {
            throw RequestError("give the report as path=… (its path in the index)")
        }
        return path
    }

    /// Runs `body` (which reads the index, blocking) on NIO's thread pool,
    /// not on the event loops or the cooperative pool, and turns its result
    /// or its error into a response.
    func answer(type: String = "application/json; charset=utf-8",
                _ body: @escaping @Sendable () throws -> String) async -> Response {
        do {
            return Self.file(try await NIOThreadPool.singleton.runIfActive(body), type: type)
        } catch {
            return Self.response(to: error)
        }
    }

    /// An error as a response: 400 for what the request asked that cannot
    /// be answered (a time limit included: the same request fails again),
    /// 404 for what is not there, 503 when the index cannot be read.
    static func response(to error: Error) -> Response {
        switch error {
        case let error as RequestError: return Self.error(.badRequest, error.message)
        case QueryError.syntax(let message, let column):
            return Self.error(.badRequest, "query error at column \(column): \(message)", column: column)
        default: break
        }
        let message = ErrorText.describe(error) ?? String(describing: error)
        switch error {
        case QueryError.empty, IndexError.ambiguousReport, IndexError.timeLimit: return Self.error(.badRequest, message)
        case IndexError.noSuchReport, IndexError.noSuchSection, IndexError.noSuchLine, EngineError.originalUnavailable:
            return Self.error(.notFound, message)
        default: return Self.error(.serviceUnavailable, message)
        }
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, column: Int? = nil) -> Response {
        var members: [(String, JSONValue)] = [("error", .string(message))]
        if let column { members.append(("column", .int(column))) }
        var response = file(JSONValue.object(members).serialized() + "\n", type: "application/json; charset=utf-8")
        response.status = status
        return response
    }

    static func file(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The address the request was sent to, for the OpenSearch description's
    /// templates: the `Host` header, kept only if it is a host and a port.
    static func base(_ request: Request) -> String { base(authority: request.head.authority) }

    static func base(authority: String?) -> String {
        let host = authority ?? ""
        let plain = !host.isEmpty && host.count <= 255
            && host.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0)) }
        return "http://" + (plain ? host : "127.0.0.1")
    }
}

/// On every response: the security headers; on every request: the token,
/// when one is set; and a 404 in JSON for what no route answers.
struct Guard: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: String?

    static let policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if let token, !Self.carries(request, token) {
            response = API.error(.unauthorized, "this server needs its token: Authorization: Bearer TOKEN, or ?token=TOKEN")
        } else if request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0 {
            // Every route is a GET: a body is never read, so none is taken.
            response = API.error(.contentTooLarge, "requests to this server carry no body")
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound {
                response = API.error(.notFound, "no such page: \(request.uri.path)")
            } catch let error as HTTPError {
                response = API.error(error.status, error.body ?? "bad request")
            }
        }
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func carries(_ request: Request, _ token: String) -> Bool {
        if request.headers[.authorization] == "Bearer " + token { return true }
        return request.uri.queryParameters.get("token") == token
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
