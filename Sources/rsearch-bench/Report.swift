import Foundation

struct QueryReport: Codable {
    var category: String
    var text: String
    var total: Int
    var p50: Double
    var p95: Double
    var p99: Double
    var processMedian: Double = .nan
    var trigramTotal: Int?
    var trigramP50: Double?
    var rgMedian: Double?
}

/// A whole-process search on the freshly copied corpus (`--fresh-copy`).
struct FreshQuery: Codable {
    var category: String
    var text: String
    var processMedian: Double
    var rgMedian: Double?
}

struct Report: Codable {
    var label: String
    var corpus: String
    var files = 0
    var rawBytes = 0
    var buildSeconds = 0.0
    var buildPeakRSS = 0
    var ftsBytes = 0
    var databaseBytes = 0
    var updateSeconds = 0.0
    var updateFiles = 0
    var queries: [QueryReport] = []
    var allP50 = 0.0, allP95 = 0.0, allP99 = 0.0
    var trigramBuildSeconds: Double?
    var trigramFTSBytes: Int?
    var trigramDatabaseBytes: Int?
    var trigramP50: Double?
    var trigramP99: Double?
    var trigramUnanswerable = 0
    var freshBuildSeconds: Double?
    var freshBuildPeakRSS: Int?
    var fresh: [FreshQuery] = []

    var mb: Double { Double(rawBytes) / 1e6 }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func markdown() -> String {
        func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
        var s = "### Corpus `\(label)`: \(files) files, \(f(mb)) MB of text\n\n"
        s += "| measure | rsearch | FTS5 trigram | ratio |\n|---|---|---|---|\n"
        let throughput = mb / buildSeconds
        if let t = trigramBuildSeconds {
            s += "| full build, s (MB/s) | \(f(buildSeconds)) (\(f(throughput, 2))) | \(f(t)) (\(f(mb / t, 2))) | \(f(t / buildSeconds, 2))× faster |\n"
        } else {
            s += "| full build, s (MB/s) | \(f(buildSeconds)) (\(f(throughput, 2))) | – | – |\n"
        }
        s += "| peak memory of the build | \(f(Double(buildPeakRSS) / 1e6, 0)) MB | – | – |\n"
        s += "| update after changing \(updateFiles) files (1%) | \(f(updateSeconds, 2)) s = \(f(updateSeconds / buildSeconds * 100, 1))% of a build | – | – |\n"
        let ftsRatio = Double(ftsBytes) / Double(rawBytes)
        if let tf = trigramFTSBytes, let td = trigramDatabaseBytes {
            s += "| FTS index / raw text | \(f(ftsRatio, 2)) | \(f(Double(tf) / Double(rawBytes), 2)) | \(f(Double(ftsBytes) / Double(tf), 2)) |\n"
            s += "| whole database / raw text | \(f(Double(databaseBytes) / Double(rawBytes), 2)) | \(f(Double(td) / Double(rawBytes), 2)) | |\n"
        } else {
            s += "| FTS index / raw text | \(f(ftsRatio, 2)) | – | – |\n"
            s += "| whole database / raw text | \(f(Double(databaseBytes) / Double(rawBytes), 2)) | – | – |\n"
        }
        s += "| top-10 + snippets + exact total, all queries: p50 / p95 / p99 ms | \(f(allP50, 2)) / \(f(allP95, 2)) / \(f(allP99, 2)) | "
        s += trigramP50.map { "\(f($0, 2)) / – / \(f(trigramP99 ?? .nan, 2))" } ?? "–"
        s += " | |\n"
        s += "| queries the index cannot answer | 0 of \(queries.count) | \(trigramUnanswerable) of \(queries.count) (under 3 characters) | |\n\n"

        s += "| query | category | total | rsearch p50 / p99 ms | whole `rsearch` ms | trigram p50 ms (total) | `rg -F -c` ms | rg ÷ rsearch |\n"
        s += "|---|---|---|---|---|---|---|---|\n"
        for q in queries {
            let tri = q.trigramP50.map { "\(f($0, 2)) (\(q.trigramTotal ?? 0))" } ?? "–"
            let rg = q.rgMedian.map { f($0, 0) } ?? "–"
            let ratio = q.rgMedian.map { f($0 / q.processMedian, 1) + "×" } ?? "–"
            s += "| \(Self.label(q.text, q.category)) | \(q.category) | \(q.total) | \(f(q.p50, 2)) / \(f(q.p99, 2)) | \(f(q.processMedian, 0)) | \(tri) | \(rg) | \(ratio) |\n"
        }
        s += Self.medians("Median whole-process time", process: queries.map(\.processMedian), rg: queries.compactMap(\.rgMedian))
        if let seconds = freshBuildSeconds {
            s += "\n#### Copied and indexed at once, then one `rsearch index` (a newcomer's first use)\n\n"
            s += "Build of the fresh copy: \(f(seconds)) s, peak \(f(Double(freshBuildPeakRSS ?? 0) / 1e6, 0)) MB.\n\n"
            s += "| query | category | whole `rsearch` ms | `rg -F -c` ms | rg ÷ rsearch |\n|---|---|---|---|---|\n"
            for q in fresh {
                let rg = q.rgMedian.map { f($0, 0) } ?? "–"
                let ratio = q.rgMedian.map { f($0 / q.processMedian, 1) + "×" } ?? "–"
                s += "| \(Self.label(q.text, q.category)) | \(q.category) | \(f(q.processMedian, 0)) | \(rg) | \(ratio) |\n"
            }
            s += Self.medians("Median whole-process time on the fresh copy", process: fresh.map(\.processMedian),
                              rg: fresh.compactMap(\.rgMedian))
        }
        return s
    }

    /// The line comparing the median whole-process times, and the slowest.
    /// A query as the tables show it: with its category's options.
    static func label(_ text: String, _ category: String) -> String {
        if category.hasPrefix("OR of") {
            let terms = text.components(separatedBy: " OR ")
            return terms.prefix(3).joined(separator: " OR ") + " OR … (\(terms.count) terms)"
        }
        let flags = Bench.flags(category)
        return flags.isEmpty ? text : text + " `" + flags.joined(separator: " ") + "`"
    }

    static func medians(_ label: String, process times: [Double], rg: [Double]) -> String {
        func f(_ v: Double) -> String { String(format: "%.0f", v) }
        let process = Measure.median(times)
        var s = "\n\(label): rsearch \(f(process)) ms"
        if !rg.isEmpty {
            let r = Measure.median(rg)
            s += ", `rg -F -c` \(f(r)) ms: rsearch is \(String(format: "%.1f", r / process))× faster for the median query"
        }
        return s + "; slowest rsearch \(f(times.max() ?? 0)) ms.\n"
    }
}
