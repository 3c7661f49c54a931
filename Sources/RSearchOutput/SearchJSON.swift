import RSearchQuery

/// The documented JSON schema of search results (README, "JSON output").
public enum SearchJSON {
    public static func hit(_ hit: Hit) -> JSONValue {
        .object([
            ("rank", .int(hit.rank)),
            ("score", .double(hit.score)),
            ("report", RecordJSON.report(hit.report)),
            ("section", RecordJSON.section(hit.section)),
            ("snippet", .string(hit.snippet.text)),
            ("matches", .array(hit.matches.map { .array([.int($0.lowerBound), .int($0.upperBound)]) })),
            ("duplicates", .array(hit.duplicates.map { .object([("path", .string($0.path)), ("line", .int($0.line))]) })),
        ])
    }

    public static func result(_ result: SearchResult) -> JSONValue {
        .object([
            ("query", .string(result.query)),
            ("total", .int(result.total)),
            ("hits", .array(result.hits.map(hit))),
        ])
    }
}
