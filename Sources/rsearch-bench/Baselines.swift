import Foundation
import SplitMix64
import GRDB
import RSearchDocuments
import RSearchEngine
import RSearchQuery
import RSearchStore
import RSearchText

/// SQLite FTS5's own substring index, over the very sections rsearch
/// indexed: the same engine with the standard `trigram` tokenizer.
enum Trigram {
    static func measure(index: URL, work: URL, label: String, queries: [String], runs: Int, build: Bool = true,
                        into report: inout Report) throws {
        let path = work.appendingPathComponent("trigram-\(label).sqlite")
        if build { try Self.build(path, from: index, into: &report) }
        let queue = try DatabaseQueue(path: path.path)
        var all: [Double] = []
        for (n, q) in queries.enumerated() {
            let match = "\"" + q.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            var total = 0
            let times = try Measure.samples(runs) {
                try queue.read { db in
                    total = try Int.fetchOne(db, sql: "SELECT count(*) FROM tri WHERE tri MATCH ?", arguments: [match]) ?? 0
                    _ = try Row.fetchAll(db, sql: """
                        SELECT rowid, snippet(tri, 1, '[', ']', '…', 24) FROM tri WHERE tri MATCH ? ORDER BY rank LIMIT 10
                        """, arguments: [match])
                }
            }
            all += times
            report.queries[n].trigramTotal = total
            report.queries[n].trigramP50 = Measure.percentile(times, 50)
            if q.count < 3 { report.trigramUnanswerable += 1 }
        }
        report.trigramP50 = Measure.percentile(all, 50)
        report.trigramP99 = Measure.percentile(all, 99)
    }

    /// The trigram table over the same section rows as `index`.
    static func build(_ path: URL, from index: URL, into report: inout Report) throws {
        let built = try SideTable.build(path, from: index, table: "tri", options: "tokenize='trigram'")
        report.trigramBuildSeconds = built.seconds
        report.trigramFTSBytes = built.ftsBytes
        report.trigramDatabaseBytes = built.databaseBytes
    }
}

/// An FTS5 table over a copy of an index's section rows (external content),
/// loaded the way rsearch loads its own: automerge off, one transaction, one
/// `optimize`, then VACUUM. Only the FTS5 work is timed: for rsearch's own
/// build too, the sections were parsed already.
enum SideTable {
    /// Enough to read the index's `section` view, which it copies.
    static var configuration: Configuration {
        var c = Configuration()
        c.prepareDatabase { db in IndexDatabase.addExtensions(to: db) }
        return c
    }

    static func build(_ path: URL, from index: URL, table: String, options: String,
                      configuration: Configuration = SideTable.configuration) throws
        -> (seconds: Double, ftsBytes: Int, databaseBytes: Int) {
        try? FileManager.default.removeItem(at: path)
        let queue = try DatabaseQueue(path: path.path, configuration: configuration)
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [index.path])
            try db.execute(sql: """
                CREATE TABLE section (id INTEGER PRIMARY KEY, heading TEXT, text TEXT);
                INSERT INTO section SELECT id, heading, text FROM src.section;
                DETACH DATABASE src;
                CREATE VIRTUAL TABLE \(table) USING fts5(text, heading, content='section', content_rowid='id',
                                                       \(options), detail=full);
                """)
        }
        let start = Measure.now()
        try queue.inDatabase { db in
            try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES('automerge', 0)")
            try db.inTransaction {
                try db.execute(sql: "INSERT INTO \(table)(rowid, heading, text) SELECT id, heading, text FROM section")
                return .commit
            }
            try db.execute(sql: "INSERT INTO \(table)(\(table)) VALUES('optimize')")
        }
        let seconds = Measure.now() - start
        try queue.inDatabase { db in try db.execute(sql: "VACUUM") }
        let ftsBytes = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?", arguments: [table + "%"]) ?? 0
        }
        try queue.close()
        let databaseBytes = try FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int ?? 0
        return (seconds, ftsBytes, databaseBytes)
    }
}

/// ripgrep, what people use instead of an index: `rg -F -c` over the files.
enum Ripgrep {
    static func measure(corpus: URL, queries: [String], runs: Int, into report: inout Report) {
        guard let rg = ["/usr/bin/rg", "/usr/local/bin/rg"].first(where: FileManager.default.isExecutableFile) else {
            print("ripgrep not found: apt-get install ripgrep")
            return
        }
        for (n, q) in queries.enumerated() {
            var times: [Double] = []
            for _ in 0..<runs {
                times.append(Measure.run(rg, ["-F", "-c", "--no-messages", q, corpus.path]).seconds * 1000)
            }
            report.queries[n].rgMedian = Measure.median(times)
        }
    }
}

/// The ~1 GB corpus: deterministic copies of the base corpus, each file's
/// paragraphs shuffled and an id line added, so no two copies are alike.
enum Derived {
    static func make(from sources: [URL], into target: URL, copies: Int) throws {
        let fm = FileManager.default
        let done = target.appendingPathComponent(".complete")
        if fm.fileExists(atPath: done.path) { return }
        try? fm.removeItem(at: target)
        print("making the derived corpus in \(target.path) …")
        for (s, source) in sources.enumerated() {
            let files = (fm.enumerator(atPath: source.path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".txt") }.sorted()
            for copy in 0..<copies {
                for file in files {
                    guard let text = try? String(contentsOf: source.appendingPathComponent(file), encoding: .utf8) else { continue }
                    var rng = SplitMix64(seed: file.fnv ^ UInt64(copy + 1) &* 0x9E37_79B9)
                    var paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
                    if paragraphs.count > 2 {
                        let head = paragraphs.prefix(2)
                        var rest = Array(paragraphs.dropFirst(2))
                        rest.shuffle(using: &rng)
                        paragraphs = Array(head) + rest
                    }
                    let out = target.appendingPathComponent("s\(s)/copy\(copy)/\(file)")
                    try fm.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
                    let body = "副本编号：\(copy)-\(file.fnv % 100_000)\n" + paragraphs.joined(separator: "\n")
                    try body.write(to: out, atomically: false, encoding: .utf8)
                }
            }
        }
        try Data().write(to: done)
    }

}

/// rsearch's own FTS5 table built again with `prefix='1'` (a prefix index on
/// every token's first character), over the same section rows: what the
/// issue asks to decide by measurement for single-character terms. Each
/// query runs the same two statements (count, top 10 by bm25) against both
/// tables in the same process, so only the prefix index differs.
enum PrefixVariant {
    struct Result: Codable {
        var buildSeconds: Double
        var ftsBytes: Int
        var rows: [Row]
        struct Row: Codable {
            var query: String
            var total: Int
            var withoutPrefixP50: Double
            var withPrefixP50: Double
        }
    }

    static func measure(index: URL, work: URL, label: String, queries: [String], runs: Int,
                        configuration: Configuration) throws -> Result {
        let path = work.appendingPathComponent("prefix1-\(label).sqlite")
        let built = try SideTable.build(path, from: index, table: "pf",
                                        options: "tokenize='\(FTS5BigramTokenizer.name)', prefix='1'",
                                        configuration: configuration)
        let queue = try DatabaseQueue(path: path.path, configuration: configuration)

        let plain = try DatabaseQueue(path: index.path, configuration: configuration)
        var rows: [Result.Row] = []
        for q in queries {
            guard let fts = MatchCompiler().compile(.term(q)).fts else { continue }
            func time(_ queue: DatabaseQueue, _ table: String) throws -> (Double, Int) {
                var total = 0
                let times = try Measure.samples(runs) {
                    try queue.read { db in
                        total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE \(table) MATCH ?", arguments: [fts]) ?? 0
                        _ = try Row.fetchAll(db, sql: """
                            SELECT rowid, bm25(\(table), 1.0, 4.0) AS s FROM \(table) WHERE \(table) MATCH ? ORDER BY s LIMIT 11
                            """, arguments: [fts])
                    }
                }
                return (Measure.median(times), total)
            }
            let (without, total) = try time(plain, "section_fts")
            let (with, _) = try time(queue, "pf")
            rows.append(.init(query: q, total: total, withoutPrefixP50: without, withPrefixP50: with))
        }
        return Result(buildSeconds: built.seconds, ftsBytes: built.ftsBytes, rows: rows)
    }

    static func markdown(_ r: Result, rawBytes: Int, ftsBytes: Int, buildSeconds: Double) -> String {
        func f(_ v: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", v) }
        var s = "#### The same FTS5 table with `prefix='1'`\n\n"
        s += "FTS index \(f(Double(r.ftsBytes) / Double(rawBytes))) × the raw text (without: \(f(Double(ftsBytes) / Double(rawBytes)))); "
        s += "FTS5 insert + optimize \(f(r.buildSeconds, 1)) s (rsearch's whole build: \(f(buildSeconds, 1)) s).\n\n"
        s += "| query | total | count + top-10 bm25 ms, without | with prefix='1' |\n|---|---|---|---|\n"
        for row in r.rows {
            s += "| \(row.query) | \(row.total) | \(f(row.withoutPrefixP50)) | \(f(row.withPrefixP50)) |\n"
        }
        return s + "\n"
    }
}
