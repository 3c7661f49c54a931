
/// The numbering styles of Chinese official documents, and how a line that
/// begins with one is cut into its heading and the text after it.
public enum HeadingStyle: Hashable, Sendable {
    case contents      // 目录, a statute's table of contents
    case book          // 第一编
    case subBook       // 第一分编
    case part          // 第一部分
    case chapter       // 第一章
    case section       // 第一节
    case article       // 第一条, 第十七条之一
    case paragraph     // 第二款: a statute's paragraph after an article's items (no marker of its own)
    case cnNumber      // 一、
    case cnParen       // （一） (一)
    case arabic        // 1.  1、  １．
    case arabicParen   // （1） (1)
    case markdown(Int) // # … ###### in Markdown files
    case point         // 一是… 二是… inside a paragraph
}

struct HeadingMatch: Equatable {
    var style: HeadingStyle
    /// Scalars of the line, from the marker's first scalar, that make up the
    /// heading as shown in a section path.
    var length: Int
    /// The heading as shown, when it is not a literal prefix of the line
    /// (Markdown headings drop their `#`s).
    var display: String?
}

enum HeadingRecognizer {
    /// Longest heading kept whole; past it a heading is cut at a comma.
    static let maxHeadingLength = 60

    /// A switch, not a `Set`: it is asked of nearly every scalar of the
    /// corpus, and hashing each was about 8% of the loading thread (perf).
    static func isSentenceEnd(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "。", "！", "？", "；", "!", "?", ";": return true
        default: return false
        }
    }

    /// The heading a line begins with, if any. `s` starts at the line's first
    /// non-blank scalar.
    static func match(_ s: ArraySlice<Unicode.Scalar>, markdown: Bool) -> HeadingMatch? {
        guard let first = s.first else { return nil }
        let start = s.startIndex
        if markdown, first == "#" {
            var level = 0
            var i = start
            while i < s.endIndex, s[i] == "#" { level += 1; i += 1 }
            guard level <= 6, i < s.endIndex, s[i] == " " || s[i] == "\t" else { return nil }
            let title = String(scalars: s[i...]).trimmingBlanks()
            guard !title.isEmpty else { return nil }
            // A numbered heading in a heading style (`## 一、 过去五年`) is
            // named as the same heading without the style is.
            let rest = s[i...].drop { $0.isBlank }
            if let numbered = match(rest, markdown: false), numbered.length >= rest.count {
                return HeadingMatch(style: .markdown(level), length: s.count, display: numbered.display ?? displayTitle(rest))
            }
            return HeadingMatch(style: .markdown(level), length: s.count, display: title)
        }
        if first == "第" {
            var i = start + 1
            while i < s.endIndex, ChineseNumerals.isCountingNumeral(s[i]) || isDigit(s[i]) { i += 1 }
            guard i > start + 1, i < s.endIndex else { return nil }
            let style: HeadingStyle
            var markerEnd = i + 1
            switch s[i] {
            case "章": style = .chapter
            case "节": style = .section
            case "条":
                style = .article
                // 第十七条之一 is an article of its own, cited as such.
                var j = i + 2
                if j < s.endIndex, s[i + 1] == "之" {
                    while j < s.endIndex, ChineseNumerals.isCountingNumeral(s[j]) { j += 1 }
                    if j > i + 2 { markerEnd = j }
                }
            case "编": style = .book
            case "分":
                guard i + 1 < s.endIndex, s[i + 1] == "编" else { return nil }
                style = .subBook; markerEnd = i + 2
            case "部":
                guard i + 1 < s.endIndex, s[i + 1] == "分" else { return nil }
                style = .part; markerEnd = i + 2
            default: return nil
            }
            // 第一条 is followed by a blank or by the text; 第一章总则 likewise.
            // 第三条规定 in running text would start a line only by accident.
            if style == .article {
                return HeadingMatch(style: .article, length: markerEnd - start)
            }
            return HeadingMatch(style: style, length: headingLength(s, from: markerEnd))
        }
        if ChineseNumerals.isCountingNumeral(first) {
            var i = start
            while i < s.endIndex, ChineseNumerals.isCountingNumeral(s[i]) { i += 1 }
            guard i < s.endIndex, s[i] == "、" else { return nil }
            // 一、二、三产业… is an enumeration, not a heading.
            if i + 2 < s.endIndex, ChineseNumerals.isCountingNumeral(s[i + 1]), s[i + 2] == "、" { return nil }
            guard i + 1 < s.endIndex else { return nil }
            return HeadingMatch(style: .cnNumber, length: headingLength(s, from: i + 1))
        }
        if first == "（" || first == "(" {
            var i = start + 1
            let cn = i < s.endIndex && ChineseNumerals.isCountingNumeral(s[i])
            while i < s.endIndex, cn ? ChineseNumerals.isCountingNumeral(s[i]) : isDigit(s[i]) { i += 1 }
            guard i > start + 1, i - start <= 4, i < s.endIndex, s[i] == "）" || s[i] == ")" else { return nil }
            guard i + 1 < s.endIndex else { return nil }
            return HeadingMatch(style: cn ? .cnParen : .arabicParen, length: headingLength(s, from: i + 1))
        }
        if isDigit(first) {
            var i = start
            while i < s.endIndex, isDigit(s[i]) { i += 1 }
            guard i - start <= 2, i + 1 < s.endIndex else { return nil }
            switch s[i] {
            case ".", "．", "、":
                // 1.5亿 and 2.3% are numbers, not headings.
                if isDigit(s[i + 1]) { return nil }
                if s[i + 1] == "%" || s[i + 1] == "％" { return nil }
            default: return nil
            }
            return HeadingMatch(style: .arabic, length: headingLength(s, from: i + 1))
        }
        return nil
    }

    /// Where inline points (`一是…`, `二是…`) begin in `s`, from `from` on: at
    /// the start of the line or right after a sentence or clause end.
    static func pointStarts(_ s: ArraySlice<Unicode.Scalar>, from: Int) -> [Int] {
        var starts: [Int] = []
        var i = max(from, s.startIndex)
        while i < s.endIndex {
            if ChineseNumerals.isCountingNumeral(s[i]),
               i == s.startIndex || s[i - 1].isBlank || isSentenceEnd(s[i - 1]) || s[i - 1] == "：" || s[i - 1] == ":" {
                var j = i
                while j < s.endIndex, j - i < 3, ChineseNumerals.isCountingNumeral(s[j]) { j += 1 }
                if j < s.endIndex, s[j] == "是", let n = ChineseNumerals.number(s[i..<j]), n >= 1, n <= 30,
                   s[i] != "两", s[i] != "零", s[i] != "〇" {
                    starts.append(i)
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
        return starts
    }

    /// A heading as shown in a path: blanks after a numbering mark dropped
    /// (`一、 回顾` is `一、回顾`), other runs of blanks one space
    /// (`第一章　总则` is `第一章 总则`), so that layouts agree.
    static func displayTitle(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        var pendingBlank = false
        for c in s {
            if c.isBlank {
                pendingBlank = true
                continue
            }
            if pendingBlank, let last = out.last, !"、）)".unicodeScalars.contains(last) { out.append(" ") }
            pendingBlank = false
            out.append(c)
        }
        return String(out)
    }

    /// The heading of a point beginning at `start`: its first sentence.
    static func pointHeadingLength(_ s: ArraySlice<Unicode.Scalar>, at start: Int) -> Int {
        headingLength(s[start...], from: start + 2)
    }

    /// The heading runs from the marker to the first sentence end on the line,
    /// or to the line's end; a very long one is cut at its first comma.
    static func headingLength(_ s: ArraySlice<Unicode.Scalar>, from: Int) -> Int {
        var end = from
        while end < s.endIndex, !isSentenceEnd(s[end]) { end += 1 }
        while end > s.startIndex, s[end - 1] == " " || s[end - 1] == "\u{3000}" || s[end - 1] == "\t" { end -= 1 }
        if end - s.startIndex > maxHeadingLength {
            var comma = from
            while comma < end, s[comma] != "，", s[comma] != "：", s[comma] != "," { comma += 1 }
            end = min(comma, s.startIndex + maxHeadingLength)
        }
        return end - s.startIndex
    }

    @inline(__always)
    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0xFF10 && s.value <= 0xFF19)
    }
}

extension String {
    /// A string of these scalars, built through UTF-8 in one pass.
    init(scalars: some Collection<Unicode.Scalar>) {
        // Encoded by hand into the string's own storage: appending each
        // scalar's `UTF8.encode` buffer to an array was about 6% of the
        // loading thread (perf). Measured first: a string keeps the capacity
        // it was made with, and Chinese text takes 3 bytes a scalar, not 4.
        let length = scalars.reduce(0) { $0 + UTF8.width($1) }
        self.init(unsafeUninitializedCapacity: length) { buffer in
            var n = 0
            for scalar in scalars { String.appendUTF8(scalar.value, to: buffer, at: &n) }
            return n
        }
    }

    /// A string of these scalar values, which must be valid scalars.
    package init(scalarValues: [UInt32]) {
        self.init(unsafeUninitializedCapacity: scalarValues.count * 4) { buffer in
            var n = 0
            scalarValues.withUnsafeBufferPointer { values in
                for v in values { String.appendUTF8(v, to: buffer, at: &n) }
            }
            return n
        }
    }

    @inline(__always)
    private static func appendUTF8(_ v: UInt32, to buffer: UnsafeMutableBufferPointer<UInt8>, at n: inout Int) {
        switch v {
        case ..<0x80:
            buffer[n] = UInt8(v)
            n += 1
        case ..<0x800:
            buffer[n] = UInt8(0xC0 | v >> 6)
            buffer[n + 1] = UInt8(0x80 | v & 0x3F)
            n += 2
        case ..<0x10000:
            buffer[n] = UInt8(0xE0 | v >> 12)
            buffer[n + 1] = UInt8(0x80 | v >> 6 & 0x3F)
            buffer[n + 2] = UInt8(0x80 | v & 0x3F)
            n += 3
        default:
            buffer[n] = UInt8(0xF0 | v >> 18)
            buffer[n + 1] = UInt8(0x80 | v >> 12 & 0x3F)
            buffer[n + 2] = UInt8(0x80 | v >> 6 & 0x3F)
            buffer[n + 3] = UInt8(0x80 | v & 0x3F)
            n += 4
        }
    }

    /// Trimmed of ASCII and ideographic blanks (not of punctuation).
    func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isBlank }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isBlank })!
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    package var isBlank: Bool {
        switch value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x3000, 0xA0, 0xFEFF, 0x2002...0x200D, 0x2060: return true
        default: return false
        }
    }
}
