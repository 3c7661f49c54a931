import RSearchQuery

/// Search results for people, grouped under their report as ripgrep groups
/// lines under their file:
///
///     局机关党委书记2022年度抓基层党建工作述职报告
///     2022 · 述职报告 · 局机关党委书记 · work_report_seed/2022_….txt
///      1  一、主要工作 › （二）强化组织建设… › 三是抓实党建阵地，筑牢意识形态根基  :6
///         三是抓实党建阵地，筑牢意识形态根基。积极营造全局红色党建氛围，运用一楼大厅、
///         机关楼层党建书架以及党群服务中心，推送党的二十大会议精神…
///
/// Reports appear in the order of their best hit. Lines are cut and wrapped
/// by display width (a CJK character takes two columns), so columns line up
/// in a terminal whatever the mix of Chinese and Latin text. Colour only
/// when asked for; without it, matches are shown `[like this]`.
public struct TerminalPrinter {
    public var color: Bool
    /// Width of the terminal in columns.
    public var width: Int
    /// Lines of snippet per hit.
    public var snippetLines = 2

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
        color && !text.isEmpty ? "\u{1B}[\(style.rawValue)m" + text + "\u{1B}[0m" : text
    }

    public func render(_ result: SearchResult) -> String {
        var groups: [(path: String, hits: [Hit])] = []
        var index: [String: Int] = [:]
        for hit in result.hits {
            if let i = index[hit.report.path] {
                groups[i].hits.append(hit)
            } else {
                index[hit.report.path] = groups.count
                groups.append((hit.report.path, [hit]))
            }
        }
        let rankWidth = String(result.hits.map(\.rank).max() ?? 1).count
        let indent = String(repeating: " ", count: rankWidth + 3)
        var out = ""
        for group in groups {
            let m = group.hits[0].report.metadata
            out += paint(DisplayWidth.truncate(m.title, to: width), .bold) + "\n"
            let parts: [String?] = [m.year.map { String($0) }, m.kind, m.author]
            let details = parts.compactMap { $0 } + [group.path]
            out += paint(DisplayWidth.truncate(details.joined(separator: " · "), to: width), .dim) + "\n"
            for hit in group.hits {
                let rank = String(hit.rank)
                let line = ":" + String(hit.section.line)
                let room = width - indent.count - line.count - 1
                let path = hit.section.path.isEmpty ? "(开头)" : hit.section.path.joined(separator: " › ")
                let shown = DisplayWidth.truncate(path, to: room)
                out += String(repeating: " ", count: rankWidth + 1 - rank.count) + paint(rank, .number) + "  "
                out += paint(shown, .heading) + " " + paint(line, .number) + "\n"
                for snippetLine in wrapped(hit.snippet, columns: width - indent.count).prefix(snippetLines) {
                    out += indent + snippetLine + "\n"
                }
            }
            out += "\n"
        }
        return out
    }

    /// The snippet wrapped to `columns` display columns, matches marked; a
    /// match cut by the wrap is closed at the end of the line and reopened
    /// on the next.
    func wrapped(_ snippet: Snippet, columns: Int) -> [String] {
        let scalars = Array(snippet.text.unicodeScalars)
        var marked = [Bool](repeating: false, count: scalars.count)
        for h in snippet.highlights { for i in h where i < marked.count { marked[i] = true } }
        let open = color ? "\u{1B}[\(Style.match.rawValue)m" : "["
        let close = color ? "\u{1B}[0m" : "]"
        let markWidth = color ? 0 : 1
        var lines: [String] = []
        var line = ""
        var used = 0
        var inMatch = false
        for (i, s) in scalars.enumerated() {
            let w = DisplayWidth.of(s)
            // Room for this character, and for a closing mark if it is in a match.
            let opening = marked[i] && !inMatch
            let need = w + (opening ? markWidth : 0) + (marked[i] ? markWidth : 0)
            if used > 0 && used + need > columns {
                if inMatch { line += close }
                lines.append(line)
                line = ""
                used = 0
                if inMatch { line += open; used += markWidth }
            }
            if marked[i] && !inMatch {
                line += open; used += markWidth; inMatch = true
            } else if !marked[i] && inMatch {
                line += close; used += markWidth; inMatch = false
            }
            line.unicodeScalars.append(s)
            used += w
        }
        if inMatch { line += close }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The line after the hits: how many matched, how many are shown, and
    /// `more` (how to see the rest, in the caller's words) when not all are.
    public func summary(_ result: SearchResult, more: String? = nil) -> String {
        if result.total == 0 { return "no matches for \(result.query)" }
        let shown = result.hits.count
        let what = result.total == 1 ? "1 section matches" : "\(result.total) sections match"
        return shown < result.total ? "\(what); showing \(shown)" + (more.map { " (\($0))" } ?? "") : what
    }
}
