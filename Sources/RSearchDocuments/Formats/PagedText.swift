import Foundation
import RSearchText

/// The text of laid-out pages as a reader sees it: one line per paragraph,
/// each with the page it starts on, without what the layout added.
///
/// - Page furniture goes: a page-number line (`- 3 -`, `— 3 —`, `第 3 页`,
///   `第3页 共12页`, `3/12`, a bare number) at the top or bottom of a page,
///   and a running header or footer: a line at the top or bottom that
///   recurs (digits aside) on at least half the pages, and on two at least.
/// - Lines are rejoined into paragraphs by their boxes: a line that reaches
///   the right edge of the text goes on in the next line when that one is
///   not indented, is set in the same size and follows without a paragraph's
///   spacing; so too from the last line of a page to the first of the next,
///   so that a sentence cut by a page break is one line again.
///
/// A PDF made from a text file with one paragraph per line thus gives back
/// that file's lines, and its sections and metadata come out as the file's.
package struct PagedText: Sendable, Equatable {
    /// One paragraph (or heading) per line.
    package var lines: [String]
    /// The 1-based page each line starts on.
    package var pages: [Int]

    package var text: String { lines.joined(separator: "\n") }

    /// The page of a 1-based line of `text` (the last page for a line beyond it).
    package func page(ofLine line: Int) -> Int? {
        guard !pages.isEmpty else { return nil }
        return pages[min(max(line - 1, 0), pages.count - 1)]
    }

    init(lines: [String], pages: [Int]) {
        self.lines = lines
        self.pages = pages
    }

    /// `layouts[i]` is page `i + 1`; a nil page (one that could not be read)
    /// adds nothing but keeps the numbering.
    init(_ layouts: [PageLayout?]) {
        let body = Self.removingFurniture(layouts)
        var lines: [String] = []
        var pages: [Int] = []
        var previous: (line: PageLayout.Line, right: Double)?
        for (index, page) in body.enumerated() {
            guard let page, !page.lines.isEmpty else { continue }
            let left = page.lines.map(\.xMin).min()!
            let right = page.lines.map(\.xMax).max()!
            for (n, line) in page.lines.enumerated() {
                let text = line.text.trimmingBlanks()
                guard !text.isEmpty else { continue }
                if let (before, edge) = previous, !lines.isEmpty,
                   Self.continues(before, edge: edge, into: line, left: left, samePage: n > 0) {
                    if let a = lines[lines.count - 1].unicodeScalars.last, let b = text.unicodeScalars.first,
                       PageLayout.spaced(a, b) && a != "-" {
                        lines[lines.count - 1] += " "
                    }
                    lines[lines.count - 1] += text
                } else {
                    lines.append(text)
                    pages.append(index + 1)
                }
                previous = (line, right)
            }
        }
        self.init(lines: lines, pages: pages)
    }

    /// Whether `line`, which reaches (or not) the right edge `edge` of its
    /// page's text, goes on in `next`.
    static func continues(_ line: PageLayout.Line, edge: Double, into next: PageLayout.Line, left: Double,
                          samePage: Bool) -> Bool {
        let size = line.height
        guard line.xMax >= edge - 1.5 * size else { return false }  // ends short: the paragraph ends
        guard next.xMin <= left + 0.6 * next.height else { return false }  // indented: a new paragraph
        guard abs(next.height - size) <= 0.25 * size else { return false }  // another size: a heading
        if samePage {
            let gap = next.yMin - line.yMax
            guard gap >= -0.5 * size, gap < 0.9 * size else { return false }  // spaced: a new paragraph
        }
        return true
    }

    /// The pages without their page-number lines and running headers and footers.
    static func removingFurniture(_ layouts: [PageLayout?]) -> [PageLayout?] {
        // The outermost two lines at each end of a page, within its outer
        // sixth: where furniture stands.
        func margins(_ page: PageLayout) -> Set<Int> {
            var found = Set<Int>()
            let byTop = page.lines.indices.sorted { page.lines[$0].yMin < page.lines[$1].yMin }
            for i in byTop.prefix(2) where page.lines[i].yMax <= page.height / 6 { found.insert(i) }
            for i in byTop.suffix(2) where page.lines[i].yMin >= page.height * 5 / 6 { found.insert(i) }
            return found
        }
        let marginLines = layouts.map { $0.map(margins) ?? [] }
        var pagesWithKey: [String: Set<Int>] = [:]
        for (p, page) in layouts.enumerated() {
            guard let page else { continue }
            for i in marginLines[p] { pagesWithKey[runningKey(page.lines[i].text), default: []].insert(p) }
        }
        let textPages = layouts.filter { !($0?.lines.isEmpty ?? true) }.count
        let running = Set(pagesWithKey.filter { key, pages in
            !key.isEmpty && pages.count >= 2 && pages.count * 2 >= textPages
        }.keys)
        return layouts.enumerated().map { p, page in
            guard var page else { return nil }
            let drop = marginLines[p].filter { i in
                isPageNumber(page.lines[i].text) || running.contains(runningKey(page.lines[i].text))
            }
            page.lines = page.lines.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            return page
        }
    }

    /// A line's text with blanks removed and every run of digits as `#`:
    /// a running header that carries the page number or a date is one key.
    static func runningKey(_ text: String) -> String {
        var key = ""
        var inDigits = false
        for c in text.unicodeScalars where !c.isBlank {
            let digit = ("0"..."9").contains(c) || ("０"..."９").contains(c)
            if digit { if !inDigits { key += "#" } } else { key.unicodeScalars.append(c) }
            inDigits = digit
        }
        return key
    }

    /// `- 3 -`, `— 3 —`, `－3－`, `第 3 页`, `第3页 共12页`, `第3页/共12页`, `3/12`,
    /// `Page 3`, `3`, `iv`: a line that is only a page number.
    static func isPageNumber(_ text: String) -> Bool {
        var s = ""
        for c in text.unicodeScalars where !c.isBlank {
            switch c.value {
            case 0xFF10...0xFF19: s.unicodeScalars.append(Unicode.Scalar(c.value - 0xFF10 + 0x30)!)
            case 0xFF0F: s += "/"
            default: s.unicodeScalars.append(c)
            }
        }
        guard !s.isEmpty, s.count <= 16 else { return false }
        let dashes: Set<Character> = ["-", "—", "–", "－", "─", "·", "•"]
        var core = Substring(s)
        while let first = core.first, dashes.contains(first) { core = core.dropFirst() }
        while let last = core.last, dashes.contains(last) { core = core.dropLast() }
        func number(_ t: Substring) -> Bool { !t.isEmpty && t.count <= 4 && t.allSatisfy(\.isASCIIDigit) }
        if number(core) { return true }
        if let slash = core.firstIndex(of: "/"), number(core[..<slash]), number(core[core.index(after: slash)...]) { return true }
        let lower = core.lowercased()
        if lower.hasPrefix("page"), number(Substring(lower.dropFirst(4))) { return true }
        if lower.count <= 4, lower.allSatisfy({ "ivxlc".contains($0) }), !lower.isEmpty, core == core.lowercased() { return true }
        // 第3页, 第3页共12页, 第3页/共12页, 共12页第3页
        var rest = Substring(core)
        var matched = false
        while !rest.isEmpty {
            if rest.hasPrefix("/") || rest.hasPrefix("，") || rest.hasPrefix(",") { rest = rest.dropFirst(); continue }
            guard let head = rest.first, head == "第" || head == "共" else { return false }
            let digits = rest.dropFirst().prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, digits.count <= 4 else { return false }
            rest = rest.dropFirst(1 + digits.count)
            guard rest.first == "页" else { return false }
            rest = rest.dropFirst()
            matched = true
        }
        return matched
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
