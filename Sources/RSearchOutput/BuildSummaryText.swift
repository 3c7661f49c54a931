import Foundation
import RSearchDocuments

/// The summary line a build or an update ends with (and one line per
/// skipped file, with its reason), and what waits for OCR.
public enum BuildSummaryText {
    public static func describe(_ s: BuildSummary) -> String {
        var line: String
        if s.rebuilt {
            line = "indexed \(s.reports) reports, \(s.sections) sections"
        } else {
            line = "updated: \(s.added) added, \(s.updated) changed, \(s.removed) removed, \(s.renamed) renamed, "
                + "\(s.unchanged) unchanged; \(s.reports) reports"
        }
        line += String(format: ", %.1f MB read in %.1f s", Double(s.bytes) / 1_000_000, s.seconds)
        if s.pagesRecognised > 0 { line += "; \(s.pagesRecognised) pages recognised (OCR)" }
        if s.reports == 0 {
            let kinds = Corpus.documentExtensions.sorted().map { "." + $0 }.joined(separator: ", ")
            line += "; warning: the corpus holds no reports (rsearch reads \(kinds) files)"
        }
        if !s.skipped.isEmpty {
            line += "; skipped \(s.skipped.count):"
            for (path, reason) in s.skipped { line += "\n  skipped \(path): \(reason)" }
        }
        if !s.waitingForOCR.isEmpty {
            let count = s.waitingForOCR.count
            line += "\n\(count) PDF\(count == 1 ? "" : "s") need\(count == 1 ? "s" : "") OCR: run rsearch index --ocr"
            let partly = s.waitingForOCR.filter { path in !s.skipped.contains { $0.path == path } }
            for path in partly { line += "\n  \(path): some pages are images of text" }
        }
        return line
    }
}
