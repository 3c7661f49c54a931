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
        // Every file not read is named: skipped (something to install or
        // run), failed (the file's own fault), ignored (not a document).
        line += notRead(s)
        return line
    }

    /// The files not read and the files ignored, a line each (ignored: by type),
    /// and what waits for OCR; empty when every file was read.
    public static func notRead(_ s: BuildSummary) -> String {
        var line = ""
        if !s.notRead.isEmpty {
            line += "; not read \(s.notRead.count):"
            for (path, reason) in s.notRead {
                line += "\n  \(BuildSummary.needsSetup(reason) ? "skipped" : "failed") \(path): \(reason)"
            }
        }
        if !s.ignored.isEmpty { line += "\n  ignored: " + ignoredGroups(s.ignored) }
        if !s.waitingForOCR.isEmpty {
            let count = s.waitingForOCR.count
            line += "\n\(count) PDF\(count == 1 ? "" : "s") need\(count == 1 ? "s" : "") OCR: run rsearch index --ocr"
            let partly = s.waitingForOCR.filter { path in !s.notRead.contains { $0.path == path } }
            for path in partly { line += "\n  \(path): some pages are images of text" }
        }
        return line
    }

    /// `2 .xyz, 1 .pptx (not a document format rsearch reads); 5 SOURCE.md (a provenance note, not a report)`:
    /// counts by ending (or by name, for provenance notes), most first.
    public static func ignoredGroups(_ paths: [String]) -> String {
        var groups: [String: [String: Int]] = [:]
        for path in paths {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let reason = BuildSummary.ignoredReason(path)
            let type = Corpus.ignoredNames.contains(name) ? name
                : name.lastIndex(of: ".").map { "." + name[name.index(after: $0)...].lowercased() } ?? "(no extension)"
            groups[reason, default: [:]][type, default: 0] += 1
        }
        return groups.sorted { $0.key > $1.key }.map { reason, types in
            types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.value) \($0.key)" }.joined(separator: ", ") + " (\(reason))"
        }.joined(separator: "; ")
    }

    /// The summary as one JSON object (`rsearch index --json`).
    public static func json(_ s: BuildSummary) -> String {
        func files(_ list: [(path: String, reason: String)]) -> JSONValue {
            .array(list.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })
        }
        return JSONValue.object([
            ("rebuilt", .bool(s.rebuilt)), ("added", .int(s.added)), ("updated", .int(s.updated)),
            ("removed", .int(s.removed)), ("renamed", .int(s.renamed)), ("unchanged", .int(s.unchanged)),
            ("reports", .int(s.reports)), ("sections", .int(s.sections)), ("bytes_read", .int(s.bytes)),
            ("seconds", .double((s.seconds * 1000).rounded() / 1000)), ("pages_recognised", .int(s.pagesRecognised)),
            ("skipped", files(s.notRead.filter { BuildSummary.needsSetup($0.reason) })),
            ("failed", files(s.notRead.filter { !BuildSummary.needsSetup($0.reason) })),
            ("ignored", files(s.ignored.map { ($0, BuildSummary.ignoredReason($0)) })),
            ("waiting_for_ocr", .array(s.waitingForOCR.map(JSONValue.string))),
        ]).serialized() + "\n"
    }
}
