import Testing
@testable import RSearchDocuments

/// Page furniture and line joining on laid-out pages, without poppler.
@Suite struct PagedTextTests {
    @Test func pageNumberLines() {
        for line in ["- 3 -", "— 3 —", "－3－", "－ ３ －", "第 3 页", "第3页 共12页", "第3页/共12页", "共12页 第3页", "3/12", "3",
                     "12", "Page 7", "iv", "· 5 ·"] {
            #expect(PagedText.isPageNumber(line), "\(line)")
        }
        for line in ["2022年", "第一章 总则", "一、主要工作", "3 项", "第3条", "第3页内容", "12345", "2/3的代表", "附件1", "civil"] {
            #expect(!PagedText.isPageNumber(line), "\(line)")
        }
    }

    static func line(_ text: String, y: Double, x: Double = 72, width: Double? = nil, size: Double = 16) -> PageLayout.Line {
        PageLayout.Line(text: text, xMin: x, yMin: y, xMax: x + (width ?? Double(text.count) * size), yMax: y + size)
    }

    /// A page of 842 × 595 with a header, full lines and a footer.
    static func page(_ body: [PageLayout.Line], header: String? = "某某市人民政府办公室文件", number: Int) -> PageLayout {
        var lines: [PageLayout.Line] = []
        if let header { lines.append(line(header, y: 40, x: 200, size: 10)) }
        lines += body
        lines.append(line("- \(number) -", y: 790, x: 280, size: 10))
        return PageLayout(width: 595, height: 842, lines: lines)
    }

    @Test func furnitureGoesAndASentenceCutByAPageBreakIsOneLine() {
        let full = 451.0  // 72 + 451 = 523: the right edge
        let pages = [
            Self.page([Self.line("关于加强基层党建工作的报告", y: 120, x: 180),
                       Self.line("　　今年以来，我们坚持以习近平新时代中国特色社会主义思", y: 160, x: 104, width: full - 32),
                       Self.line("想为指导，全面落实党的建设总要求，推动各项工作取得新成", y: 184, width: full)], number: 1),
            Self.page([Self.line("效。", y: 120, width: 32),
                       Self.line("一、主要工作", y: 150)], number: 2),
            Self.page([Self.line("（一）强化思想引领。", y: 120, width: 160)], number: 3),
        ]
        let text = PagedText(pages)
        #expect(text.lines == [
            "关于加强基层党建工作的报告",
            "今年以来，我们坚持以习近平新时代中国特色社会主义思想为指导，全面落实党的建设总要求，推动各项工作取得新成效。",
            "一、主要工作",
            "（一）强化思想引领。",
        ])
        #expect(text.pages == [1, 1, 2, 3])
    }

    @Test func anIndentedOrSpacedLineStartsAParagraph() {
        let a = Self.line("第一段的最后一行写满了整个版心的宽度而且没有句号结尾的情况", y: 100, width: 451)
        let indented = Self.line("第二段开头缩进两个字", y: 124, x: 104)
        let spaced = Self.line("第三段与上一段隔开一行", y: 180)
        #expect(PagedText([PageLayout(width: 595, height: 842, lines: [a, indented])]).lines.count == 2)
        #expect(PagedText([PageLayout(width: 595, height: 842, lines: [a, spaced])]).lines.count == 2)
        let goesOn = Self.line("紧接着的下一行", y: 124)
        #expect(PagedText([PageLayout(width: 595, height: 842, lines: [a, goesOn])]).lines.count == 1)
    }

    /// A header that appears on one page only is text (a title), not furniture.
    @Test func aLineOnOnePageIsNotARunningHeader() {
        let pages = [Self.page([Self.line("正文第一页", y: 120)], header: "只在第一页的标题", number: 1),
                     Self.page([Self.line("正文第二页", y: 120)], header: nil, number: 2),
                     Self.page([Self.line("正文第三页", y: 120)], header: nil, number: 3)]
        #expect(PagedText(pages).lines == ["只在第一页的标题", "正文第一页", "正文第二页", "正文第三页"])
    }

    @Test func spacesBetweenHanAreLayout() {
        #expect(PageLayout.join(words: ["2022", "年", "6", "月，区委"]) == "2022年6月，区委")
        #expect(PageLayout.join(words: ["中 华 人 民", "共和国"]) == "中华人民共和国")
        #expect(PageLayout.join(words: ["Windows", "10", "系统"]) == "Windows 10系统")
        #expect(PageLayout.join(words: ["Hello,", "world"]) == "Hello, world")
        #expect(PageLayout.join(words: ["**", "*和工业"]) == "***和工业")
    }

    @Test func garbageIsAPageToRecognise() {
        let garbage = PageLayout(width: 595, height: 842, lines: [Self.line("\u{FFFD}\u{FFFD}\u{E001}\u{E002}ab\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}", y: 100)])
        #expect(PDFReader.isGarbage(garbage) && PDFReader.lacksText(garbage))
        let cid = PageLayout(width: 595, height: 842, lines: [Self.line("(cid:123)(cid:456)(cid:789)", y: 100)])
        #expect(PDFReader.isGarbage(cid))
        let text = PageLayout(width: 595, height: 842, lines: [Self.line("今年以来，我们坚持以习近平新时代中国特色社会主义思想为指导", y: 100)])
        #expect(!PDFReader.lacksText(text))
        #expect(PDFReader.usableTitle("Microsoft Word - 关于印发某某办法的通知.doc") == "关于印发某某办法的通知")
        #expect(PDFReader.usableTitle("untitled") == nil)
    }
}
