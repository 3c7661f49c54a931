import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `rsearch serve` as a user runs it: the built binary hands over to
/// `rsearch-serve`, which says its URL on stderr, listens on 127.0.0.1 (a
/// real socket, an ephemeral port), answers, and stops cleanly on SIGINT.
@Suite struct ServeProcessTests {
    @Test func serveAnswersOnLoopbackAndStopsOnSIGINT() async throws {
        let binary = try #require(CommandLineTests.binary, "the rsearch binary was not built")
        let workspace = CommandLineTests.makeWorkspace("rsearch-serve-process")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0", "--corpus", workspace.corpus.path, "--index", workspace.index.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The URL line, after the first build's summary.
        var said = ""
        let deadline = Date().addingTimeInterval(60)
        while !said.contains("(Ctrl-C stops)") && Date() < deadline {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            said += String(decoding: data, as: UTF8.self)
        }
        let url = try #require(said.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression).map { String(said[$0]) },
                               "no URL in: \(said)")
        let (body, response) = try await URLSession.shared.data(from: URL(string: url + "api/search?q=%E6%84%8F%E8%AF%86%E5%BD%A2%E6%80%81")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let result = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect((result["total"] as? Int ?? 0) > 0)
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(20)
        while process.isRunning && Date() < stopBy { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(!process.isRunning, "still running 20 s after SIGINT")
        #expect(process.terminationStatus == 0)
    }
}
