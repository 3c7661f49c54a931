import Foundation
import Hummingbird
import Logging
import RSearchDocuments
import RSearchEngine
import RSearchOutput
import RSearchQuery

/// `rsearch serve`: one HTTP server (Hummingbird 2 on SwiftNIO) in front of
/// the engine the command line calls, answering with the command line's own
/// renderers, so `/api/search` is `rsearch Q --json`.
///
/// Safe by construction: it listens on 127.0.0.1 unless told otherwise;
/// nothing it serves is read from a path a request names (reports are
/// looked up by their path in the index, and the page is compiled in);
/// every text goes to the page as JSON, which the page sets as text, under
/// a Content-Security-Policy that allows no inline script; requests are
/// bounded (`Limits`).
public struct SearchServer: Sendable {
    public var engine: Engine
    public var host: String
    public var port: Int
    /// When set, every request must carry it (`Authorization: Bearer T` or `?token=T`).
    public var token: String?
    /// Log the server's warnings and errors (on standard output, by swift-log's default handler).
    public var logs = true

    public init(engine: Engine, host: String = "127.0.0.1", port: Int = 7700, token: String? = nil) {
        self.engine = engine
        self.host = host
        self.port = port
        self.token = token
    }

    /// The bounds on what one request may ask.
    public enum Limits {
        public static let queryCharacters = 1_000
        public static let hits = 1_000
        public static let pathCharacters = 1_000
    }

    /// Seconds a request may read the index before it is stopped with a 400
    /// saying so: a pasted query of hundreds of common terms cannot hold a
    /// worker thread.
    public var timeLimit: Double = 10
    /// Seconds a connection may sit without a request before it is closed,
    /// so a client that sends its request slowly, or never, holds nothing
    /// but its socket (no worker is given to a request until its head is
    /// read, and an answer is written by the event loop, not a worker).
    public var idleTimeout: Int64 = 30

    /// The application, for `run` and for tests (HummingbirdTesting).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        // Warnings and errors only: the command says where it listens.
        var logger = Logger(label: "rsearch")
        logger.logLevel = logs ? .warning : .critical
        return Application(router: API(engine: engine, token: token, timeLimit: timeLimit).router(),
                           server: .http1(configuration: .init(idleTimeout: .seconds(idleTimeout))),
                           configuration: .init(address: .hostname(host, port: port), serverName: "rsearch"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then stops cleanly.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
