import Foundation
import GRDB

/// The row-level writes of an index, with prepared statements: adding a
/// parsed file, removing a report, recording a rename or a skipped file.
///
/// `section_fts` is an external-content table, so FTS5 cannot find a row's
/// old tokens by itself: removing a section means handing FTS5 the old
/// values with the special 'delete' command before the row goes.
final class IndexWriter {
    private let db: Database
    private let insertReport: Statement
    private let insertSection: Statement
    private let insertFTS: Statement
    private let insertSkipped: Statement
    private let postings: CharacterPostingsWriter
    /// Where a full build's sections are indexed instead of through
    /// `insertFTS` (`FTS5BulkLoad`).
    private let bulk: FTS5BulkLoad?
    /// The rowid of the first section this writer added (see `SectionLengths`).
    private(set) var firstSectionID: Int64?
    private var removedSectionIDs: [Int64] = []

    init(_ db: Database, bulk: FTS5BulkLoad? = nil) throws {
        self.db = db
        self.bulk = bulk
        insertReport = try db.makeStatement(sql: """
            INSERT INTO report (path, title, year, date, kind, author, unit, title_n, kind_n, author_n, unit_n,
                                encoding, size, mtime, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertSection = try db.makeStatement(sql: """
            INSERT INTO section_store (report_id, ord, line, body) VALUES (?, ?, ?, ?)
            """)
        insertFTS = try db.makeStatement(sql: "INSERT INTO section_fts (rowid, heading, text) VALUES (?, ?, ?)")
        insertSkipped = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO skipped_file (path, size, mtime, reason, hash) VALUES (?, ?, ?, ?, ?)
            """)
        postings = try CharacterPostingsWriter(db)
    }

    /// Adds a loaded file; returns the number of sections written.
    @discardableResult
    func add(_ loaded: LoadedFile) throws -> Int {
        var loaded = loaded
        loaded.prepare()
        let file = loaded.file
        switch loaded.content {
        case .skipped(let reason):
            try insertSkipped.execute(arguments: [file.path, file.size, file.mtime, reason, loaded.hash])
            return 0
        case .document(let document, let encoding):
            let m = document.metadata
            func fold(_ value: String?) -> String { Folding.index.string(value ?? "") }
            try insertReport.execute(arguments: [
                file.path, m.title, m.year, m.date, m.kind, m.author, m.unit,
                fold(m.title), fold(m.kind), fold(m.author), fold(m.unit),
                encoding, file.size, file.mtime, loaded.hash,
            ])
            let reportID = db.lastInsertedRowID
            var bulkRows: [FTS5BulkLoad.Row] = []
            for (ord, section) in document.sections.enumerated() {
                try insertSection.execute(arguments: [reportID, ord, section.line, loaded.storedSections[ord]])
                let id = db.lastInsertedRowID
                if bulk != nil {
                    bulkRows.append(FTS5BulkLoad.Row(id: id, heading: section.heading, text: section.text))
                } else {
                    try insertFTS.execute(arguments: [id, section.heading, section.text])
                }
                try postings.added(id: id, counts: loaded.characterCounts[ord])
                firstSectionID = min(firstSectionID ?? id, id)
            }
            bulk?.add(bulkRows)
            try bulk?.writeSizes(into: db)
            return document.sections.count
        }
    }

    /// Removes a report, its sections and their FTS5 entries; or a skipped file.
    func remove(path: String) throws {
        for id in try Int64.fetchAll(db, sql: """
            SELECT s.id FROM section s JOIN report r ON r.id = s.report_id WHERE r.path = ?
            """, arguments: [path]) {
            postings.removed(id: id)
            removedSectionIDs.append(id)
        }
        try db.execute(sql: """
            INSERT INTO section_fts (section_fts, rowid, heading, text)
            SELECT 'delete', s.id, s.heading, s.text FROM section s JOIN report r ON r.id = s.report_id WHERE r.path = ?
            """, arguments: [path])
        try db.execute(sql: "DELETE FROM section_store WHERE report_id IN (SELECT id FROM report WHERE path = ?)",
                       arguments: [path])
        try db.execute(sql: "DELETE FROM report WHERE path = ?", arguments: [path])
        try db.execute(sql: "DELETE FROM skipped_file WHERE path = ?", arguments: [path])
    }

    /// A file moved or was touched without changing: same content, so no
    /// re-parsing, only its name and stamp.
    func move(from old: String, to file: CorpusFile) throws {
        try db.execute(sql: "UPDATE report SET path = ?, size = ?, mtime = ? WHERE path = ?",
                       arguments: [file.path, file.size, file.mtime, old])
        try db.execute(sql: "UPDATE skipped_file SET path = ?, size = ?, mtime = ? WHERE path = ?",
                       arguments: [file.path, file.size, file.mtime, old])
    }

    /// Brings the tables kept beside the sections, `section_length` and
    /// `char_posting`, up to date with the sections added and removed.
    /// The lengths of the sections added come from FTS5's row sizes, so a
    /// bulk load records them only once its index is written
    /// (`SectionLengths.record`, from `firstSectionID`).
    func finish() throws {
        try SectionLengths.clear(db, ids: removedSectionIDs)
        if bulk == nil, let first = firstSectionID { try SectionLengths.record(db, from: first) }
        try postings.finish()
    }

    func setMeta(corpus: Corpus, scan: CorpusScan) throws {
        let meta = try db.makeStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
        try meta.execute(arguments: ["format", Schema.format])
        try meta.execute(arguments: ["fingerprint", Corpus.fingerprint(of: scan.files)])
        try db.execute(sql: "DELETE FROM folder")
        let folder = try db.makeStatement(sql: "INSERT INTO folder (path, mtime, files, stamp) VALUES (?, ?, ?, ?)")
        for f in scan.folders {
            try folder.execute(arguments: [f.path, f.mtime, f.files, Int64(bitPattern: f.stamp)])
        }
        try meta.execute(arguments: ["corpus", corpus.root.path])
        try meta.execute(arguments: ["updated", ISO8601DateFormatter().string(from: Date())])
    }
}
