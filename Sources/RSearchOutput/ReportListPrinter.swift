import Foundation
import RSearchDocuments

/// `list`: the reports in the index with their metadata.
public enum ReportListPrinter {
    public static let csvHeader = ["path", "title", "year", "date", "kind", "author", "unit", "sections", "characters",
                                   "enacted"]

    public static func render(_ reports: [ReportSummary], format: OutputFormat, excel: Bool = false,
                              width: Int = 100, color: Bool = false) -> String {
        switch format {
        case .json:
            return JSONValue.array(reports.map(RecordJSON.summary)).serialized() + "\n"
        case .jsonl:
            return reports.map { RecordJSON.summary($0).serialized() + "\n" }.joined()
        case .csv:
            var csv = excel ? "\u{FEFF}" : ""
            csv += ResultFormats.csvRow(csvHeader)
            for r in reports {
                let m = r.metadata
                csv += ResultFormats.csvRow([r.path, m.title, m.year.map(String.init) ?? "", m.date ?? "", m.kind ?? "",
                                             m.author ?? "", m.unit ?? "", String(r.sections), String(r.characters),
                                             m.enacted ?? ""])
            }
            return csv
        case .table:
            let rows = reports.map { r -> [String] in
                let m = r.metadata
                return [m.year.map(String.init) ?? "", m.kind ?? "", m.title, m.author ?? "", r.path]
            }
            return Table.render(header: ["年份", "类型", "标题", "作者", "文件"], rows: rows, width: width, color: color,
                                middle: [4])
        }
    }

    public static func write(_ reports: [ReportSummary], to target: OutputTarget) throws {
        // Cut to fit only a terminal (or `$COLUMNS`); a pipe gets every cell whole.
        let width = target.toTerminal || ProcessInfo.processInfo.environment["COLUMNS"] != nil ? TerminalSize.columns() : .max
        try target.write(render(reports, format: target.format, excel: target.excel, width: width,
                                color: target.useColor))
    }
}
