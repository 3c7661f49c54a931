import RSearchDocuments

/// The index's sections as OpenSearch / Elasticsearch bulk NDJSON, for
/// collections that outgrow one machine: an action line and a document line
/// per section, the document carrying the report and section fields of the
/// JSON hit schema. `mapping` is the matching index definition: the same
/// normalisation and bigrams as rsearch (`cjk_width`, `lowercase`,
/// `cjk_bigram` with unigrams), to be queried with `match_phrase`.
public enum OpenSearchExport {
    /// The action line and the document line of one section, each ending
    /// in a line feed. `number` is the section's 1-based position in its
    /// report, which makes the document's `_id` (`PATH#N`).
    public static func bulkLines(report: ReportInfo, section: SectionInfo, number: Int,
                                 indexName: String = "rsearch") -> String {
        let action = JSONValue.object([("index", .object([("_index", .string(indexName)),
                                                           ("_id", .string("\(report.path)#\(number)"))]))])
        let document = JSONValue.object([("report", RecordJSON.report(report)), ("section", RecordJSON.section(section))])
        return action.serialized() + "\n" + document.serialized() + "\n"
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
                    ("enacted", .object([("type", .string("date")), ("format", .string("yyyy-MM-dd"))])),
                    ("ocr", .object([("type", .string("boolean"))])),
                ]))])),
                ("section", .object([("properties", .object([
                    ("path", cjk), ("heading", cjk), ("line", integer), ("page", integer), ("text", cjk),
                ]))])),
            ]))])),
        ])
    }
}
