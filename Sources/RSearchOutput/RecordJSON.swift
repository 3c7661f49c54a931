import RSearchDocuments

/// The JSON objects of the schema's records (README, "JSON output"), built
/// here once for every output that has them: search hits, JSON Lines,
/// `list`, `show` and the OpenSearch export.
public enum RecordJSON {
    /// `{"path", "title", "year", "date", "kind", "author", "unit", "enacted", "ocr"}`.
    public static func report(_ report: ReportInfo) -> JSONValue {
        .object(reportMembers(report))
    }

    /// A report as `list` shows it: `report`'s members, then `sections`,
    /// `characters` and `encoding`.
    public static func summary(_ summary: ReportSummary) -> JSONValue {
        .object(reportMembers(summary.info) + [
            ("sections", .int(summary.sections)), ("characters", .int(summary.characters)),
            ("encoding", .string(summary.encoding)),
        ])
    }

    /// `{"path", "heading", "line", "page", "text"}`.
    public static func section(_ section: SectionInfo) -> JSONValue {
        .object([
            ("path", .array(section.path.map(JSONValue.string))),
            ("heading", .string(section.heading)),
            ("line", .int(section.line)),
            ("page", JSONValue(section.page)),
            ("text", .string(section.text)),
        ])
    }

    private static func reportMembers(_ report: ReportInfo) -> [(String, JSONValue)] {
        let m = report.metadata
        return [
            ("path", .string(report.path)),
            ("title", .string(m.title)),
            ("year", JSONValue(m.year)),
            ("date", JSONValue(m.date)),
            ("kind", JSONValue(m.kind)),
            ("author", JSONValue(m.author)),
            ("unit", JSONValue(m.unit)),
            ("enacted", JSONValue(m.enacted)),
            ("ocr", .bool(report.ocr)),
        ]
    }
}
