import Foundation
import GRDB
import RSearchText
import RSearchDocuments

/// The row-level writes of an index, with prepared statements: adding a
/// parsed file, removing a report, recording a rename or a skipped file.
///
/// The full-text index is not written through FTS5 but by `bulk`, which
/// tokenizes the sections added and removed and writes them as one segment
/// at the end (`writeFullTextIndex`). `section_fts` is an external-content
/// table, so a section's indexed values must be read before its row goes:
/// they say which terms it is removed from.
final class IndexWriter {
    private let db: Database
    private let insertReport: Statement
    private let insertSection: Statement
    private let insertSkipped: Statement
    private let postings: CharacterPostingsWriter
    private let variantPostings: CharacterPostingsWriter
    private let bulk: FTS5BulkLoad
    /// The rowid of the first section this writer added (see `SectionLengths`).
    private(set) var firstSectionID: Int64?
    private var removedSectionIDs: [Int64] = []

    init(_ db: Database, bulk: FTS5BulkLoad) throws {
        self.db = db
        self.bulk = bulk
        insertReport = try db.makeStatement(sql: """
            INSERT INTO report (path, title, year, date, kind, author, unit, enacted, title_n, kind_n, author_n, unit_n,
                                encoding, size, mtime, hash, ocr)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertSection = try db.makeStatement(sql: """
            INSERT INTO section_store (report_id, ord, line, page, body, digest) VALUES (?, ?, ?, ?, ?, ?)
            """)
        insertSkipped = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO skipped_file (path, size, mtime, reason, hash) VALUES (?, ?, ?, ?, ?)
            """)
        postings = try CharacterPostingsWriter(db)
        variantPostings = try CharacterPostingsWriter(db, table: .variants)
    }

    /// The report that the parts being added belong to, and its next
    /// section's ordinal.
    private var openReport: (id: Int64, nextOrdinal: Int)?

    /// Adds a loaded file, or one part of it (the parts of a file in order,
    /// with no other file between them); returns the number of sections
    /// written.
    @discardableResult
    func add(_ loaded: PreparedFile) throws -> Int {
        let file = loaded.file
        switch loaded.content {
        case .skipped(let reason):
            try insertSkipped.execute(arguments: [file.path, file.size, file.mtime, reason, loaded.hash])
            return 0
        case .document(let document, let encoding):
            if loaded.part == 0 {
                let m = document.metadata
                func fold(_ value: String?) -> String { Folding.index.string(value ?? "") }
                try insertReport.execute(arguments: [
                    file.path, m.title, m.year, m.date, m.kind, m.author, m.unit, m.enacted,
                    fold(m.title), fold(m.kind), fold(m.author), fold(m.unit),
                    encoding, file.size, file.mtime, loaded.hash, document.ocr.map { $0 ? 1 : 0 },
                ])
                openReport = (db.lastInsertedRowID, 0)
            }
            guard let (reportID, firstOrdinal) = openReport else {
                preconditionFailure("a later part of \(file.path) without its first")
            }
            var bulkRows: [FTS5BulkLoad.SectionText] = []
            for (n, section) in document.sections.enumerated() {
                try insertSection.execute(arguments: [reportID, firstOrdinal + n, section.line, section.page, loaded.storedSections[n],
                                                     loaded.digests[n]])
                let id = db.lastInsertedRowID
                bulkRows.append(FTS5BulkLoad.SectionText(id: id, heading: section.heading, text: section.text))
                try postings.added(id: id, counts: loaded.characterCounts[n].characters)
                try variantPostings.added(id: id, counts: loaded.characterCounts[n].variants)
                firstSectionID = min(firstSectionID ?? id, id)
            }
            openReport = loaded.isLast ? nil : (reportID, firstOrdinal + document.sections.count)
            bulk.add(bulkRows)
            try bulk.writeSizes(into: db)
            return document.sections.count
        }
    }

    /// Removes reports, their sections and their full-text entries; or
    /// skipped files. One call for every file a write removes or replaces,
    /// before it adds anything: the bulk load takes rows in increasing
    /// rowid, and every section added has a rowid above every old one.
    func remove(paths: [String]) throws {
        let read = try db.makeStatement(sql: """
            SELECT s.id, s.heading, s.text FROM section s JOIN report r ON r.id = s.report_id WHERE r.path = ?
            """)
        var sections: [FTS5BulkLoad.SectionText] = []
        for path in paths {
            let rows = try Row.fetchCursor(read, arguments: [path])
            while let row = try rows.next() { sections.append(FTS5BulkLoad.SectionText(id: row[0], heading: row[1], text: row[2])) }
        }
        sections.sort { $0.id < $1.id }
        bulk.remove(sections)
        for section in sections {
            postings.removed(id: section.id)
            variantPostings.removed(id: section.id)
        }
        removedSectionIDs += sections.map(\.id)

        let deleteSections = try db.makeStatement(sql: """
            DELETE FROM section_store WHERE report_id IN (SELECT id FROM report WHERE path = ?)
            """)
        let deleteReport = try db.makeStatement(sql: "DELETE FROM report WHERE path = ?")
        let deleteSkipped = try db.makeStatement(sql: "DELETE FROM skipped_file WHERE path = ?")
        for path in paths {
            try deleteSections.execute(arguments: [path])
            try deleteReport.execute(arguments: [path])
            try deleteSkipped.execute(arguments: [path])
        }
    }

    /// A file moved or was touched without changing: same content, so no
    /// re-parsing, only its name and stamp.
    func move(from old: String, to file: CorpusFile) throws {
        try db.execute(sql: "UPDATE report SET path = ?, size = ?, mtime = ? WHERE path = ?",
                       arguments: [file.path, file.size, file.mtime, old])
        try db.execute(sql: "UPDATE skipped_file SET path = ?, size = ?, mtime = ? WHERE path = ?",
                       arguments: [file.path, file.size, file.mtime, old])
    }

    /// Brings `char_posting` and `variant_posting` up to date with the
    /// sections added and removed, and zeroes the removed sections' lengths.
    func finish() throws {
        try SectionLengths.clear(db, ids: removedSectionIDs)
        try postings.finish()
        try variantPostings.finish()
    }

    /// Writes the full-text index of what `bulk` was given, then the
    /// lengths of the sections added (`SectionLengths`), which come from
    /// the row sizes it writes. `db` must not have used `section_fts` in
    /// this transaction (`FTS5BulkLoad.write(into:)`).
    static func writeFullTextIndex(_ bulk: FTS5BulkLoad, into db: Database, firstSectionID: Int64?) throws {
        try bulk.write(into: db)
        if let first = firstSectionID { try SectionLengths.record(db, from: first) }
    }

    func setMeta(corpus: Corpus, scan: CorpusScan) throws {
        let meta = try db.makeStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
        try meta.execute(arguments: ["format", Schema.format])
        try meta.execute(arguments: ["fingerprint", Corpus.fingerprint(of: scan.files)])
        try Self.recordFolders(scan.folders, in: db)
        try meta.execute(arguments: ["corpus", corpus.root.path])
        try meta.execute(arguments: ["updated", ISO8601DateFormatter().string(from: Date())])
    }

    /// Replaces the recorded folders (times, document counts and stamps).
    static func recordFolders(_ folders: [CorpusFolder], in db: Database) throws {
        try db.execute(sql: "DELETE FROM folder")
        let folder = try db.makeStatement(sql: "INSERT INTO folder (path, mtime, files, stamp) VALUES (?, ?, ?, ?)")
        for f in folders {
            try folder.execute(arguments: [f.path, f.mtime, f.files, Int64(bitPattern: f.stamp)])
        }
    }
}
