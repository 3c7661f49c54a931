import Foundation
import ZIPFoundation

/// The text of a Word (.docx) file, paragraph by paragraph, as Markdown:
/// paragraphs in Word's heading styles become `#` headings of their level,
/// so they nest like any other heading (`SectionSplitter`).
///
/// A .docx is a zip archive; its body is `word/document.xml`. The archive is
/// read with ZIPFoundation and the XML with `XMLEvents`, not Foundation's
/// XMLParser: that lives in FoundationXML, which loads libxml2 and ICU at
/// every start of the program, about 4 ms of each search (measured with a
/// static binary: 2.5 ms to start without it, 6.7 ms with it), for the one
/// file format that needs XML.
enum WordDocument {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func markdown(from data: Data) throws -> String {
        try read(data).markdown
    }

    /// The body as Markdown, and the title of the core properties
    /// (`docProps/core.xml`'s `dc:title`), a fallback for the report's title.
    static func read(_ data: Data) throws -> (markdown: String, title: String?) {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Failure(description: "not a valid .docx (not a zip archive)")
        }
        guard let entry = archive["word/document.xml"] else {
            throw Failure(description: "not a valid .docx (no word/document.xml)")
        }
        var xml = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { xml.append($0) }
        } catch {
            throw Failure(description: "not a valid .docx (damaged archive)")
        }
        var reader = BodyReader()
        do {
            try XMLEvents.scan(xml) { reader.handle($0) }
        } catch {
            throw Failure(description: "not a valid .docx (malformed document.xml)")
        }
        return (reader.lines.joined(separator: "\n"), coreTitle(archive))
    }

    static func coreTitle(_ archive: Archive) -> String? {
        guard let entry = archive["docProps/core.xml"] else { return nil }
        var xml = Data()
        guard (try? archive.extract(entry, skipCRC32: false) { xml.append($0) }) != nil else { return nil }
        var title = ""
        var inTitle = false
        try? XMLEvents.scan(xml) { event in
            switch event {
            case .start("dc:title", _): inTitle = true
            case .end("dc:title"): inTitle = false
            case .text(let s) where inTitle: title += s
            default: break
            }
        }
        let trimmed = title.trimmingBlanks()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Collects `w:p` paragraphs: their `w:t` text, `w:tab` and `w:br`, and
    /// the heading level of their `w:pStyle` or `w:outlineLvl`.
    struct BodyReader {
        var lines: [String] = []
        private var paragraph = ""
        private var level: Int?
        private var inText = false

        mutating func handle(_ event: XMLEvents.Event) {
            switch event {
            case .start(let name, let attributes):
                switch name {
                case "w:p": paragraph = ""; level = nil
                case "w:t": inText = true
                case "w:tab": paragraph += "\t"
                case "w:br", "w:cr": paragraph += "\n"
                case "w:pStyle": if let v = attributes["w:val"] { level = level ?? Self.headingLevel(style: v) }
                case "w:outlineLvl": if let v = attributes["w:val"].flatMap(Int.init), v < 9 { level = v + 1 }
                default: break
                }
            case .text(let string):
                if inText { paragraph += string }
            case .end(let name):
                switch name {
                case "w:t": inText = false
                case "w:p":
                    let text = paragraph.trimmingBlanks()
                    if let level, !text.isEmpty, !text.contains("\n") {
                        lines.append(String(repeating: "#", count: min(level, 6)) + " " + text)
                    } else {
                        lines.append(paragraph)
                    }
                default: break
                }
            }
        }

        /// `Heading1`, `heading 2`, `标题 1`, or Word's numeric style ids for
        /// the built-in headings in a Chinese Word (`1`, `2`, …).
        static func headingLevel(style: String) -> Int? {
            let s = style.lowercased().replacingOccurrences(of: " ", with: "")
            for prefix in ["heading", "标题", ""] where s.hasPrefix(prefix) {
                if let n = Int(s.dropFirst(prefix.count)), (1...9).contains(n) { return n }
            }
            return nil
        }
    }
}
