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
package struct PagedText: Sendable {
    /// One paragraph (or heading) per line.
    package var lines: [String]
    /// The 1-based page each line starts on.
    package var pages: [Int]
    /// Where each page begins, as an offset into the text's non-blank
    /// characters (`compact`), in order: a paragraph that crosses a page
    /// break holds two pages, and a section that starts in the middle of
    /// one (a point, `三是…`) is on the second.
    package var pageStarts: [(offset: Int, page: Int)] = []

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

    /// The text's characters without blanks and line breaks.
    static func compact(_ text: some Sequence<Unicode.Scalar>) -> [Unicode.Scalar] {
        text.filter { !$0.isBlank }
    }

    /// The page each of `sections` (the document's, in order) starts on:
    /// where its first characters are found in the text, each looked for
    /// after the one before; a section not found (never expected) gets the
    /// page of its line.
    package func pages(of sections: [Section]) -> [Int?] {
        let text = Self.compact(lines.joined(separator: "\n").unicodeScalars)
        var cursor = 0
        return sections.map { section in
            let own = Self.compact(section.text.unicodeScalars)
            let probe = own.prefix(12)
            guard !probe.isEmpty, let found = Self.find(probe, in: text, from: cursor) else { return page(ofLine: section.line) }
            cursor = found + max(own.count - probe.count, 1)
            if cursor > text.count { cursor = found + 1 }
            return page(atOffset: found)
        }
    }

    static func find(_ probe: ArraySlice<Unicode.Scalar>, in text: [Unicode.Scalar], from start: Int) -> Int? {
        guard let first = probe.first, start <= text.count - probe.count else { return nil }
        var i = start
        let last = text.count - probe.count
        while i <= last {
            if text[i] == first && text[i..<i + probe.count].elementsEqual(probe) { return i }
            i += 1
        }
        return nil
    }

    func page(atOffset offset: Int) -> Int? {
        var low = 0, high = pageStarts.count
        while low < high {
            let mid = (low + high) / 2
            if pageStarts[mid].offset <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? pageStarts.first?.page : pageStarts[low - 1].page
    }

    /// `layouts[i]` is page `i + 1`; a nil page (one that could not be read)
    /// adds nothing but keeps the numbering.
    init(_ layouts: [PageLayout?]) {
        let body = Self.removingFurniture(layouts)
        var lines: [String] = []
        var pages: [Int] = []
        // The text column's edges, over the whole document: the third line
        // from each side (of sixty lines or more; the outermost of fewer),
        // so that one stray wide line (a table, a seal) does not move them,
        // and a page with a line or two is measured by the others.
        let all = body.flatMap { $0?.lines ?? [] }
        let k = all.isEmpty ? -1 : max(1, min(3, all.count / 20)) - 1
        let left = k < 0 ? 0 : all.map(\.xMin).sorted()[k]
        let right = k < 0 ? 0 : all.map(\.xMax).sorted(by: >)[k]
        var previous: (line: PageLayout.Line, right: Double)?
        var compactLength = 0
        var starts: [(offset: Int, page: Int)] = []
        for (index, page) in body.enumerated() {
            guard let page, !page.lines.isEmpty else { continue }
            for (n, line) in page.lines.enumerated() {
                let text = line.text.trimmingBlanks()
                guard !text.isEmpty else { continue }
                if starts.last?.page != index + 1 { starts.append((compactLength, index + 1)) }
                compactLength += text.unicodeScalars.count { !$0.isBlank }
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
        pageStarts = starts
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
