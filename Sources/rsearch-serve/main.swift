import ArgumentParser
import Foundation
import RSearchEngine
import RSearchOutput
import RSearchServer

// `rsearch serve` runs this program (found beside `rsearch`), so that the
// search path of `rsearch` does not carry SwiftNIO and Hummingbird: each
// protocol conformance in a binary lengthens the runtime's scan on the first
// dynamic check of every type, and linking the server made `rsearch 龚正`
// execute 15 % more instructions (callgrind: 18.3 M → 21.1 M).

enum Log {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("rsearch: " + message + "\n").utf8))
    }
}

/// rsearch's own `Locations` (Sources/rsearch/Options.swift), word for word:
/// a shared target for eight lines would cost more than keeping the two alike.
struct Locations: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of reports (default: $RSEARCH_CORPUS, else ./corpus).", valueName: "DIR"))
    var corpus: String?
    @Option(name: .long, help: ArgumentHelp("Index file (default: $RSEARCH_INDEX, else ./index/rsearch.sqlite).", valueName: "PATH"))
    var index: String?

    var engine: Engine { Engine(workspace: Workspace(corpus: corpus, index: index)) }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rsearch serve", abstract: "Serve the index to browsers: a search page and an HTTP API.",
        discussion: """
            Listens on 127.0.0.1 (this machine only) unless --host says otherwise; stops on Ctrl-C.
            Examples: rsearch serve; rsearch serve --port 8080;
              rsearch serve --host 0.0.0.0 --token 口令   (an office network: every request carries the token)
            """)
    @Option(name: .long, help: "The address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "The port to listen on (0: any free port).") var port = 7700
    @Option(name: .long, help: "Require this token on every request (Authorization: Bearer T, or ?token=T); default: the config file's token.")
    var token: String?
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Stop a search that reads the index longer than this (default: 10).", valueName: "SECONDS"))
    var timeLimit: Double = 10
    @OptionGroup var locations: Locations

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535 (not \(port))") }
        if let token, token.isEmpty { throw ValidationError("--token must not be empty") }
        if !(timeLimit > 0 && timeLimit <= 3600) { throw ValidationError("--time-limit must be more than 0 and at most 3600 seconds") }
    }

    func run() throws {
        let engine = locations.engine
        // The index first, as a first search would build it.
        // Built when there is none, as a first search builds it; an index
        // that cannot be read (another format, damaged) is the user's to
        // rebuild, as the command line says.
        do {
            try engine.checkIndex()
        } catch IndexError.missing {
            Log.note("no index yet: building it from \(engine.workspace.corpus.root.path)")
            Log.note(BuildSummaryText.describe(try engine.update()))
            try engine.checkIndex()
        }
        let token = self.token ?? engine.workspace.serverToken
        if host != "127.0.0.1" && host != "localhost" && host != "::1" {
            Log.note("warning: listening on \(host): anyone who can reach this machine can search the index"
                     + (token == nil ? " (set --token to require a token)" : ""))
        }
        var server = SearchServer(engine: engine, host: host, port: port, token: token)
        server.timeLimit = timeLimit
        let index = engine.workspace.indexPath.path
        let host = self.host
        let done = DispatchSemaphore(value: 0)
        let failure = ServeFailure()
        Task {
            do {
                try await server.run { port in
                    Log.note("serving \(index) at http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (Ctrl-C stops)")
                }
            } catch {
                failure.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = failure.error {
            Log.note("cannot serve on \(host):\(port): \(error)")
            throw ExitCode(2)
        }
    }
}

/// The server's error, handed from its task to the command's thread.
final class ServeFailure: @unchecked Sendable {
    var error: Error?
}

do {
    var command = try Serve.parseAsRoot(Array(CommandLine.arguments.dropFirst().drop { $0 == "serve" }))
    try command.run()
} catch let error as ExitCode {
    exit(error.rawValue)
} catch {
    if let text = ErrorText.describe(error) {
        Log.note(text)
        exit(2)
    }
    if Serve.exitCode(for: error) == .success {
        print(Serve.fullMessage(for: error))
        exit(0)
    }
    Log.note(Serve.message(for: error))
    exit(2)
}
