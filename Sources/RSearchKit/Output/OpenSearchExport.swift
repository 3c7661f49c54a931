import GRDB

/// The index's sections as OpenSearch / Elasticsearch bulk NDJSON, for
/// collections that outgrow one machine: an action line and a document line
/// per section, the document carrying the report and section fields of the
/// JSON hit schema. `mapping` is the matching index definition: the same
/// normalisation and bigrams as rsearch (`cjk_width`, `lowercase`,
/// `cjk_bigram` with unigrams), to be queried with `match_phrase`.
public enum OpenSearchExport {
    /// Calls `write` with each pair of lines, section by section in report
    /// and position order, so that any size streams.
    public static func bulk(_ index: IndexDatabase, indexName: String = "rsearch",
                            write: (String) throws -> Void) throws {
        try index.queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT r.path AS rpath, r.title, r.year, r.date, r.kind, r.author, r.unit,
                       s.ord, s.path AS spath, s.heading, s.line, s.text
                FROM section s JOIN report r ON r.id = s.report_id ORDER BY r.path, s.ord
                """)
            while let row = try rows.next() {
                let path: String = row["rpath"]
                let ord: Int = row["ord"]
                let action = JSONValue.object([("index", .object([("_index", .string(indexName)),
                                                                   ("_id", .string("\(path)#\(ord + 1)"))]))])
                let document = JSONValue.object([
                    ("report", .object([
                        ("path", .string(path)), ("title", .string(row["title"])), ("year", JSONValue(row["year"] as Int?)),
                        ("date", JSONValue(row["date"] as String?)), ("kind", JSONValue(row["kind"] as String?)),
                        ("author", JSONValue(row["author"] as String?)), ("unit", JSONValue(row["unit"] as String?)),
                    ])),
                    ("section", .object([
                        ("path", .array(SectionPath.decode(row["spath"]).map(JSONValue.string))),
                        ("heading", .string(row["heading"])), ("line", .int(row["line"])), ("text", .string(row["text"])),
                    ])),
                ])
                try write(action.serialized() + "\n" + document.serialized() + "\n")
            }
        }
    }

    public static var mapping: JSONValue {
        let cjk: JSONValue = .object([("type", .string("text")), ("analyzer", .string("rsearch_cjk"))])
        let keyword: JSONValue = .object([("type", .string("keyword"))])
        let integer: JSONValue = .object([("type", .string("integer"))])
        return .object([
            ("settings", .object([("analysis", .object([
                ("filter", .object([("rsearch_bigram", .object([
                    ("type", .string("cjk_bigram")), ("output_unigrams", .bool(true)),
                ]))])),
                ("analyzer", .object([("rsearch_cjk", .object([
                    ("type", .string("custom")), ("tokenizer", .string("standard")),
                    ("filter", .array([.string("cjk_width"), .string("lowercase"), .string("rsearch_bigram")])),
                ]))])),
            ]))])),
            ("mappings", .object([("properties", .object([
                ("report", .object([("properties", .object([
                    ("path", keyword), ("title", cjk), ("year", integer),
                    ("date", .object([("type", .string("date")), ("format", .string("yyyy-MM-dd"))])),
                    ("kind", keyword), ("author", keyword), ("unit", keyword),
                ]))])),
                ("section", .object([("properties", .object([
                    ("path", cjk), ("heading", cjk), ("line", integer), ("text", cjk),
                ]))])),
            ]))])),
        ])
    }
}
