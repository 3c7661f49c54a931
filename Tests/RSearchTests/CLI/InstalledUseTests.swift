import Foundation
import Testing
@testable import RSearchEngine

/// rsearch used from anywhere, configured once with `rsearch init`.
@Suite struct InstalledUseTests {
    func run(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> CommandLineTests.Run {
        try CommandLineTests.launch(arguments, directory: directory, environment: environment)
    }

    @Test func initThenSearchFromAnotherDirectory() throws {
        let root = Fixtures.temporaryDirectory("rsearch-init")
        let reports = root.appendingPathComponent("我的 报告")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.shippedCorpus.appendingPathComponent(Fixtures.seedPath),
                                         to: reports.appendingPathComponent("seed.txt"))
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let env = ["XDG_CONFIG_HOME": root.appendingPathComponent("config").path,
                   "XDG_DATA_HOME": root.appendingPathComponent("data").path,
                   "HOME": root.appendingPathComponent("home").path]

        // Nothing configured, no ./corpus: one line saying how to set up.
        let bare = try run(["意识形态"], in: elsewhere, environment: env)
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("rsearch init DIR"))
        #expect(bare.stderr.split(separator: "\n").count == 1)

        let initialized = try run(["init", reports.path], in: root, environment: env)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let config = try String(contentsOf: root.appendingPathComponent("config/rsearch/config.toml"), encoding: .utf8)
        #expect(config.contains(reports.path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("data/rsearch/rsearch.sqlite").path))

        let search = try run(["意识形态", "--json"], in: elsewhere, environment: env)
        #expect(search.status == 0, "\(search.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 2)
        #expect(search.stderr.isEmpty, "\(search.stderr)")
    }

    @Test func configFileIsRead() throws {
        let values = Config.parse("# comment\ncorpus = \"/a/b c\"\nindex=\"/x/\\\"q\\\".sqlite\"\n")
        #expect(values["corpus"] == "/a/b c")
        #expect(values["index"] == "/x/\"q\".sqlite")
        #expect(Config.parse("corpus = " + Config.quote("/p/\"x\"\\y"))["corpus"] == "/p/\"x\"\\y")
    }
}
