import Foundation
import RSearchEngine

/// `stats`: figures about the index.
public enum StatsPrinter {
    public static func json(_ s: IndexStatus) -> String {
        JSONValue.object([
            ("reports", .int(s.reports)), ("sections", .int(s.sections)),
            ("characters", .int(s.characters)), ("skipped_files", .int(s.skipped)),
            ("index_bytes", .int(s.indexBytes)), ("index", .string(s.index)),
            ("updated", s.updated.map(JSONValue.string) ?? .null),
            ("corpus", s.corpus.map(JSONValue.string) ?? .null),
        ]).serialized() + "\n"
    }

    public static func text(_ s: IndexStatus, width: Int) -> String {
        let rows = [
            ["reports", String(s.reports)], ["sections", String(s.sections)],
            ["characters", String(s.characters)], ["skipped files", String(s.skipped)],
            ["index size", String(format: "%.1f MB", Double(s.indexBytes) / 1e6)],
            ["last update", s.updated ?? "–"], ["index", s.index], ["corpus", s.corpus ?? "–"],
        ]
        return Table.render(header: nil, rows: rows, width: width, color: false)
    }

    /// JSON when the target asks for JSON or JSON Lines, else a table.
    public static func write(_ status: IndexStatus, to target: OutputTarget) throws {
        try target.write(target.isJSON ? json(status) : text(status, width: TerminalSize.columns()))
    }
}
