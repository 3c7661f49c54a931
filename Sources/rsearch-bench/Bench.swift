import ArgumentParser
import Foundation
import RSearchDocuments
import RSearchEngine
import RSearchQuery
import RSearchStore
import RSearchText
import SplitMix64

/// The benchmark: rsearch against SQLite FTS5's trigram index and ripgrep,
/// in one run, on the same text. See BENCHMARKS.md for how to run it and
/// what it found.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rsearch-bench",
        abstract: "Measure rsearch against FTS5 trigram and ripgrep on real text.")

    @Argument(help: "Corpus folders (default: ../shared/corpora).")
    var corpora: [String] = []

    @Flag(help: "Use the ~1 GB corpus derived from the corpora (made in bench-data/ on first use).")
    var big = false

    @Option(help: "Timed runs per query inside one process.")
    var runs = 30

    @Option(help: "Whole-process runs per query (rsearch and rg).")
    var processRuns = 5

    @Flag(help: "Skip the trigram and ripgrep baselines.")
    var noBaselines = false

    @Option(help: "Where corpora copies, indexes and results go.")
    var work = "bench-data"

    @Flag(help: "Only time the stages of a build that precede FTS5 (read, decode, parse, tokenize), in this process.")
    var stages = false

    @Option(help: "Measure only this query (repeatable): for profiling one case.")
    var only: [String] = []

    @Flag(help: "Query the corpus copy and index already in the work folder: no copy, build, update or trigram build.")
    var reuseIndex = false

    @Flag(help: "Judge the ranking on the judged query set (JudgedSet) over an index of the first corpus folder, built in the work folder unless --reuse-index.")
    var judge = false

    @Flag(help: "Measure PDF extraction, OCR and Word 97 conversion instead (PDFBench): files made by LibreOffice from the first corpus folder's .txt files.")
    var pdf = false

    @Flag(help: "With --big: also copy the corpus and index it at once, run one rsearch index, and time whole-process searches against rg on that copy (a newcomer's first use).")
    var freshCopy = false

    static let queries: [(category: String, text: String)] = [
        ("1 char", "党"), ("1 char", "法"), ("1 char", "诗"),
        ("2 chars", "经济"), ("2 chars", "改革"), ("2 chars", "安全"),
        ("4 chars", "意识形态"), ("4 chars", "改革开放"), ("4 chars", "乡村振兴"),
        ("long", "坚持以人民为中心的发展思想"), ("long", "全面建设社会主义现代化国家"),
        ("Latin/digit/mixed", "GDP"), ("Latin/digit/mixed", "2022年"), ("Latin/digit/mixed", "5G"),
        ("Latin/digit/mixed", "debian"), ("Latin/digit/mixed", "PM2.5"),
        ("rare", "新质生产力"), ("rare", "龚正"), ("rare", "量子信息"),
        ("very common", "发展"), ("very common", "的"), ("very common", "中国"),
        ("absent", "量子纠缠态报告"), ("absent", "这是不存在的短语"),
    ]

    /// Searched with `--no-fold` as well (traditional and simplified kept
    /// apart), and two traditional terms that only it tells apart.
    static let unfoldedQueries: [(category: String, text: String)] = [
        ("no-fold", "党"), ("no-fold", "诗"), ("no-fold", "的"), ("no-fold", "经济"), ("no-fold", "中国"),
        ("no-fold", "意识形态"), ("no-fold", "发展"), ("no-fold", "無"), ("no-fold", "經濟"), ("no-fold", "龚正"),
    ]

    /// Searched with `-c` as well, each report with its count of matches:
    /// the same question `rg -F -c` answers, every match counted.
    static let countedQueries: [(category: String, text: String)] = [
        ("count", "党"), ("count", "的"), ("count", "经济"), ("count", "意识形态"), ("count", "PM2.5"),
    ]

    /// Alternatives joined by OR, as people paste keyword lists: 10, 65, 200
    /// and 800 distinct terms of 2 to 4 Han characters cut from the first
    /// 2 MB of the corpus's text (files in path order), the same every run.
    static func alternativeQueries(from corpus: URL) -> [(category: String, text: String)] {
        var text: [Unicode.Scalar] = []
        let files = (FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "txt" } ?? []).sorted { $0.path < $1.path }
        for file in files where text.count < 700_000 {
            if let s = try? String(contentsOf: file, encoding: .utf8) { text += s.unicodeScalars }
        }
        let han = { (s: Unicode.Scalar) in (0x4E00...0x9FFF).contains(s.value) }
        let runs = text.split { !han($0) }.filter { $0.count >= 4 }
        guard !runs.isEmpty else { return [] }
        var rng = SplitMix64(seed: 18)
        var terms: [String] = []
        var seen = Set<String>()
        while terms.count < 800 {
            let run = runs[Int(rng.next() % UInt64(runs.count))]
            let length = 2 + Int(rng.next() % 3)
            let start = run.startIndex + Int(rng.next() % UInt64(run.count - length + 1))
            let term = String(String.UnicodeScalarView(run[start..<(start + length)]))
            if seen.insert(term).inserted { terms.append(term) }
        }
        return [10, 65, 200, 800].map { (category: "OR of \($0)", text: terms.prefix($0).joined(separator: " OR ")) }
    }

    /// The command-line options of a query's category.
    static func flags(_ category: String) -> [String] {
        switch category {
        case "no-fold": return ["--no-fold"]
        case "count": return ["-c"]
        default: return []
        }
    }

    /// The `rsearch` built beside this program.
    func rsearchBinary() throws -> String {
        let rsearch = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("rsearch").path
        guard FileManager.default.isExecutableFile(atPath: rsearch) else {
            throw ValidationError("rsearch binary not found beside rsearch-bench (build both: swift build -c release)")
        }
        return rsearch
    }

    mutating func run() throws {
        let fm = FileManager.default
        let workURL = URL(fileURLWithPath: work).standardizedFileURL
        try fm.createDirectory(at: workURL, withIntermediateDirectories: true)
        let sources = corpora.isEmpty ? ["../shared/corpora"] : corpora
        if stages {
            try Stages.measure(sources.map { URL(fileURLWithPath: $0) })
            return
        }
        if pdf {
            let table = try PDFBench.run(rsearch: try rsearchBinary(), source: URL(fileURLWithPath: sources[0]), work: workURL,
                                         runs: max(1, processRuns))
            print(table)
            try (table + "\n").write(to: workURL.appendingPathComponent("results-pdf.md"), atomically: true, encoding: .utf8)
            return
        }
        if judge {
            let index = workURL.appendingPathComponent("rsearch-judge.sqlite")
            if !reuseIndex {
                let build = Measure.run(try rsearchBinary(), ["index", "--rebuild", "-q", "--corpus", sources[0], "--index", index.path])
                guard build.status == 0 else { throw ValidationError("rsearch index failed (\(build.status))") }
            }
            let table = try Judging.run(Searcher(index: try IndexDatabase(path: index)))
            try (table + "\n").write(to: workURL.appendingPathComponent("results-judge.md"), atomically: true, encoding: .utf8)
            return
        }
        let label = big ? "1g" : "base"
        let corpus = workURL.appendingPathComponent("corpus-\(label)")
        if reuseIndex {
            // Queried as found.
        } else if big {
            try Derived.make(from: sources.map { URL(fileURLWithPath: $0) }, into: corpus, copies: 7)
        } else {
            try? fm.removeItem(at: corpus)
            try fm.createDirectory(at: corpus, withIntermediateDirectories: true)
            for (n, source) in sources.enumerated() {
                try fm.copyItem(at: URL(fileURLWithPath: source), to: corpus.appendingPathComponent("c\(n)"))
            }
            // The copies are ours to modify (the incremental step touches files).
            chmodRecursively(corpus)
        }
        let index = workURL.appendingPathComponent("rsearch-\(label).sqlite")
        let rsearch = try rsearchBinary()
        let locations = ["--corpus", corpus.path, "--index", index.path]
        var report = Report(label: label, corpus: corpus.path)
        print("corpus: \(corpus.path)")

        // Full build, in a child process so its peak memory is its own.
        let build = reuseIndex ? ProcessMeasurement(seconds: 0, peakRSSBytes: 0, status: 0)
            : Measure.runMeasuringPeak(rsearch, ["index", "--rebuild", "-q"] + locations)
        guard build.status == 0 else { throw ValidationError("rsearch index failed (\(build.status))") }
        let database = try IndexDatabase(path: index)
        let raw = try database.sourceBytes()
        let files = try database.reportCount()
        report.rawBytes = raw
        report.files = files
        report.buildSeconds = build.seconds
        report.buildPeakRSS = build.peakRSSBytes
        let sizes = try database.tableSizes()
        report.ftsBytes = sizes.filter { $0.key.hasPrefix(IndexDatabase.fullTextTablePrefix) }.values.reduce(0, +)
        report.databaseBytes = try fm.attributesOfItem(atPath: index.path)[.size] as? Int ?? 0
        print(String(format: "build: %.1f s, %.2f MB/s, peak %.0f MB", build.seconds, Double(raw) / 1e6 / build.seconds,
                     Double(build.peakRSSBytes) / 1e6))

        // Incremental update after changing 1% of the files.
        if !reuseIndex {
        let reportPaths = try database.reportPaths()
        let touched = stride(from: 0, to: reportPaths.count, by: 100).map { corpus.appendingPathComponent(reportPaths[$0]) }
        var originals: [(URL, Data)] = []
        for url in touched {
            let data = try Data(contentsOf: url)
            originals.append((url, data))
            try (data + Data("\n基准测试修改。\n".utf8)).write(to: url)
        }
        let update = Measure.run(rsearch, ["index", "-q"] + locations)
        report.updateSeconds = update.seconds
        report.updateFiles = touched.count
        for (url, data) in originals { try data.write(to: url) }
        _ = Measure.run(rsearch, ["index", "-q"] + locations)
        print(String(format: "update of %d files: %.2f s", touched.count, update.seconds))
        }

        // Queries inside one process.
        let searcher = Searcher(index: try IndexDatabase(path: index))
        _ = database
        // The whole process runs as a user runs it, `rsearch QUERY`, with
        // the corpus and index configured (here by the environment).
        setenv("RSEARCH_CORPUS", corpus.path, 1)
        setenv("RSEARCH_INDEX", index.path, 1)
        let phrases = only.isEmpty ? Self.queries + Self.unfoldedQueries + Self.countedQueries
            : only.map { (category: "selected", text: $0) }
        // Last, so that the baselines' rows line up with the phrases before them.
        let queries = phrases + (only.isEmpty ? Self.alternativeQueries(from: corpus) : [])
        var all: [Double] = []
        for (category, text) in queries {
            var total = 0
            var options = SearchOptions()
            if category == "no-fold" { options.folding = .exact }
            if category == "count" {
                options.detail = .counts
                options.limit = nil
            }
            let times = try Measure.samples(runs) {
                total = try searcher.search(queryText(category, text), options: options).total
            }
            all += times
            var q = QueryReport(category: category, text: text, total: total,
                                p50: Measure.percentile(times, 50), p95: Measure.percentile(times, 95),
                                p99: Measure.percentile(times, 99))
            // The whole process: start, open, search, print.
            var process: [Double] = []
            for _ in 0..<processRuns {
                process.append(Measure.run(rsearch, Self.flags(category) + [queryText(category, text)]).seconds * 1000)
            }
            q.processMedian = Measure.median(process)
            report.queries.append(q)
        }
        report.allP50 = Measure.percentile(all, 50)
        report.allP95 = Measure.percentile(all, 95)
        report.allP99 = Measure.percentile(all, 99)

        if !noBaselines {
            try Trigram.measure(index: index, work: workURL, label: label, queries: phrases.map(\.text), runs: runs,
                                build: !reuseIndex, into: &report)
            Ripgrep.measure(corpus: corpus, queries: queries.map(\.text), runs: processRuns, into: &report)
        }

        if big && freshCopy && !reuseIndex {
            try measureFreshCopy(of: corpus, rsearch: rsearch, work: workURL, into: &report)
        }

        let markdown = report.markdown()
        print(markdown)
        let out = workURL.appendingPathComponent("results-\(label).md")
        try markdown.write(to: out, atomically: true, encoding: .utf8)
        try report.json().write(to: workURL.appendingPathComponent("results-\(label).json"), atomically: true, encoding: .utf8)
        print("written: \(out.path) and results-\(label).json")
    }

    func quotedTerm(_ text: String) -> String { "\"" + text + "\"" }

    /// A phrase quoted as one literal term; alternatives as they are.
    func queryText(_ category: String, _ text: String) -> String {
        category.hasPrefix("OR of") ? text : quotedTerm(text)
    }

    /// The newcomer's flow: the corpus copied (new folder times), indexed at
    /// once, one `rsearch index` after the racy window, then searches run
    /// as a user runs them, against `rg` on the same copy.
    func measureFreshCopy(of corpus: URL, rsearch: String, work: URL, into report: inout Report) throws {
        let copy = work.appendingPathComponent("corpus-fresh")
        let index = work.appendingPathComponent("rsearch-fresh.sqlite")
        try? FileManager.default.removeItem(at: copy)
        try? FileManager.default.removeItem(at: index)
        guard Measure.run("/bin/cp", ["-r", corpus.path, copy.path]).status == 0 else {
            throw ValidationError("could not copy \(corpus.path)")
        }
        let locations = ["--corpus", copy.path, "--index", index.path]
        let build = Measure.runMeasuringPeak(rsearch, ["index", "-q"] + locations)
        guard build.status == 0 else { throw ValidationError("rsearch index failed on the fresh copy (\(build.status))") }
        Thread.sleep(forTimeInterval: 2.5)
        _ = Measure.run(rsearch, ["index", "-q"] + locations)
        report.freshBuildSeconds = build.seconds
        report.freshBuildPeakRSS = build.peakRSSBytes
        setenv("RSEARCH_CORPUS", copy.path, 1)
        setenv("RSEARCH_INDEX", index.path, 1)
        let rg = Ripgrep.path
        for (category, text) in Self.queries + Self.countedQueries {
            let process = (0..<processRuns).map { _ in
                Measure.run(rsearch, Self.flags(category) + [queryText(category, text)]).seconds * 1000
            }
            let rgTimes = rg.map { rg in
                (0..<processRuns).map { _ in Measure.run(rg, ["-F", "-c", "--no-messages", text, copy.path]).seconds * 1000 }
            }
            report.fresh.append(FreshQuery(category: category, text: text, processMedian: Measure.median(process),
                                           rgMedian: rgTimes.map(Measure.median)))
        }
    }

    func chmodRecursively(_ url: URL) {
        let walker = FileManager.default.enumerator(atPath: url.path)
        while let path = walker?.nextObject() as? String {
            let full = url.appendingPathComponent(path).path
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: full, isDirectory: &isDir)
            _ = chmod(full, isDir.boolValue ? 0o755 : 0o644)
        }
        _ = chmod(url.path, 0o755)
    }
}
