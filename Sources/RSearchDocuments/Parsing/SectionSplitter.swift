
/// A line of a document, with its 1-based number in the file. A logical
/// line made of several physical ones (`LayoutNormalizer`) records where
/// each later one begins.
struct SourceLine {
    var number: Int
    var scalars: [Unicode.Scalar]
    /// (column in `scalars`, line number in the file) for each joined line.
    var joins: [(column: Int, number: Int)] = []

    func number(at column: Int) -> Int {
        var n = number
        for j in joins where j.column <= column { n = j.number }
        return n
    }
}

/// Cuts a document's lines into sections and nests their headings.
///
/// Nesting is learnt from the document rather than fixed: a heading whose
/// style is already open closes that level and everything under it and takes
/// its place (a sibling); a style not yet open nests under the innermost open
/// heading. So `一、 › （一） › 1.` and `第一章 › 第一条 › （一）` both come out
/// right, whatever order a document uses. Points (`一是…`) are always leaves.
///
/// Sections are cut only at the start of a heading line or at the start of a
/// point, so every character of the document lands in exactly one section.
struct SectionSplitter {
    var markdown: Bool

    init(markdown: Bool = false) {
        self.markdown = markdown
    }

    private struct OpenHeading {
        var style: HeadingStyle
        var title: String
    }

    /// Longest section kept whole. A longer one (a file that is one huge
    /// line, say) is stored as consecutive pieces with the same path, cut at
    /// a line break, else after a sentence, so that no row, snippet or
    /// highlight has to handle megabytes. A phrase that spans such a cut is
    /// not found; no real report comes near this length.
    static let maxSectionLength = 65_536

    /// Where the piece of a long section that begins at `start` ends: at
    /// most `maxSectionLength` scalars on, at the last line break of the
    /// window's second half, else after its last sentence, else at the
    /// limit. It looks only at the next `maxSectionLength` scalars, so a
    /// section is cut the same whether it is cut as it grows or at its end.
    static func pieceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        let end = min(scalars.count, start + maxSectionLength)
        guard end < scalars.count else { return end }
        let window = scalars[(start + maxSectionLength / 2)..<end]
        if let nl = window.lastIndex(of: "\n") { return nl + 1 }
        if let stop = window.lastIndex(where: HeadingRecognizer.isSentenceEnd) { return stop + 1 }
        return end
    }

    // The state between pieces of a document (`add`).
    private var sections: [Section] = []
    private var open: [OpenHeading] = []
    // Scalars, not a String: appending a slice to a String's scalar view
    // copies the whole string each time (quadratic on long sections).
    private var text: [Unicode.Scalar] = []
    private var firstLine: Int? = nil
    /// Line breaks in the pieces already cut from the open section.
    private var linesCut: Int? = nil
    private var currentPath: [String] = []

    /// The sections that `lines`, following those added before, complete;
    /// the open section and headings carry over to the next piece.
    mutating func add(_ lines: [SourceLine]) -> [Section] {
        for line in lines {
            let s = line.scalars[...]
            let lead = s.firstIndex(where: { !$0.isBlank }) ?? s.endIndex
            var pointsFrom = lead
            if lead < s.endIndex, let heading = HeadingRecognizer.match(s[lead...], markdown: markdown) {
                let title = heading.display
                    ?? HeadingRecognizer.displayTitle(s[lead..<(lead + heading.length)])
                begin(heading.style, title)
                pointsFrom = lead + heading.length
            } else if firstLine != nil {
                text.append("\n")
            }
            var cursor = s.startIndex
            for p in HeadingRecognizer.pointStarts(s, from: pointsFrom) {
                append(s[cursor..<p], line: line)
                let length = HeadingRecognizer.pointHeadingLength(s, at: p)
                begin(.point, HeadingRecognizer.displayTitle(s[p..<(p + length)]))
                cursor = p
            }
            append(s[cursor...], line: line)
            if text.count > 2 * Self.maxSectionLength { cutPieces(final: false) }
        }
        defer { sections.removeAll() }
        return sections
    }

    /// The last section.
    mutating func finish() -> [Section] {
        flush()
        defer { sections.removeAll() }
        return sections
    }

    private mutating func flush() {
        while let last = text.last, last.isBlank { text.removeLast() }
        if linesCut == nil, text.count <= Self.maxSectionLength {
            let body = String(scalars: text).trimmingBlanks()
            if !body.isEmpty, let line = firstLine { sections.append(Section(path: currentPath, line: line, text: body)) }
        } else {
            cutPieces(final: true)
        }
        text.removeAll()
        firstLine = nil
        linesCut = nil
    }

    /// Cuts the open section's text into pieces (`pieceEnd`): all of it when
    /// `final`, else as long as what is left is longer than a piece, so
    /// that a section of any length is held only a piece or two at a time.
    /// Each piece keeps the section's path; its line is the section's plus
    /// the line breaks before it.
    private mutating func cutPieces(final: Bool) {
        guard let line = firstLine else { return }
        var start = 0
        var lines = linesCut ?? 0
        // Trailing blanks may yet be the section's end, which is trimmed.
        let known = text.count - text.reversed().prefix(while: \.isBlank).count
        while start < text.count, final || known - start > Self.maxSectionLength {
            let end = Self.pieceEnd(text, from: start)
            let piece = String(scalars: text[start..<end]).trimmingBlanks()
            if !piece.isEmpty { sections.append(Section(path: currentPath, line: line + lines, text: piece)) }
            lines += text[start..<end].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
            start = end
        }
        text.removeFirst(start)
        linesCut = lines
    }

    private mutating func begin(_ style: HeadingStyle, _ title: String) {
        flush()
        while let top = open.last, top.style == .point { open.removeLast() }
        if case .markdown(let level) = style {
            while let top = open.last, case .markdown(let l) = top.style, l >= level { open.removeLast() }
        } else if let k = open.firstIndex(where: { $0.style == style }) {
            open.removeSubrange(k...)
        }
        open.append(OpenHeading(style: style, title: title))
        currentPath = open.map(\.title)
    }

    private mutating func append(_ scalars: ArraySlice<Unicode.Scalar>, line: SourceLine) {
        if firstLine == nil {
            guard let i = scalars.firstIndex(where: { !$0.isBlank }) else { return }
            firstLine = line.number(at: i)
            text.append(contentsOf: scalars[i...])
        } else {
            text.append(contentsOf: scalars)
        }
    }
}
