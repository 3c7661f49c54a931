/// A line of a document, with its 1-based number in the file.
struct SourceLine {
    var number: Int
    var scalars: [Unicode.Scalar]
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

    func split(_ lines: [SourceLine]) -> [Section] {
        var sections: [Section] = []
        var open: [OpenHeading] = []
        var text = String.UnicodeScalarView()
        var firstLine: Int? = nil
        var currentPath: [String] = []

        func flush() {
            let body = String(text).trimmingBlanks()
            if !body.isEmpty, let line = firstLine {
                sections.append(Section(path: currentPath, line: line, text: body))
            }
            text = String.UnicodeScalarView()
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

        func append(_ scalars: ArraySlice<Unicode.Scalar>, line: Int) {
            if firstLine == nil {
                guard let i = scalars.firstIndex(where: { !$0.isBlank }) else { return }
                firstLine = line
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
                let title = heading.display ?? String(String.UnicodeScalarView(s[lead..<(lead + heading.length)]))
                begin(heading.style, title)
                pointsFrom = lead + heading.length
            } else if firstLine != nil {
                text.append("\n")
            }
            var cursor = s.startIndex
            if !markdown {
                for p in HeadingRecognizer.pointStarts(s, from: pointsFrom) {
                    append(s[cursor..<p], line: line.number)
                    let length = HeadingRecognizer.pointHeadingLength(s, at: p)
                    begin(.point, String(String.UnicodeScalarView(s[p..<(p + length)])))
                    cursor = p
                }
            }
            append(s[cursor...], line: line.number)
        }
        flush()
        return sections
    }
}
