
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
    public func parse(_ text: String, fileName: String, format: Format = .plainText,
                      fallbackTitle: String? = nil, fallbackAuthor: String? = nil) -> Document {
        var pieces = Pieces(fileName: fileName, format: format)
        pieces.fallbackTitle = fallbackTitle
        pieces.fallbackAuthor = fallbackAuthor
        let sections = pieces.add(text) + pieces.finish()
        return Document(metadata: pieces.metadata!, sections: sections)
    }

    /// A document parsed a piece at a time, so that a file of any size is
    /// parsed in bounded memory: each piece is text that ends at a line
    /// break (LF), and `add` returns the sections it completes. The first
    /// piece decides what is decided from the top of a document: front
    /// matter, metadata (title, byline, a date standing alone on a line),
    /// the wrap width. `parse` is one piece; the loader cuts only files
    /// larger than `DocumentLoader.pieceBytes`, whose first piece is its
    /// first megabyte.
    public struct Pieces: Sendable {
        public let fileName: String
        public let format: Format
        /// A title the format states (`MetadataExtractor.fallbackTitle`).
        public var fallbackTitle: String?
        public var fallbackAuthor: String?
        /// Set by the first `add`.
        public private(set) var metadata: ReportMetadata?
        private var normalizer: LayoutNormalizer?
        private var splitter: SectionSplitter
        private var nextLine = 1

        public init(fileName: String, format: Format = .plainText) {
            self.fileName = fileName
            self.format = format
            splitter = SectionSplitter(markdown: format == .markdown)
        }

        public mutating func add(_ piece: String) -> [Section] {
            var (lines, next) = ReportParser.lines(of: piece, firstNumber: nextLine)
            nextLine = next
            if metadata == nil {
                let frontMatter = ReportParser.takeFrontMatter(&lines)
                metadata = MetadataExtractor(fileName: fileName, fallbackTitle: fallbackTitle, fallbackAuthor: fallbackAuthor).extract(lines: lines, frontMatter: frontMatter)
                normalizer = LayoutNormalizer(markdown: format == .markdown, sample: lines)
                splitter.decideRule(lines)
            }
            return splitter.add(normalizer!.add(lines))
        }

        public mutating func finish() -> [Section] {
            if metadata == nil { _ = add("") }
            return splitter.add(normalizer!.finish()) + splitter.finish()
        }
    }

    /// Lines split at LF, CRLF or CR, numbered from `firstNumber` (1 for a
    /// file's first line) as an editor shows them, and the number of the
    /// line after them.
    static func lines(of text: String, firstNumber: Int = 1) -> (lines: [SourceLine], next: Int) {
        var lines: [SourceLine] = []
        var current: [Unicode.Scalar] = []
        var number = firstNumber
        var afterCR = false
        for s in text.unicodeScalars {
            if s == "\n" && afterCR { afterCR = false; continue }
            afterCR = false
            if s == "\n" || s == "\r" {
                lines.append(SourceLine(number: number, scalars: current))
                current = []  // not removeAll(keepingCapacity:): the buffer now belongs to the line appended
                number += 1
                afterCR = s == "\r"
            } else if s == "\u{FEFF}" && number == 1 && current.isEmpty {
                continue  // a byte-order mark is not text
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty {
            lines.append(SourceLine(number: number, scalars: current))
            number += 1
        }
        return (lines, number)
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
