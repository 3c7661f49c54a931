import Foundation
import RSearchQuery

/// A search result in the form asked for: hits in a format, or the
/// report paths (`-l`), or the counts per report (`-c`).
public enum SearchPrinter {
    public enum View: Sendable { case hits, files, counts }

    /// Writes the result to `target`; for people, with the summary line on
    /// standard error when standard output is a terminal and something
    /// matched (`more` says how to see the hits not shown).
    public static func write(_ result: SearchResult, view: View, to target: OutputTarget, more: String? = nil) throws {
        switch (view, target.format) {
        case (.files, _): try target.write(ResultFormats.filesWithMatches(result))
        case (.counts, _): try target.write(ResultFormats.counts(result))
        case (.hits, .json): try target.write(SearchJSON.result(result).serialized() + "\n")
        case (.hits, .jsonl): try target.write(ResultFormats.jsonLines(result))
        case (.hits, .csv): try target.write(ResultFormats.csv(result, excel: target.excel))
        case (.hits, .table):
            let printer = TerminalPrinter(color: target.useColor, width: TerminalSize.columns())
            try target.write(printer.render(result))
            // The caller words "no matches", as one of its messages.
            if target.toTerminal && result.total > 0 {
                FileHandle.standardError.write(Data((printer.summary(result, more: more) + "\n").utf8))
            }
        }
    }
}
