import GRDB
import RSearchDocuments

/// The index's tables.
///
/// Each section's text is stored once, compressed, in `section_store`
/// (read as text through the `section` view); `section_fts` is an
/// external-content FTS5 table over that view, so the full-text index adds
/// only its own term lists. `detail=full` because bigram phrases need token
/// positions.
/// `heading` and `text` are separate FTS columns so that bm25 can weigh a
/// match in a heading above one in the body (a section's text begins with
/// its heading, so a heading match counts in both).
enum Schema {
    /// `section_fts`'s columns, in the table's order.
    ///
    /// `text` comes first because FTS5 marks a term's positions in any other
    /// column with two bytes (0x01 and the column's number) in every row
    /// where it occurs, and nearly every token of the index is in the text:
    /// with `heading` first, those markers were a quarter of the index
    /// (237 → 175 MB at 150 MB of text, BENCHMARKS.md).
    enum FTSColumn: String, CaseIterable {
        case text, heading
    }

    /// Bumped whenever the tables, the tokenizer, the folding or the way a
    /// file is cut into sections and described (`ReportParser`) change in a
    /// way that makes an existing index answer differently.
    static let format = "rsearch-index-18"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE report (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL,
                    year INTEGER,
                    date TEXT,
                    kind TEXT,
                    author TEXT,
                    unit TEXT,
                    -- A law's first version, yyyy-mm-dd (ReportMetadata.enacted).
                    enacted TEXT,
                    -- Folded copies for the title:/kind:/author:/unit: filters.
                    title_n TEXT NOT NULL,
                    kind_n TEXT NOT NULL,
                    author_n TEXT NOT NULL,
                    unit_n TEXT NOT NULL,
                    -- How the file was decoded: UTF-8, GB18030, docx …
                    encoding TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    mtime REAL NOT NULL,
                    hash TEXT NOT NULL,
                    -- Pages that are images of text: NULL none, 1 recognised
                    -- (OCR), 0 waiting for `rsearch index --ocr`.
                    ocr INTEGER
                );
                CREATE TABLE section_store (
                    -- Never given twice: a removed section's character postings
                    -- may outlive it (CharacterPostingsWriter).
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    report_id INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
                    ord INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    -- The 1-based page it starts on, in a paged document; else NULL.
                    page INTEGER,
                    -- Heading path, heading and text, compressed (StoredSection).
                    body BLOB NOT NULL,
                    -- The text's SectionDigest: copies of a passage share it.
                    digest INTEGER NOT NULL
                );
                -- The sections as text, for every reader but the search's hot
                -- loops, and the content of section_fts.
                CREATE VIEW section AS
                    SELECT id, report_id, ord, line, page,
                           rsearch_section_path(body) AS path,
                           rsearch_section_heading(body) AS heading,
                           rsearch_section_text(body) AS text,
                           rsearch_section_length(body) AS length
                    FROM section_store;
                CREATE TABLE skipped_file (
                    path TEXT PRIMARY KEY NOT NULL,
                    size INTEGER NOT NULL,
                    mtime REAL NOT NULL,
                    reason TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                -- The corpus's folders as of the last write, so that a search
                -- can tell a changed corpus by one stat per folder (Corpus.fingerprint(knowing:)).
                CREATE TABLE folder (
                    path TEXT PRIMARY KEY NOT NULL,
                    mtime INTEGER NOT NULL,
                    files INTEGER NOT NULL,
                    stamp INTEGER NOT NULL
                ) WITHOUT ROWID;
                -- Section lengths in tokens by block of rowids (SectionLengths).
                CREATE TABLE section_length (block INTEGER PRIMARY KEY, lengths BLOB NOT NULL);
                -- Each Han character's counts per section, by block of rowids (CharacterPostings).
                CREATE TABLE char_posting (key INTEGER PRIMARY KEY, postings BLOB NOT NULL);
                -- Sections removed from each block since it was last compacted.
                CREATE TABLE char_posting_block (block INTEGER PRIMARY KEY, removed INTEGER NOT NULL);
                -- Each character's traditional forms' counts per section, the same way.
                CREATE TABLE variant_posting (key INTEGER PRIMARY KEY, postings BLOB NOT NULL);
                CREATE TABLE variant_posting_block (block INTEGER PRIMARY KEY, removed INTEGER NOT NULL);
                CREATE INDEX section_report ON section_store(report_id, ord);
                CREATE INDEX section_digest ON section_store(digest);
                """)
            try createFTS(db)
            // Titles by their bigrams, for the reports a query names
            // (`NamedReports`); kept by triggers, whatever writes `report`.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE report_title_fts USING fts5(
                    title_n, content='report', content_rowid='id', tokenize='\(FTS5BigramTokenizer.name)'
                );
                CREATE TRIGGER report_title_insert AFTER INSERT ON report BEGIN
                    INSERT INTO report_title_fts(rowid, title_n) VALUES (new.id, new.title_n);
                END;
                CREATE TRIGGER report_title_delete AFTER DELETE ON report BEGIN
                    INSERT INTO report_title_fts(report_title_fts, rowid, title_n) VALUES ('delete', old.id, old.title_n);
                END;
                CREATE TRIGGER report_title_update AFTER UPDATE OF title_n ON report BEGIN
                    INSERT INTO report_title_fts(report_title_fts, rowid, title_n) VALUES ('delete', old.id, old.title_n);
                    INSERT INTO report_title_fts(rowid, title_n) VALUES (new.id, new.title_n);
                END;
                """)
        }
        return migrator
    }

    /// The full-text table. A full build fills it without FTS5's insert
    /// path (`FTS5BulkLoad`), updates through it.
    static func createFTS(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE section_fts USING fts5(
                \(FTSColumn.allCases.map(\.rawValue).joined(separator: ", ")),
                content='section', content_rowid='id',
                tokenize='\(FTS5BigramTokenizer.name)',
                detail=full
            )
            """)
    }
}
