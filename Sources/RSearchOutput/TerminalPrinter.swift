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
            // OCR: the text was recognised from page images and may hold errors.
            let parts: [String?] = [group.hits[0].report.ocr ? "OCR" : nil, m.year.map { String($0) }, m.kind, m.author]
            // The path last, cut in the middle so that its file name stays.
            let known = parts.compactMap { $0 }.map { $0 + " · " }.joined()
            let room = width - DisplayWidth.of(known)
            let details = room >= 16 ? known + DisplayWidth.truncateMiddle(group.path, to: room)
                : DisplayWidth.truncate(known + group.path, to: width)
            out += paint(details, .dim) + "\n"
            for hit in group.hits {
                let rank = String(hit.rank)
                let line = ":" + String(hit.section.line) + (hit.section.page.map { " p.\($0)" } ?? "")
                let room = width - indent.count - line.count - 1
                let path = hit.section.path.isEmpty ? "(开头)" : hit.section.path.joined(separator: " › ")
                let shown = DisplayWidth.truncate(path, to: room)
                out += String(repeating: " ", count: rankWidth + 1 - rank.count) + paint(rank, .number) + "  "
                out += paint(shown, .heading) + " " + paint(line, .number) + "\n"
                for snippetLine in wrapped(hit.snippet, columns: width - indent.count).prefix(snippetLines) {
                    out += indent + snippetLine + "\n"
                }
                if !hit.duplicates.isEmpty {
                    out += indent + paint(Self.alsoIn(hit.duplicates, columns: width - indent.count), .dim) + "\n"
                }
            }
            out += "\n"
        }
        return out
    }

    /// The snippet wrapped to `columns` display columns, matches marked; a
    /// match cut by the wrap is closed at the end of the line and reopened
    /// on the next. Each match is marked on its own, adjacent ones too
    /// (`[党][党]`); overlapping ones (`哈哈` twice in `哈哈哈`) are one mark.
    /// Lines break by the Chinese rules (禁则, as in the W3C's Requirements
    /// for Chinese Text Layout): no line begins with closing punctuation
    /// (`、。，）”` …) or ends with an opening one (`（“《` …); the break moves
    /// back a character until neither holds.
    func wrapped(_ snippet: Snippet, columns: Int) -> [String] {
        let scalars = Array(snippet.text.unicodeScalars)
        let n = scalars.count
        // Each character's mark: the index of the match it is in, or -1.
        var mark = [Int](repeating: -1, count: n)
        var marks = -1, end = -1
        for h in snippet.highlights.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let low = max(h.lowerBound, 0), high = min(h.upperBound, n)
            guard low < high else { continue }
            if low >= end { marks += 1 }
            end = max(end, high)
            for i in low..<high { mark[i] = marks }
        }
        let open = color ? "\u{1B}[\(Style.match.rawValue)m" : "["
        let close = color ? "\u{1B}[0m" : "]"
        let markWidth = color ? 0 : 1
        func opens(_ i: Int, _ start: Int) -> Bool { mark[i] >= 0 && (i == start || mark[i - 1] != mark[i]) }
        func closes(_ i: Int, _ end: Int) -> Bool { mark[i] >= 0 && (i + 1 == end || mark[i + 1] != mark[i]) }

        var lines: [String] = []
        var start = 0
        while start < n {
            // As many characters as fit, with their marks and room to close
            // a match the line would cut.
            var used = 0, cut = start
            while cut < n {
                let w = DisplayWidth.of(scalars[cut]) + (opens(cut, start) ? markWidth : 0)
                if cut > start && used + w + (mark[cut] >= 0 ? markWidth : 0) > columns { break }
                used += w + (closes(cut, n) ? markWidth : 0)
                cut += 1
            }
            while cut < n && cut > start + 1
                && (Self.noLineStart.contains(scalars[cut].value) || Self.noLineEnd.contains(scalars[cut - 1].value)) {
                cut -= 1
            }
            var line = ""
            for i in start..<cut {
                if opens(i, start) { line += open }
                line.unicodeScalars.append(scalars[i])
                if closes(i, cut) { line += close }
            }
            lines.append(line)
            start = cut
        }
        return lines
    }

    /// Characters no line may begin with: closing brackets and quotes, and
    /// the punctuation that follows what it ends.
    static let noLineStart = Set("、。，．,.）)］]｝}〕〉》」』】〙〗〟’”»›？！?!：；:;…‥·・％%ー々〻".unicodeScalars.map(\.value))
    /// Characters no line may end with: opening brackets and quotes.
    static let noLineEnd = Set("（(［[｛{〔〈《「『【〘〖〝‘“«‹".unicodeScalars.map(\.value))

    /// The line after the hits: how many matched, how many are shown, and
    /// `more` (how to see the rest, in the caller's words) when not all are.
    /// `also in 2 reports: gov_work…/2016_政府工作报告_分句.txt:161, …`: the
    /// copies shown once with a hit, on one line of `columns`, each path cut
    /// in the middle so that its file name stays.
    static func alsoIn(_ copies: [SectionLocation], columns: Int) -> String {
        let reports = Set(copies.map(\.path)).count
        let lead = reports == 1 ? "also in 1 report: " : "also in \(reports) reports: "
        let places = copies.map { DisplayWidth.truncateMiddle($0.path, to: 40) + ":" + String($0.line) }
        return DisplayWidth.truncate(lead + places.joined(separator: ", "), to: columns)
    }

    public func summary(_ result: SearchResult, more: String? = nil) -> String {
        if result.total == 0 { return "no matches for \(result.query)" }
        let shown = result.hits.count
        let what = result.total == 1 ? "1 section matches" : "\(result.total) sections match"
        return shown < result.total ? "\(what); showing \(shown)" + (more.map { " (\($0))" } ?? "") : what
    }
}
