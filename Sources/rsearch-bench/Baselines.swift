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
    static func build(_ path: URL, from index: URL, table: String, options: String) throws
        -> (seconds: Double, ftsBytes: Int, databaseBytes: Int) {
        try IndexDatabase(path: index).copySections(to: path)
        let queue = try DatabaseQueue(path: path.path)
        try queue.inDatabase { db in
            try db.execute(sql: """
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
    /// The installed `rg`, if any.
    static let path = ["/usr/bin/rg", "/usr/local/bin/rg"].first(where: FileManager.default.isExecutableFile)

    static func measure(corpus: URL, queries: [String], runs: Int, into report: inout Report) {
        guard let rg = path else {
            print("ripgrep not found: apt-get install ripgrep")
            return
        }
        for (n, q) in queries.enumerated() {
            var times: [Double] = []
            // Alternatives (`A OR B …`): one pattern each, as `rg -e A -e B` takes them.
            let patterns = q.contains(" OR ") ? q.components(separatedBy: " OR ").flatMap { ["-e", $0] } : [q]
            for _ in 0..<runs {
                times.append(Measure.run(rg, ["-F", "-c", "--no-messages"] + patterns + [corpus.path]).seconds * 1000)
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
