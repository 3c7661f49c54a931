import RSearchText

/// Puts sentences back together where a line break cut them: text
/// hard-wrapped at a fixed width, one clause per line (aligned translation
/// corpora), or web text whose link texts stand on lines of their own
/// (`在聽了劉少奇同志` / `關於憲法草案的報告` / `並進行了…`).
///
/// A line is joined to the one before when the break falls inside a
/// sentence of Chinese text: the line before ends with a Han character or
/// with `，` or `、`, and this one begins, unindented, with a Han character
/// or an opening quote or bracket. Never across a blank line, never to or
/// from a heading, and never in the header (title, byline, salutation),
/// whose lines are separate by nature. A line break between two Chinese
/// characters is not a separator in Chinese text, so after this a phrase is
/// found however the file happened to be wrapped; sections, headings and
/// points come out as for the same report written one paragraph per line,
/// whitespace aside.
///
/// The normalizer takes a document's lines in pieces (`add`), so that a
/// file of any size is normalized a piece at a time: it holds back only the
/// last line it has put out, until the next shows whether it goes on.
struct LayoutNormalizer {
    let markdown: Bool
    /// The width the text was hard-wrapped at, from the lines it was made with.
    let width: Int?
    private var inHeader = true
    private var previousJoinable = false
    private var previousCut = false
    private var held: SourceLine?

    /// `sample`: the document's first lines, which decide its wrap width.
    init(markdown: Bool, sample: [SourceLine]) {
        self.markdown = markdown
        width = Self.wrapWidth(sample)
    }

    /// The logical lines that `lines`, following those added before, complete.
    mutating func add(_ lines: [SourceLine]) -> [SourceLine] {
        var result: [SourceLine] = []
        result.reserveCapacity(lines.count + 1)
        if let held { result.append(held) }
        held = nil
        for line in lines {
            let s = line.scalars[...]
            guard let lead = s.firstIndex(where: { !$0.isBlank }) else {
                result.append(line)
                previousJoinable = false
                previousCut = false
                continue
            }
            let end = s.lastIndex(where: { !$0.isBlank })! + 1
            let last = s[end - 1]
            let heading = HeadingRecognizer.match(s[lead..<end], markdown: markdown)
            let length = end - lead
            if inHeader {
                // The header ends at the first heading, salutation (各位代表：)
                // or line of body text (long, or broken after a comma).
                if heading != nil || length > 40 || last == "，" || last == "、"
                    || ((last == "：" || last == ":") && length <= 12) {
                    inHeader = false
                }
            }
            if heading == nil, lead == s.startIndex, previousCut || (previousJoinable && Self.opensContinuation(s[lead])),
               var joined = result.popLast() {
                let trailing = joined.scalars.lastIndex(where: { !$0.isBlank })! + 1
                joined.scalars.removeSubrange(trailing...)
                // Words of Latin text cut by the wrap keep a space between them.
                if let before = joined.scalars.last, Self.isLatin(before), Self.isLatin(s[lead]) { joined.scalars.append(" ") }
                joined.joins.append((column: joined.scalars.count, number: line.number))
                joined.scalars.append(contentsOf: s)
                result.append(joined)
            } else {
                result.append(line)
            }
            // Whether the sentence at the end of this line goes on: it ends
            // in the middle of a clause, or the line was cut at the wrap width.
            let midClause = last == "，" || last == "、"
            let cut = width != nil && length == width && !HeadingRecognizer.isSentenceEnd(last)
            previousCut = cut
            if let heading, case .markdown = heading.style {
                previousJoinable = false
            } else if let heading, heading.length >= length {
                // A heading that fills its line (一、主要工作) ends with it,
                // unless the line was visibly cut.
                previousJoinable = midClause || cut
            } else {
                previousJoinable = (!inHeader || cut) && (CharacterClass.isHan(last.value) || midClause)
            }
        }
        held = result.popLast()
        return result
    }

    /// The last logical line.
    mutating func finish() -> [SourceLine] {
        defer { held = nil }
        return held.map { [$0] } ?? []
    }

    /// The width a hard-wrapped file was wrapped at: the length most long
    /// lines share, if most of them do.
    static func wrapWidth(_ lines: [SourceLine]) -> Int? {
        var counts: [Int: Int] = [:]
        var long = 0
        for line in lines {
            let n = line.scalars.count - (line.scalars.firstIndex(where: { !$0.isBlank }) ?? 0)
            guard n >= 16 else { continue }
            long += 1
            counts[n, default: 0] += 1
        }
        guard long >= 8, let (width, count) = counts.max(by: { $0.value < $1.value }), count * 2 >= long else { return nil }
        return width
    }

    static func isLatin(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 && CharacterClass.isWord(c.value) || c == "," || c == "."
    }

    static func opensContinuation(_ c: Unicode.Scalar) -> Bool {
        CharacterClass.isHan(c.value) || c == "“" || c == "‘" || c == "《" || c == "「" || c == "『"
    }
}
