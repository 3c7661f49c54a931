import Foundation
import Testing
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// Saved web pages written by the test around shipped reports, the way
/// government sites frame them (a menu, a breadcrumb, a share bar, related
/// links, a footer with 版权所有 and an ICP number, scripts and styles), in
/// GB2312 and UTF-8: the report reads as its text file, and nothing of the
/// frame is text of a section.
@Suite struct WebPageTests {
    static let reports = [
        Fixtures.seedPath,
        "gov_work_reports_provincial_2026/2026_上海市_政府工作报告.txt",
        "gov_work_reports_national/2008_2008年中华人民共和国国务院政府工作报告.txt",
    ]

    /// Words of the frame; none occurs in the reports.
    static let frame = ["网站首页", "办事大厅", "互动交流", "当前位置", "分享到", "相关文章", "版权所有", "ICP备", "网站标识码",
                        "不是正文", "字体：大", "发布时间：2022", "打印本页", "请启用脚本"]

    /// The page: the report's title as `<h1>`, its top-level headings
    /// (一、…) as `<h2>`, every other line a `<p>`, inside `#zoom`, the frame around.
    static func page(_ text: String, title: String, charset: String, article: Bool = true) -> String {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.first == title { lines.removeFirst() }
        lines.insert(title, at: 0)
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        let numerals = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"]
        let body = lines.dropFirst().map { line in
            numerals.contains(where: { line.hasPrefix($0) }) ? "<h2>\(escaped(line))</h2>" : "<p>\(escaped(line))</p>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html><html><head>
            <meta http-equiv="Content-Type" content="text/html; charset=\(charset)">
            <title>\(escaped(lines[0]))_某某市人民政府门户网站</title>
            <meta name="author" content="某某市人民政府办公室">
            <script>document.write("<p>不是正文</p>");</script><style>p { margin: 0 }</style></head>
            <body><div class="header"><ul class="nav"><li><a href="/">网站首页</a></li><li><a href="/gk">信息公开</a></li>
            <li><a href="/fw">办事大厅</a></li><li><a href="/hd">互动交流</a></li></ul></div>
            <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/gk">信息公开</a> &gt; 工作报告</div>
            <div class="main">
            <h1>\(escaped(lines[0]))</h1>
            <div class="info">发布时间：2022-12-30 来源：办公室 【字体：大 中 小】 <a href="javascript:print()">打印本页</a></div>
            <div \(article ? #"id="zoom" class="TRS_Editor""# : "")>
            \(body)
            </div>
            <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
            <div class="related"><h3>相关文章</h3><ul><li><a href="/1">关于做好年度考核工作的通知</a></li>
            <li><a href="/2">市政府召开常务会议研究部署重点工作</a></li></ul></div>
            </div>
            <div class="footer"><p>版权所有：某某市人民政府办公室 主办单位：某某市人民政府</p>
            <p>京ICP备05070218号 网站标识码：1100000088 京公网安备 11010502030143号</p></div>
            <noscript>请启用脚本</noscript></body></html>
            """
    }

    struct Made {
        var index: IndexDatabase
        var summary: BuildSummary
    }

    /// Each report as GB2312 `.html`, UTF-8 `.htm`, and UTF-8 without a
    /// marked article (the frame told apart by its classes and link text alone).
    static let made: Result<Made, Error> = Result {
        let (root, corpus) = try Fixtures.emptyCorpus("rsearch-web")
        for (n, report) in reports.enumerated() {
            let text = try Fixtures.read(report)
            let title = try Fixtures.parse(report).metadata.title
            // Labelled gb2312, encoded as GBK: what such sites serve.
            try IngestionTests.encode(page(text, title: title, charset: "gb2312"), as: "GBK")
                .write(to: corpus.appendingPathComponent("gb-\(n).html"))
            try page(text, title: title, charset: "utf-8")
                .write(to: corpus.appendingPathComponent("utf8-\(n).htm"), atomically: true, encoding: .utf8)
            try page(text, title: title, charset: "utf-8", article: false)
                .write(to: corpus.appendingPathComponent("plain-\(n).html"), atomically: true, encoding: .utf8)
        }
        try Data([0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E, 0xFF, 0xFE, 0x00, 0x00]).write(to: corpus.appendingPathComponent("damaged.html"))
        try Data().write(to: corpus.appendingPathComponent("empty.htm"))
        let destination = root.appendingPathComponent("rsearch.sqlite")
        let summary = try IndexBuilder(corpus: Corpus(root: corpus), destination: destination).build()
        return Made(index: try IndexDatabase(path: destination), summary: summary)
    }

    static let kinds = ["gb-%d.html", "utf8-%d.htm", "plain-%d.html"]

    @Test func aPageReadsAsItsReport() throws {
        let made = try Self.made.get()
        let catalog = Catalog(index: made.index)
        for (n, report) in Self.reports.enumerated() {
            let truth = try Fixtures.parse(report)
            let topLevel = OfficeFormatsTests.topLevel(truth.sections.map(\.path))
            for kind in Self.kinds {
                let path = String(format: kind, n)
                let summary = try catalog.report(named: path)
                #expect(summary.metadata.title == truth.metadata.title, "\(path)")
                #expect(summary.metadata.year == truth.metadata.year, "\(path)")
                #expect(summary.metadata.kind == truth.metadata.kind, "\(path)")
                let found = OfficeFormatsTests.topLevel(try catalog.outline(of: summary).map(\.path))
                let shared = topLevel.filter(found.contains).count
                #expect(Double(shared) >= 0.9 * Double(topLevel.count), "\(path): \(found) against \(topLevel)")
                if path.hasPrefix("gb-") { #expect(summary.encoding == "html (GB18030)") }
            }
        }
    }

    @Test func noFrameTextIsPartOfASection() throws {
        let made = try Self.made.get()
        var sections = 0
        try Catalog(index: made.index).forEachSection { report, section, _ in
            sections += 1
            for word in Self.frame { #expect(!section.text.contains(word), "\(report.path):\(section.line) holds \(word)") }
        }
        #expect(sections > 50)
    }

    @Test func sampledPhrasesAreFound() throws {
        let made = try Self.made.get()
        let searcher = Searcher(index: made.index)
        var (generator, seed) = SeededGenerator.fromEnvironment(default: 22)
        let (sampled, missed) = try PhraseSampling.check(Self.reports, count: 80, in: searcher, using: &generator) { n, _ in
            Self.kinds.map { String(format: $0, n) }
        }
        print("web pages: \(sampled - missed.count) of \(sampled) sampled phrases found")
        #expect(Double(sampled - missed.count) >= 0.99 * Double(sampled), "seed \(seed): \(missed.prefix(10))")
    }

    @Test func damagedAndEmptyPagesAreNamed() throws {
        let made = try Self.made.get()
        let reasons = Dictionary(uniqueKeysWithValues: made.summary.skipped.map { ($0.path, $0.reason) })
        #expect(reasons["empty.htm"] == "empty file", "\(reasons)")
        #expect(reasons["damaged.html"] != nil, "\(reasons)")
        #expect(made.summary.reports == 3 * Self.reports.count)
    }

    @Test func theCharsetIsTheOneThePageDeclares() {
        #expect(HTMLDocument.charset(of: Data(#"<html><head><meta charset="GB2312"></head>"#.utf8)) == "gb2312")
        #expect(HTMLDocument.charset(of: Data(#"<meta http-equiv="Content-Type" content="text/html; charset=gbk" />"#.utf8)) == "gbk")
        #expect(HTMLDocument.charset(of: Data(#"<meta name="keywords" content="x"><meta charset='big5'>"#.utf8)) == "big5")
        #expect(HTMLDocument.charset(of: Data("<html><p>无声明</p>".utf8)) == nil)
        #expect(HTMLDocument.cleanTitle("关于印发某某办法的通知_中国政府网") == "关于印发某某办法的通知")
    }
}
