import Foundation
import RSearchQuery

/// The machine-readable renderings of search results besides `--json`:
/// JSON Lines (one hit per line), CSV (RFC 4180, for Excel and friends), and
/// the script-oriented views of ripgrep's `-l` and `-c`.
public enum ResultFormats {
    /// One JSON object per hit: the `--json` hit with the query added.
    public static func jsonLines(_ result: SearchResult) -> String {
        var out = ""
        for hit in result.hits {
            guard case .object(let members) = SearchJSON.hit(hit) else { continue }
            JSONValue.object([("query", .string(result.query))] + members).write(to: &out)
            out += "\n"
        }
        return out
    }

    public static let csvHeader = ["report_path", "title", "year", "kind", "author", "section_path", "line", "snippet",
                                   "match_count", "duplicates", "enacted", "page", "ocr"]

    /// A header row and one row per hit, CRLF line ends and quoting as RFC
    /// 4180 asks; `excel` puts the UTF-8 byte-order mark first, without which
    /// Excel reads the file as the local code page and garbles Chinese.
    public static func csv(_ result: SearchResult, excel: Bool = false) -> String {
        var out = excel ? "\u{FEFF}" : ""
        out += csvRow(csvHeader)
        for hit in result.hits {
            let m = hit.report.metadata
            out += csvRow([
                hit.report.path, m.title, m.year.map { String($0) } ?? "", m.kind ?? "", m.author ?? "",
                hit.section.path.joined(separator: " › "), String(hit.section.line), hit.snippet.text,
                String(hit.matches.count),
                // The copies shown once with this hit: `path:line`, one per line.
                hit.duplicates.map { "\($0.path):\($0.line)" }.joined(separator: "\n"),
                m.enacted ?? "",
                hit.section.page.map { String($0) } ?? "",
                hit.report.ocr ? "yes" : "",
            ])
        }
        return out
    }

    /// One CSV row: fields quoted where RFC 4180 requires, CRLF-terminated.
    public static func csvRow(_ fields: [String]) -> String {
        fields.map { field in
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return field
        }.joined(separator: ",") + "\r\n"
    }

    /// `-l`: each report with a hit, once, in rank order.
    public static func filesWithMatches(_ result: SearchResult) -> String {
        var seen = Set<String>()
        return result.hits.compactMap { seen.insert($0.report.path).inserted ? $0.report.path + "\n" : nil }.joined()
    }

    /// `-c`: each report with the number of matches in it (occurrences of the
    /// query terms, over all its matching sections), as `path:count`, from a
    /// result of one hit per report (`SearchOptions.HitDetail.counts`).
    public static func counts(_ result: SearchResult) -> String {
        result.hits.map { "\($0.report.path):\($0.occurrences)\n" }.joined()
    }
}

