import Foundation

/// The pages of `pdftotext -bbox-layout` output: poppler's XHTML of pages,
/// flows, blocks, lines and words with their boxes, in poppler's reading
/// order, and the info dictionary's title (the XHTML's `<title>`). Read with
/// `XMLEvents` after poppler's fixed document type line, which that reader
/// refuses on principle.
enum PopplerLayout {
    static func read(_ data: Data) throws -> (pages: [PageLayout], title: String) {
        let start = data.range(of: Data("<html".utf8)).map(\.lowerBound) ?? data.startIndex
        var pages: [PageLayout] = []
        var line: PageLayout.Line?
        var words: [String] = []
        var inWord = false
        var word = ""
        var inTitle = false
        var title = ""
        func number(_ attributes: [String: String], _ key: String) -> Double { attributes[key].flatMap(Double.init) ?? 0 }
        try XMLEvents.scan(data[start...]) { event in
            switch event {
            case .start("page", let a):
                pages.append(PageLayout(width: number(a, "width"), height: number(a, "height"), lines: []))
            case .start("line", let a):
                line = PageLayout.Line(text: "", xMin: number(a, "xMin"), yMin: number(a, "yMin"),
                                       xMax: number(a, "xMax"), yMax: number(a, "yMax"))
                words = []
            case .start("word", _):
                inWord = true
                word = ""
            case .start("title", _):
                inTitle = true
            case .end("title"):
                inTitle = false
            case .text(let s):
                if inWord { word += s } else if inTitle { title += s }
            case .end("word"):
                inWord = false
                words.append(word)
            case .end("line"):
                if var finished = line, !pages.isEmpty {
                    finished.text = PageLayout.join(words: words)
                    pages[pages.count - 1].lines.append(finished)
                }
                line = nil
            default:
                break
            }
        }
        return (pages, title)
    }
}
