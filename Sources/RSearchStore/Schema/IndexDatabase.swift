import Foundation
import GRDB
import RSearchDocuments

/// Opening an index for reading.
///
/// The index uses SQLite's rollback journal (not WAL): no `-wal` or `-shm`
/// files exist that a rename could separate from their database. An update
/// writes in place (`IndexBuilder`), so a reader waits (briefly) while a
/// commit is written, and may find the journal of an update that was
/// killed: SQLite then rolls it back, which needs write access, so readers
/// open the file read-write when they may (they never write) and read-only
/// otherwise.
public struct IndexDatabase: Sendable {
    public let path: URL
    let queue: DatabaseQueue

    static func configuration(readonly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.label = "rsearch"
        config.prepareDatabase { db in
            addExtensions(to: db)
            OnePassRanking.register(db)
            if readonly {
                // Pages are read through a memory map rather than copied by
                // read(2) into SQLite's cache: the copying was 14% of a
                // common term's search (perf). Writers change pages only
                // under the exclusive lock, when no reader is reading.
                try db.execute(sql: "PRAGMA mmap_size = \(Self.mmapSize)")
            }
        }
        return config
    }

    /// What any connection needs to read an index's tables: the tokenizer
    /// of `section_fts`, the functions of the `section` view and the
    /// ranking's `rsearch_heading_prior`.
    public static func addExtensions(to db: Database) {
        db.add(tokenizer: FTS5BigramTokenizer.self)
        StoredSection.addFunctions(to: db)
        HeadingPrior.addFunction(to: db)
    }

    /// As large as SQLite allows (its compile-time cap, 2 GB in Debian's
    /// build, applies); address space, not memory.
    static let mmapSize = 1 << 40

    /// Read-only SQL either way (the memory map of `configuration(readonly:
    /// true)` included); opened read-write where the file and its folder are
    /// writable, so that SQLite can roll back the journal of an interrupted
    /// update.
    static func readerConfiguration(_ path: URL) -> Configuration {
        var config = configuration(readonly: true)
        if access(path.path, W_OK) == 0, access(path.deletingLastPathComponent().path, W_OK) == 0 {
            config.readonly = false
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
        }
        config.busyMode = .timeout(30)
        return config
    }

    public static func exists(at path: URL) -> Bool {
        FileManager.default.fileExists(atPath: path.path)
    }

    /// Opens and checks the index: that it is an SQLite database, that it
    /// holds rsearch's tables, and that its format is this version's.
    public init(path: URL) throws {
        self.path = path
        guard Self.exists(at: path) else { throw IndexError.missing(path: path.path) }
        do {
            queue = try DatabaseQueue(path: path.path, configuration: Self.readerConfiguration(path))
        } catch {
            throw IndexError.unreadable(path: path.path, reason: Self.reason(error))
        }
        let format: String?
        do {
            // Asked directly, not through GRDB's schema introspection
            // (`tableExists`), which cost 0.9 ms of each start (perf).
            format = try queue.read { db -> String? in
                do {
                    return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'")
                } catch let error as DatabaseError where error.message?.hasPrefix("no such table") == true {
                    return nil
                }
            }
        } catch {
            throw IndexError.unreadable(path: path.path, reason: Self.reason(error))
        }
        guard let format else {
            throw IndexError.unreadable(path: path.path, reason: "not an rsearch index")
        }
        guard format == Schema.format else {
            throw IndexError.incompatible(path: path.path, found: format, expected: Schema.format)
        }
    }

    static func reason(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return String(describing: error)
    }

    /// The corpus folder the index was built from.
    public func corpusRoot() throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'corpus'") }
    }

    struct FileStamp: Equatable {
        var size: Int
        var mtime: Double
        var hash: String
    }

    /// Every file the index knows, indexed or skipped, with its stamp.
    func fileStamps() throws -> [String: FileStamp] {
        try queue.read { db in
            var result: [String: FileStamp] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT path, size, mtime, hash FROM report UNION ALL SELECT path, size, mtime, hash FROM skipped_file
                """)
            while let row = try rows.next() {
                result[row[0]] = FileStamp(size: row[1], mtime: row[2], hash: row[3])
            }
            return result
        }
    }

    /// Paths of the files with pages that wait for OCR: reports with some
    /// (`report.ocr` = 0), and files skipped for having nothing else.
    public func waitingForOCR() throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT path FROM report WHERE ocr = 0
                UNION SELECT path FROM skipped_file WHERE reason LIKE ? ORDER BY 1
                """, arguments: [PDFReader.Failure.needsOCRPrefix + "%"])
        }
    }

    /// The files recorded as not read, with their reasons, in path order.
    public func skippedFiles() throws -> [(path: String, reason: String)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT path, reason FROM skipped_file ORDER BY path").map { ($0[0], $0[1]) }
        }
    }

    public func reportCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM report") ?? 0 }
    }

    /// The corpus's folders as recorded when the index was last written.
    public func folders() throws -> [CorpusFolder] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT path, mtime, files, stamp FROM folder").map { row in
                CorpusFolder(path: row[0], mtime: row[1], files: row[2], stamp: UInt64(bitPattern: row[3]))
            }
        }
    }

    /// Of the given report paths, those whose file's size or modification
    /// time is no longer what the index recorded (or that are gone).
    public func changedReports(_ paths: some Collection<String>, in corpus: Corpus) throws -> [String] {
        let wanted = Set(paths)
        guard !wanted.isEmpty else { return [] }
        let stamps = try queue.read { db in
            var stamps: [String: (size: Int, mtime: Double)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, size, mtime FROM report WHERE path IN (%@)", in: Array(wanted)) {
                stamps[row[0]] = (row[1], row[2])
            }
            return stamps
        }
        let root = corpus.root.path
        return stamps.compactMap { path, stamp in
            var info = stat()
            guard stat(root + "/" + path, &info) == 0 else { return path }
            return Int(info.st_size) == stamp.size && info.st_mtim.seconds == stamp.mtime ? nil : path
        }.sorted()
    }

    /// The corpus fingerprint recorded when the index was last written.
    public func fingerprint() throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fingerprint'") }
    }
}
