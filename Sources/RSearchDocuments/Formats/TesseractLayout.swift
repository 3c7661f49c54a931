/// A page recognised by tesseract, from its TSV output: one row per page,
/// block, paragraph, line and word (levels 1 to 5), with boxes in pixels.
enum TesseractLayout {
    static func page(fromTSV tsv: String) -> PageLayout {
        var page = PageLayout(width: 0, height: 0, lines: [])
        var words: [String] = []
        func flush() {
            guard !page.lines.isEmpty else { return }
            page.lines[page.lines.count - 1].text = PageLayout.join(words: words)
            words = []
        }
        for row in tsv.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            let columns = row.split(separator: "\t", maxSplits: 11, omittingEmptySubsequences: false)
            guard columns.count >= 11, let level = Int(columns[0]),
                  let left = Double(columns[6]), let top = Double(columns[7]),
                  let width = Double(columns[8]), let height = Double(columns[9]) else { continue }
            switch level {
            case 1:
                page.width = width
                page.height = height
            case 4:
                flush()
                page.lines.append(PageLayout.Line(text: "", xMin: left, yMin: top, xMax: left + width, yMax: top + height))
            case 5:
                if columns.count == 12 { words.append(String(columns[11])) }
            default:
                break
            }
        }
        flush()
        page.lines.removeAll { $0.text.isEmpty }
        return page
    }
}
