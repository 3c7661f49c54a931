
/// Turns the text of one file into a report: its metadata and its sections.
public struct ReportParser: Sendable {
    public enum Format: Sendable {
        case plainText
        case markdown
    }

    public init() {}

    /// - Parameters:
    ///   - text: the decoded file; any line endings.
    ///   - fileName: the file's name, the last resort for title and year.
    public func parse(_ text: String, fileName: String, format: Format = .plainText) -> Document {
        var lines = Self.lines(of: text)
        let frontMatter = Self.takeFrontMatter(&lines)
        let metadata = MetadataExtractor(fileName: fileName).extract(lines: lines, frontMatter: frontMatter)
        let markdown = format == .markdown
        let sections = SectionSplitter(markdown: markdown).split(LayoutNormalizer.normalize(lines, markdown: markdown))
        return Document(metadata: metadata, sections: sections)
    }

    /// Lines split at LF, CRLF or CR, numbered from 1 as an editor shows them.
    static func lines(of text: String) -> [SourceLine] {
        var lines: [SourceLine] = []
        var current: [Unicode.Scalar] = []
        var number = 1
        var afterCR = false
        for s in text.unicodeScalars {
            if s == "\n" && afterCR { afterCR = false; continue }
            afterCR = false
            if s == "\n" || s == "\r" {
                lines.append(SourceLine(number: number, scalars: current))
                current = []  // not removeAll(keepingCapacity:): the buffer now belongs to the line appended
                number += 1
                afterCR = s == "\r"
            } else if s == "\u{FEFF}" && lines.isEmpty && current.isEmpty {
                continue  // a byte-order mark is not text
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { lines.append(SourceLine(number: number, scalars: current)) }
        return lines
    }

    /// A leading `---` … `---` block of `key: value` lines: removed from the
    /// lines, returned as a dictionary. Anything else is left alone.
    static func takeFrontMatter(_ lines: inout [SourceLine]) -> [String: String] {
        func text(_ i: Int) -> String { String(scalars: lines[i].scalars).trimmingBlanks() }
        guard let first = lines.first, String(scalars: first.scalars).trimmingBlanks() == "---"
        else { return [:] }
        var values: [String: String] = [:]
        for i in 1..<min(lines.count, 60) {
            let t = text(i)
            if t == "---" || t == "..." {
                lines.removeSubrange(0...i)
                return values
            }
            guard let colon = t.firstIndex(where: { $0 == ":" || $0 == "：" }) else { return [:] }
            let key = String(t[..<colon]).trimmingBlanks()
            var value = String(t[t.index(after: colon)...]).trimmingBlanks()
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return [:]
    }
}
