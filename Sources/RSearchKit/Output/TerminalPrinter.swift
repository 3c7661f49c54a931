/// Search results for people: one block per hit, the report's title and
/// metadata, the heading path, file and line, and a snippet with the
/// matches marked. Colour (ANSI) only when asked for, which the command does
/// only for a terminal.
public struct TerminalPrinter {
    public var color: Bool
    /// Width of the terminal in columns, for cutting long lines.
    public var width: Int

    public init(color: Bool, width: Int = 100) {
        self.color = color
        self.width = max(40, width)
    }

    enum Style: String {
        case bold = "1"
        case dim = "2"
        case match = "1;31"
        case path = "35"
        case number = "32"
        case heading = "36"
    }

    func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m" + text + "\u{1B}[0m" : text
    }

    public func render(_ result: SearchResult) -> String {
        var out = ""
        let rankWidth = String(result.hits.last?.rank ?? 1).count
        let indent = String(repeating: " ", count: rankWidth + 2)
        for hit in result.hits {
            let m = hit.report.metadata
            let rank = String(hit.rank)
            let parts: [String?] = [m.year.map { String($0) }, m.kind, m.author]
            let details = parts.compactMap { $0 }.joined(separator: " · ")
            out += String(repeating: " ", count: rankWidth - rank.count) + paint(rank, .number) + "  "
            out += paint(m.title, .bold) + (details.isEmpty ? "" : "  " + paint(details, .dim)) + "\n"
            if !hit.section.path.isEmpty {
                let path = hit.section.path.map { DisplayWidth.truncate($0, to: 40) }.joined(separator: " › ")
                out += indent + paint(DisplayWidth.truncate(path, to: width - indent.count), .heading) + "\n"
            }
            out += indent + paint(hit.report.path, .path) + ":" + paint(String(hit.section.line), .number) + "\n"
            out += indent + highlighted(hit.snippet) + "\n\n"
        }
        return out
    }

    func highlighted(_ snippet: Snippet) -> String {
        let scalars = Array(snippet.text.unicodeScalars)
        var out = ""
        var cursor = 0
        var merged: [Range<Int>] = []
        for h in snippet.highlights.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, h.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, h.upperBound)
            } else {
                merged.append(h)
            }
        }
        func text(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
        for h in merged {
            out += text(cursor..<h.lowerBound)
            out += color ? paint(text(h), .match) : "[" + text(h) + "]"
            cursor = h.upperBound
        }
        out += text(cursor..<scalars.count)
        return out
    }

    /// The line after the hits: how many matched, how many are shown.
    public func summary(_ result: SearchResult) -> String {
        if result.total == 0 { return "no matches for \(result.query)" }
        let shown = result.hits.count
        let what = result.total == 1 ? "1 section matches" : "\(result.total) sections match"
        return shown < result.total ? "\(what); showing \(shown) (use --limit N or --all)" : what
    }
}
