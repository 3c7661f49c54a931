
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
    var markdown: Bool = false

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

    /// `text` in pieces of at most `maxSectionLength` scalars, each with the
    /// number of line breaks before it.
    static func pieces(of text: String) -> [(Int, String)] {
        // A string has no more scalars than UTF-8 bytes: most sections are
        // returned without decoding them into an array.
        guard text.utf8.count > maxSectionLength else { return [(0, text)] }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > maxSectionLength else { return [(0, text)] }
        var result: [(Int, String)] = []
        var start = 0
        var lines = 0
        while start < scalars.count {
            var end = min(scalars.count, start + maxSectionLength)
            if end < scalars.count {
                let window = scalars[(start + maxSectionLength / 2)..<end]
                if let nl = window.lastIndex(of: "\n") {
                    end = nl + 1
                } else if let stop = window.lastIndex(where: HeadingRecognizer.isSentenceEnd) {
                    end = stop + 1
                }
            }
            let piece = String(scalars: scalars[start..<end]).trimmingBlanks()
            if !piece.isEmpty { result.append((lines, piece)) }
            lines += scalars[start..<end].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
            start = end
        }
        return result
    }

    func split(_ lines: [SourceLine]) -> [Section] {
        var sections: [Section] = []
        var open: [OpenHeading] = []
        // Scalars, not a String: appending a slice to a String's scalar view
        // copies the whole string each time (quadratic on long sections).
        var text: [Unicode.Scalar] = []
        var firstLine: Int? = nil
        var currentPath: [String] = []

        func flush() {
            let body = String(scalars: text).trimmingBlanks()
            if !body.isEmpty, let line = firstLine {
                for (offset, piece) in Self.pieces(of: body) {
                    sections.append(Section(path: currentPath, line: line + offset, text: piece))
                }
            }
            text.removeAll()
            firstLine = nil
        }

        func begin(_ style: HeadingStyle, _ title: String) {
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

        func append(_ scalars: ArraySlice<Unicode.Scalar>, line: SourceLine) {
            if firstLine == nil {
                guard let i = scalars.firstIndex(where: { !$0.isBlank }) else { return }
                firstLine = line.number(at: i)
                text.append(contentsOf: scalars[i...])
            } else {
                text.append(contentsOf: scalars)
            }
        }

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
        }
        flush()
        return sections
    }
}
