
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
/// In a report, nesting is learnt from the document rather than fixed: a
/// heading whose style is already open closes that level and everything
/// under it and takes its place (a sibling); a style not yet open nests
/// under the innermost open heading. So `一、 › （一） › 1.` comes out right,
/// whatever order a report uses. Points (`一是…`) are always leaves.
///
/// A statute (a document whose first piece has at least
/// `statuteArticles` lines that begin with `第X条`) has fixed levels
/// instead, as lawyers cite them: 编 > 分编 > 章 > 节 > 条 > 款, whatever
/// order a file first uses them in, so that a chapter after an article
/// closes it rather than nesting under it. Below an article, its items
/// (`（一）`, `1.`) nest by the report rule; a paragraph that follows an
/// article's items belongs to the article, as its `第N款` (the article's
/// Nth paragraph, items not counted). A table of contents (a run of
/// headings above the article with no text between them, after a `目录`
/// line or not, up to the repeat of its first) is one section, `目录`,
/// not a run of empty chapters.
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

    /// Lines beginning with `第X条` in a document's first piece that make it
    /// a statute.
    static let statuteArticles = 3

    /// A statute level's rank, higher levels first; nil for the headings
    /// that nest by the report rule below them.
    static func statuteRank(_ style: HeadingStyle) -> Int? {
        switch style {
        case .contents: 0
        case .book, .part: 1
        case .subBook: 2
        case .chapter: 3
        case .section: 4
        case .article: 5
        case .paragraph: 6
        default: nil
        }
    }

    /// Whether the document is a statute; decided by the first piece.
    private var statute: Bool?
    /// The lines (by number) of a statute's table of contents, which are
    /// its text, not headings, and the first of them (`目录`, or its first
    /// entry), which begins it.
    private var contents: Set<Int> = []
    private var contentsStart: Int?
    /// Paragraphs of the open article so far, its first included.
    private var articleParagraphs = 0

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
        if statute == nil { decideRule(lines) }
        for line in lines {
            let s = line.scalars[...]
            let lead = s.firstIndex(where: { !$0.isBlank }) ?? s.endIndex
            var pointsFrom = lead
            if lead < s.endIndex, !contents.contains(line.number),
               let heading = HeadingRecognizer.match(s[lead...], markdown: markdown) {
                let title = heading.display
                    ?? HeadingRecognizer.displayTitle(s[lead..<(lead + heading.length)])
                begin(heading.style, title)
                pointsFrom = lead + heading.length
                // `第一条` alone on its line: its first paragraph is the next.
                if heading.style == .article, !s[pointsFrom...].contains(where: { !$0.isBlank }) { articleParagraphs = 0 }
            } else if line.number == contentsStart {
                begin(.contents, "目录")
                pointsFrom = s.endIndex
            } else if lead < s.endIndex, statute == true, startsParagraph() {
                articleParagraphs += 1
                begin(.paragraph, "第\(ChineseNumerals.spelled(articleParagraphs))款")
            } else {
                if lead < s.endIndex, statute == true, open.contains(where: { $0.style == .article }) {
                    articleParagraphs += 1
                }
                if firstLine != nil { text.append("\n") }
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

    /// Whether a line of body text (no heading) begins a paragraph of its
    /// own: in a statute, after an article's items.
    private func startsParagraph() -> Bool {
        guard open.contains(where: { $0.style == .article }),
              let inner = open.last(where: { $0.style != .point }) else { return false }
        return Self.statuteRank(inner.style) == nil
    }

    /// Whether the document is a statute, and where its table of contents
    /// is, from its first piece: the file's own lines, before the layout
    /// rule joins or holds back any (`ReportParser`), else the first lines
    /// `add` is given.
    mutating func decideRule(_ lines: [SourceLine]) {
        func heading(_ line: SourceLine) -> (style: HeadingStyle, title: String)? {
            let s = line.scalars[...]
            guard let lead = s.firstIndex(where: { !$0.isBlank }), s[lead] == "第",
                  let h = HeadingRecognizer.match(s[lead...], markdown: false) else { return nil }
            return (h.style, HeadingRecognizer.displayTitle(s[lead..<(lead + h.length)]))
        }
        var articles = 0
        // The first line that is 目录 or a heading above the article.
        var contentsLine: Int?
        for (n, line) in lines.enumerated() {
            guard let first = line.scalars.first(where: { !$0.isBlank }) else { continue }
            if first == "第", let h = heading(line) {
                if h.style == .article { articles += 1 }
                if contentsLine == nil, let rank = Self.statuteRank(h.style), rank < Self.statuteRank(.article)! {
                    contentsLine = n
                }
            }
            if contentsLine == nil, first == "目", Self.isContentsLine(line.scalars[...]) { contentsLine = n }
        }
        statute = !markdown && articles >= Self.statuteArticles
        guard statute == true, let c = contentsLine else { return }
        // Only headings above the article (blank lines aside), up to the repeat of the first.
        var entries: [(number: Int, title: String)] = []
        var repeated = false
        let start = Self.isContentsLine(lines[c].scalars[...]) ? c + 1 : c
        for line in lines[start...] where line.scalars.contains(where: { !$0.isBlank }) {
            guard let h = heading(line), let rank = Self.statuteRank(h.style), rank < Self.statuteRank(.article)! else {
                return
            }
            if let first = entries.first, h.title == first.title {
                repeated = true
                break
            }
            entries.append((line.number, h.title))
        }
        guard repeated, entries.count >= 2 else { return }
        contentsStart = lines[c].number
        contents = Set([lines[c].number] + entries.map(\.number))
    }

    /// `目录` alone on a line, blanks aside.
    static func isContentsLine(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        s.filter { !$0.isBlank }.elementsEqual("目录".unicodeScalars)
    }

    private mutating func begin(_ style: HeadingStyle, _ title: String) {
        flush()
        while let top = open.last, top.style == .point { open.removeLast() }
        // A table of contents ends at the first heading after it.
        if let top = open.last, top.style == .contents { open.removeLast() }
        if statute == true, let rank = Self.statuteRank(style) {
            // Fixed levels: the innermost higher level stays open, all under it closes
            // (with no higher level open, everything from the first statute level on).
            if let p = open.lastIndex(where: { Self.statuteRank($0.style).map { $0 < rank } ?? false }) {
                open.removeSubrange((p + 1)...)
            } else if let k = open.firstIndex(where: { Self.statuteRank($0.style) != nil }) {
                open.removeSubrange(k...)
            }
            if style == .article { articleParagraphs = 1 }
        } else if case .markdown(let level) = style {
            // A Markdown (or Word heading-style) level closes everything
            // opened since its parent level, numbered headings included:
            // `## 二、…` after `（一）…` under `## 一、…` is its sibling.
            while let top = open.last {
                if case .markdown(let l) = top.style, l < level { break }
                open.removeLast()
            }
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
