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

    /// A bad option, or an index that cannot be read, is one line and exit
    /// status 2, before anything listens; the index is left as it was.
    @Test func badSetupsFailInOneLine() throws {
        let workspace = CommandLineTests.makeWorkspace("rsearch-serve-bad")
        let locations = ["--corpus", workspace.corpus.path, "--index", workspace.index.path]
        let limit = try CommandLineTests.launch(["serve", "--port", "0", "--time-limit", "0"] + locations)
        #expect(limit.status == 2 && limit.stderr.contains("--time-limit must be more than 0"), "\(limit.stderr)")
        try FileManager.default.createDirectory(at: workspace.index.deletingLastPathComponent(), withIntermediateDirectories: true)
        let junk = Data("not an index".utf8)
        try junk.write(to: workspace.index)
        let damaged = try CommandLineTests.launch(["serve", "--port", "0"] + locations)
        #expect(damaged.status == 2, "\(damaged.stderr)")
        #expect(damaged.stderr.split(separator: "\n").count == 1 && damaged.stderr.contains("run `rsearch index --rebuild`"),
                "\(damaged.stderr)")
        #expect(try Data(contentsOf: workspace.index) == junk, "the file is the user's to rebuild")
    }
}
