/// The formats every command's results can be written in.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// For people: aligned, coloured where asked for.
    case table
    /// One JSON document.
    case json
    /// JSON Lines: one object per hit or report.
    case jsonl
    /// RFC 4180 CSV.
    case csv
}
