import Foundation
import Testing

/// The page in a real browser: headless Chromium driven by Selenium
/// (`Tests/Browser/page_test.py`) against `rsearch serve` on loopback, over
/// the seed report, the national 政府工作报告 and a hostile report whose text
/// holds `<script>` and `<img onerror>`: a typed query shows grouped hits
/// with `<mark>`; a year in the histogram filters (a chip removes it); the
/// keyboard moves and opens the preview at the hit's match, `n` steps to the
/// next; a permalink opens the same place; back restores each step's URL;
/// the hostile text is text and runs nothing, and the phone layout does not
/// scroll sideways. It prints the page's time to first results.
/// Screenshots go to the test's folder (`desktop.png`, `phone.png`).
@Suite struct BrowserTests {
    static var missing: String? {
        var missing: [String] = []
        if access("/usr/bin/chromium", X_OK) != 0 { missing.append("chromium") }
        if access("/usr/bin/chromedriver", X_OK) != 0 { missing.append("chromium-driver") }
        if (try? PDFMaker.run(PDFMaker.python, ["-c", "import selenium"])) == nil { missing.append("python3-selenium") }
        return missing.isEmpty ? nil : "needs \(missing.joined(separator: ", ")) (apt-get install \(missing.joined(separator: " ")))"
    }

    @Test func thePageWorksInChromiumAndRunsNoDocumentScript() async throws {
        if PDFMaker.skipped(Self.missing) { return }
        let binary = try #require(CommandLineTests.binary, "the rsearch binary was not built")
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-browser")
        try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(Fixtures.seedPath),
                                         to: corpus.appendingPathComponent("seed.txt"))
        // Reports of many years, for the histogram.
        try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent("gov_work_reports_national"),
                                         to: corpus.appendingPathComponent("national"))
        try """
            恶意测试报告
            一、情况
            恶意测试：<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> 以上是文本，不是网页。
            """.write(to: corpus.appendingPathComponent("hostile.txt"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0", "--corpus", corpus.path, "--index", root.appendingPathComponent("i.sqlite").path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
        }
        var said = ""
        while !said.contains("(Ctrl-C stops)") {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            said += String(decoding: data, as: UTF8.self)
        }
        let url = try #require(said.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression).map { String(said[$0]) },
                               "no URL in: \(said)")
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Browser/page_test.py")
        let shots = root.appendingPathComponent("screenshots")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: PDFMaker.python)
        browser.arguments = [script.path, url, shots.path]
        let out = Pipe()
        browser.standardOutput = out
        browser.standardError = out
        try browser.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        let lines = output.split(separator: "\n")
        print("browser: \(lines.filter { $0.hasPrefix("first results") || $0 == "page: ok" }.joined(separator: "; ")) (screenshots in \(shots.path))")
        #expect(browser.terminationStatus == 0, "\(output)")
        #expect(output.contains("page: ok"), "\(output)")
    }
}
