import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What one run of `rsearch index` did.
public struct BuildSummary: Sendable {
    public var reports = 0
    public var sections = 0
    public var bytes = 0
    public var skipped: [(path: String, reason: String)] = []
    public var seconds = 0.0
}

/// Builds an index from a corpus.
///
/// The index is built in a file beside the destination and renamed over it
/// only when complete, so whatever happens during a build (an error, a full
/// disk, kill -9), the previous index is still there, whole, for searches
/// and for the next build. A lock file keeps two builders from racing.
public struct IndexBuilder {
    public var corpus: Corpus
    public var destination: URL
    public var parser = ReportParser()
    /// Called after each file with (files done, files total, bytes done).
    public var progress: ((Int, Int, Int) -> Void)?

    public init(corpus: Corpus, destination: URL) {
        self.corpus = corpus
        self.destination = destination
    }

    public func build() throws -> BuildSummary {
        let started = Date()
        let files = try corpus.files()
        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw RSearchError.indexNotWritable(path: folder.path, reason: "cannot create the folder")
        }
        let lock = try IndexLock(index: destination)
        defer { lock.release() }

        let temporary = destination.appendingPathExtension("tmp-\(getpid())")
        try? FileManager.default.removeItem(at: temporary)
        var summary = BuildSummary()
        do {
            summary = try write(files, to: temporary)
            try IndexBuilder.publish(temporary, as: destination)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? RSearchError { throw error }
            throw RSearchError.indexNotWritable(path: destination.path, reason: String(describing: error))
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    private func write(_ files: [CorpusFile], to path: URL) throws -> BuildSummary {
        var summary = BuildSummary()
        let queue = try DatabaseQueue(path: path.path, configuration: IndexDatabase.configuration(readonly: false))
        try queue.inDatabase { db in
            // The temporary file is thrown away on any failure, so it needs
            // no journal; durability comes from the fsync before the rename.
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        try Schema.migrator.migrate(queue)
        try queue.inDatabase { db in
            try Schema.beginBulkLoad(db)
            try db.inTransaction {
                let insertReport = try db.makeStatement(sql: """
                    INSERT INTO report (path, title, year, date, kind, author, unit, title_n, kind_n, author_n, unit_n,
                                        size, mtime, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertSection = try db.makeStatement(sql: """
                    INSERT INTO section (report_id, ord, path, heading, line, text) VALUES (?, ?, ?, ?, ?, ?)
                    """)
                let insertSkipped = try db.makeStatement(sql: "INSERT INTO skipped_file (path, size, mtime, reason) VALUES (?, ?, ?, ?)")
                func skip(_ file: CorpusFile, _ reason: String) throws {
                    summary.skipped.append((file.path, reason))
                    try insertSkipped.execute(arguments: [file.path, file.size, file.mtime, reason])
                }
                let insertFTS = try db.makeStatement(sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)")
                for (n, file) in files.enumerated() {
                    defer { progress?(n + 1, files.count, summary.bytes) }
                    let data: Data
                    do {
                        data = try Data(contentsOf: file.url)
                    } catch {
                        try skip(file, "cannot be read")
                        continue
                    }
                    summary.bytes += data.count
                    let text: String
                    do {
                        text = try TextDecoding.decode(data).text
                    } catch {
                        try skip(file, String(describing: error))
                        continue
                    }
                    let format: ReportParser.Format = file.url.pathExtension.lowercased() == "txt" ? .plainText : .markdown
                    let document = parser.parse(text, fileName: file.url.lastPathComponent, format: format)
                    let m = document.metadata
                    try insertReport.execute(arguments: [
                        file.path, m.title, m.year, m.date, m.kind, m.author, m.unit,
                        fold(m.title), fold(m.kind), fold(m.author), fold(m.unit),
                        file.size, file.mtime, ContentHash.hex(data),
                    ])
                    let reportID = db.lastInsertedRowID
                    for (ord, section) in document.sections.enumerated() {
                        try insertSection.execute(arguments: [
                            reportID, ord, SectionPath.encode(section.path), section.heading, section.line, section.text,
                        ])
                        try insertFTS.execute(arguments: [db.lastInsertedRowID, section.heading, section.text])
                    }
                    summary.reports += 1
                    summary.sections += document.sections.count
                }
                let meta = try db.makeStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
                try meta.execute(arguments: ["format", Schema.format])
                try meta.execute(arguments: ["corpus", corpus.root.path])
                try meta.execute(arguments: ["built", ISO8601DateFormatter().string(from: Date())])
                return .commit
            }
            try Schema.finishBulkLoad(db)
            // Merging leaves the pages of the merged segments free; the
            // published index should not carry them.
            try db.execute(sql: "VACUUM")
        }
        try queue.close()
        return summary
    }

    private func fold(_ value: String?) -> String { Folding.index.string(value ?? "") }

    /// Makes the finished file durable, then renames it over the old index in
    /// one atomic step: a reader sees the old index or the new, never a mix.
    static func publish(_ temporary: URL, as destination: URL) throws {
        let fd = open(temporary.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary.path, destination.path) == 0 else {
            throw RSearchError.indexNotWritable(path: destination.path, reason: String(cString: strerror(errno)))
        }
        let dir = open(destination.deletingLastPathComponent().path, O_RDONLY)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}

/// An exclusive advisory lock beside the index, held while it is written.
/// The kernel drops it when the process dies, however it dies.
struct IndexLock {
    private let fd: Int32
    let index: URL

    init(index: URL) throws {
        self.index = index
        let path = index.path + ".lock"
        fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw RSearchError.indexNotWritable(path: index.path, reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw RSearchError.indexBusy(path: index.path)
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// How a section path is stored: headings joined by a separator that no
/// heading contains (a heading never spans lines).
enum SectionPath {
    static func encode(_ path: [String]) -> String { path.joined(separator: "\n") }
    static func decode(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
