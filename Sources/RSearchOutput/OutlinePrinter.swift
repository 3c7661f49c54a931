import RSearchDocuments

/// `show`: a report's outline (its heading tree with section numbers and
/// lines), or one section in full.
public enum OutlinePrinter {
    /// The outline as JSON: the report and, per section, its number, path and line.
    public static func json(_ report: ReportSummary, outline: [OutlineEntry]) -> String {
        JSONValue.object([
            ("report", RecordJSON.summary(report)),
            ("outline", .array(outline.map {
                .object([("section", .int($0.number)), ("path", .array($0.path.map(JSONValue.string))), ("line", .int($0.line)),
                         ("page", JSONValue($0.page))])
            })),
        ]).serialized() + "\n"
    }

    /// The title, the metadata line, then one line per heading: number,
    /// line (and page, in a paged document), and the heading indented by
    /// its depth, cut to `width`.
    public static func text(_ report: ReportSummary, outline: [OutlineEntry], width: Int, color: Bool) -> String {
        let m = report.metadata
        var text = bold(m.title, color) + "\n"
        text += ([m.year.map(String.init), m.date, m.kind, m.author, m.unit].compactMap { $0 } + [report.path])
            .joined(separator: " · ") + "\n\n"
        let numberWidth = String(outline.map(\.number).max() ?? 1).count
        let lineWidth = String(outline.map(\.line).max() ?? 1).count
        let paged = outline.contains { $0.page != nil }
        let pageWidth = paged ? 2 + String(outline.compactMap(\.page).max() ?? 1).count : 0
        var previous: [String] = []
        for o in outline {
            // A heading once: continuation pieces of a long section repeat their path.
            if o.path == previous && !o.path.isEmpty { continue }
            previous = o.path
            let heading = o.path.last ?? "(开头)"
            let indentation = String(repeating: "  ", count: max(0, o.path.count - 1))
            let number = String(repeating: " ", count: numberWidth - String(o.number).count) + String(o.number)
            var lineText = String(o.line) + String(repeating: " ", count: lineWidth - String(o.line).count)
            if paged {
                let page = o.page.map { "p.\($0)" } ?? ""
                lineText += "  " + page + String(repeating: " ", count: pageWidth - page.count)
            }
            let room = width - numberWidth - lineWidth - (paged ? pageWidth + 2 : 0) - 6 - indentation.count
            text += "\(number)  :\(lineText)  \(indentation)\(DisplayWidth.truncate(heading, to: room))\n"
        }
        return text
    }

    /// One section as JSON: the report and the section.
    public static func sectionJSON(_ report: ReportSummary, section: SectionInfo) -> String {
        JSONValue.object([("report", RecordJSON.summary(report)), ("section", RecordJSON.section(section))])
            .serialized() + "\n"
    }

    /// A whole report for a preview: `{"report", "matches", "sections": [{"section", "path", "heading", "line",
    /// "page", "text", "matches"}]}`, each section's `matches` scalar offsets into its `text`, `matches` their count.
    public static func previewJSON(_ report: ReportSummary, sections: [(section: SectionInfo, matches: [Range<Int>])]) -> String {
        JSONValue.object([
            ("report", RecordJSON.summary(report)),
            ("matches", .int(sections.reduce(0) { $0 + $1.matches.count })),
            ("sections", .array(sections.enumerated().map { n, entry in
                guard case .object(let members) = RecordJSON.section(entry.section) else { return .null }
                return .object([("section", .int(n + 1))] + members
                               + [("matches", .array(entry.matches.map { .array([.int($0.lowerBound), .int($0.upperBound)]) }))])
            })),
        ]).serialized() + "\n"
    }

    /// One section in full, under the report's title and the section's path.
    public static func sectionText(_ report: ReportSummary, section: SectionInfo, color: Bool) -> String {
        var text = bold(report.metadata.title, color) + "\n"
        text += (section.path.isEmpty ? "(开头)" : section.path.joined(separator: " › ")) + "  :\(section.line)"
            + (section.page.map { " p.\($0)" } ?? "") + "\n\n"
        return text + section.text + "\n"
    }

    /// Writes the outline, or one section when `section` is given, in
    /// JSON when the target asks for JSON or JSON Lines, else as text.
    public static func write(_ report: ReportSummary, outline: [OutlineEntry], section: SectionInfo?,
                             to target: OutputTarget) throws {
        if let section {
            try target.write(target.isJSON ? sectionJSON(report, section: section)
                                           : sectionText(report, section: section, color: target.useColor))
        } else {
            try target.write(target.isJSON ? json(report, outline: outline)
                                           : text(report, outline: outline, width: TerminalSize.columns(), color: target.useColor))
        }
    }

    private static func bold(_ s: String, _ color: Bool) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
}
