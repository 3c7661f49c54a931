import CLibXML2
import Foundation

/// A saved web page (.html, .htm) as Markdown: the page's main text, its
/// paragraphs as lines, `<h1>`–`<h6>` as `#` headings, but for the page's
/// first `<h1>`, which is its title: a plain first line, as a report's
/// title is, not a heading every section would sit under.
///
/// Parsed by libxml2's HTML parser (`htmlReadMemory`, the tolerant parser of
/// real-world HTML on every Linux machine), not by patterns over the text.
/// The charset is decided first, as browsers decide it (`charset(of:)`), and
/// the page handed to libxml2 as UTF-8.
///
/// What is not the document goes: `script`, `style`, `noscript`, `template`,
/// forms and frames; `nav`, `header`, `footer`, `aside` and elements whose
/// `id` or `class` names navigation, a breadcrumb, a share bar, a footer or a
/// sidebar; then lines that are mostly link text (menus, lists of related
/// articles) and the lines of a site's frame (`版权所有`, `ICP备`, `网站标识码`,
/// `当前位置`, `分享到`, `打印本页` …). Where the page marks its article
/// (`<article>`, `<main>`, an element whose `id` or `class` names the
/// content, the usual `#zoom` or `.TRS_Editor` of government sites), only that
/// is read, after the page's own `<h1>`.
enum HTMLDocument {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Contents {
        var markdown: String
        /// `<title>`, without the site name a separator appends.
        var title: String?
        /// `<meta name="author">`.
        var author: String?
        /// How the page was decoded.
        var encoding: TextDecoding.Encoding
    }

    static func read(_ data: Data) throws -> Contents {
        let (text, encoding) = try decode(data)
        var utf8 = Array(text.utf8)
        if utf8.isEmpty { throw Failure(description: "empty page") }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOIMPLIED.rawValue)
        guard let document = utf8.withUnsafeMutableBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }) else { throw Failure(description: "not HTML libxml2 can read") }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw Failure(description: "an HTML page without elements") }
        var reader = Reader()
        let article = reader.findArticle(root)
        if let article {
            if let h1 = reader.first("h1", in: root), !reader.contains(article, h1) { reader.walk(h1) }
            reader.walk(article)
        } else {
            reader.walk(root)
        }
        reader.endBlock()
        var lines = reader.lines.filter { !isFrameLine($0.text) && !$0.mostlyLinks }.map(\.text)
        while lines.first?.isEmpty == true { lines.removeFirst() }
        if let first = lines.first, first.hasPrefix("# ") { lines[0] = String(first.dropFirst(2)) }
        return Contents(markdown: lines.joined(separator: "\n"), title: reader.title.map(cleanTitle),
                        author: reader.author, encoding: encoding)
    }

    // MARK: Decoding

    /// The page's text: by its byte-order mark, else the charset its
    /// `<meta charset>` or `<meta http-equiv="Content-Type">` names in its
    /// first 4 KB, else as a text file is (`TextDecoding.decode`).
    static func decode(_ data: Data) throws -> (String, TextDecoding.Encoding) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) || data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            let decoded = try TextDecoding.decode(data)
            return (decoded.text, decoded.encoding)
        }
        if let named = charset(of: data) {
            let encoding: TextDecoding.Encoding?
            switch named {
            case "utf-8", "utf8": encoding = .utf8
            case "gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "euc-cn", "cp936", "hz-gb-2312": encoding = .gb18030
            case "big5", "big5-hkscs", "x-x-big5", "cn-big5": encoding = .big5
            default: encoding = nil
            }
            if let encoding, let text = TextDecoding.decode(data[...], as: encoding) { return (text, encoding) }
        }
        let decoded = try TextDecoding.decode(data)
        return (decoded.text, decoded.encoding)
    }

    /// The charset a page's first 4 KB declare, lowercased: the `charset=`
    /// of a `<meta>` tag (HTML's prescan, simplified: the first `<meta …>`
    /// that names one).
    static func charset(of data: Data) -> String? {
        let head = String(decoding: data.prefix(4096).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        var rest = Substring(head)
        while let meta = rest.range(of: "<meta") {
            let tagEnd = rest[meta.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[meta.upperBound..<tagEnd]
            if let c = tag.range(of: "charset") {
                var value = tag[c.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
                value = value.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
                if !value.isEmpty { return String(value) }
            }
            rest = rest[tagEnd...]
        }
        return nil
    }

    // MARK: Text

    struct Line {
        var text: String
        var mostlyLinks: Bool
    }

    /// Walks the tree, gathering block text into lines.
    struct Reader {
        var lines: [Line] = []
        var title: String?
        var author: String?
        private var current = ""
        private var linkCharacters = 0
        private var heading: Int?
        private var inLink = 0

        static let skipped: Set<String> = [
            "script", "style", "noscript", "template", "form", "button", "select", "textarea", "iframe", "frame",
            "frameset", "object", "embed", "svg", "canvas", "nav", "header", "footer", "aside", "menu",
        ]
        static let blocks: Set<String> = [
            "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead", "section",
            "article", "main", "blockquote", "pre", "center", "h1", "h2", "h3", "h4", "h5", "h6", "body", "br", "hr",
            "address", "figure", "figcaption", "caption",
        ]
        /// Words in an `id` or `class` that mark the site's frame.
        static let frameWords = ["nav", "menu", "breadcrumb", "crumb", "position", "location", "share", "footer", "foot",
                                 "copyright", "sidebar", "side", "toolbar", "login", "banner", "header", "topbar", "search",
                                 "related", "recommend", "ad-", "advert"]
        /// Words in an `id` or `class` that mark the article.
        static let contentWords = ["zoom", "trs_editor", "article", "content", "main-text", "maintext", "text-content",
                                   "detail", "pages_content", "con_text"]

        static func name(_ node: UnsafeMutablePointer<xmlNode>) -> String {
            node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
        }

        static func attribute(_ node: UnsafeMutablePointer<xmlNode>, _ name: String) -> String? {
            guard let value = xmlGetProp(node, name) else { return nil }
            defer { rsearch_xml_free(value) }
            return String(cString: value)
        }

        static func marks(_ node: UnsafeMutablePointer<xmlNode>) -> String {
            ((attribute(node, "id") ?? "") + " " + (attribute(node, "class") ?? "")).lowercased()
        }

        static func isFrame(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
            let marks = marks(node)
            guard !marks.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
            let tokens = marks.split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).map(String.init)
            return frameWords.contains { word in
                let w = word.hasSuffix("-") ? String(word.dropLast()) : word
                return tokens.contains(w) || (w.count >= 5 && marks.contains(w))
            }
        }

        func elements(_ node: UnsafeMutablePointer<xmlNode>) -> [UnsafeMutablePointer<xmlNode>] {
            var found: [UnsafeMutablePointer<xmlNode>] = []
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE { found.append(c) }
                child = c.pointee.next
            }
            return found
        }

        func first(_ tag: String, in node: UnsafeMutablePointer<xmlNode>) -> UnsafeMutablePointer<xmlNode>? {
            for child in elements(node) {
                if Self.name(child) == tag { return child }
                if Self.skipped.contains(Self.name(child)) { continue }
                if let found = first(tag, in: child) { return found }
            }
            return nil
        }

        func contains(_ ancestor: UnsafeMutablePointer<xmlNode>, _ node: UnsafeMutablePointer<xmlNode>) -> Bool {
            var n: UnsafeMutablePointer<xmlNode>? = node
            while let current = n {
                if current == ancestor { return true }
                n = current.pointee.parent
            }
            return false
        }

        /// The element that holds the article, if the page marks one: the
        /// `<article>` or `<main>`, or the element whose `id`/`class` names
        /// the content, with the most text.
        mutating func findArticle(_ root: UnsafeMutablePointer<xmlNode>) -> UnsafeMutablePointer<xmlNode>? {
            readHead(root)
            var best: (node: UnsafeMutablePointer<xmlNode>, length: Int)?
            func visit(_ node: UnsafeMutablePointer<xmlNode>) {
                for child in elements(node) {
                    let name = Self.name(child)
                    if Self.skipped.contains(name) || name == "head" { continue }
                    let marks = Self.marks(child)
                    if name == "article" || name == "main" || Self.contentWords.contains(where: { marks.contains($0) }) {
                        let length = textLength(child)
                        if length >= 50, length > best?.length ?? 0 { best = (child, length) }
                    }
                    visit(child)
                }
            }
            visit(root)
            return best?.node
        }

        func textLength(_ node: UnsafeMutablePointer<xmlNode>) -> Int {
            guard let content = xmlNodeGetContent(node) else { return 0 }
            defer { rsearch_xml_free(content) }
            return String(cString: content).unicodeScalars.count { !$0.isBlank }
        }

        /// `<title>` and `<meta name="author">`.
        mutating func readHead(_ root: UnsafeMutablePointer<xmlNode>) {
            func visit(_ node: UnsafeMutablePointer<xmlNode>) {
                for child in elements(node) {
                    switch Self.name(child) {
                    case "title" where title == nil:
                        if let content = xmlNodeGetContent(child) {
                            title = String(cString: content).trimmingBlanks()
                            rsearch_xml_free(content)
                        }
                    case "meta":
                        if Self.attribute(child, "name")?.lowercased() == "author",
                           let value = Self.attribute(child, "content")?.trimmingBlanks(), !value.isEmpty {
                            author = value
                        }
                    case "body":
                        continue
                    default:
                        visit(child)
                    }
                }
            }
            visit(root)
        }

        mutating func walk(_ node: UnsafeMutablePointer<xmlNode>) {
            var child = node.pointee.children
            while let c = child {
                defer { child = c.pointee.next }
                switch c.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    guard let content = c.pointee.content else { continue }
                    let text = Self.collapse(String(cString: content))
                    current += text
                    if inLink > 0 { linkCharacters += text.unicodeScalars.count { !$0.isBlank } }
                case XML_ELEMENT_NODE:
                    let name = Self.name(c)
                    if Self.skipped.contains(name) || name == "head" || Self.isFrame(c) { continue }
                    let block = Self.blocks.contains(name)
                    if block { endBlock() }
                    if name.count == 2, name.hasPrefix("h"), let level = Int(name.dropFirst()), (1...6).contains(level) {
                        heading = level
                    }
                    if name == "a" { inLink += 1 }
                    walk(c)
                    if name == "a" { inLink -= 1 }
                    if block { endBlock() }
                default:
                    continue
                }
            }
        }

        /// Ends the line being gathered (a heading as a `#` line).
        mutating func endBlock() {
            let text = current.trimmingBlanks()
            if !text.isEmpty {
                let characters = text.unicodeScalars.count { !$0.isBlank }
                let linked = linkCharacters * 2 > characters
                if let level = heading {
                    lines.append(Line(text: String(repeating: "#", count: level) + " " + text, mostlyLinks: linked))
                } else {
                    lines.append(Line(text: text, mostlyLinks: linked))
                }
            }
            current = ""
            linkCharacters = 0
            heading = nil
        }

        /// HTML whitespace collapsed to one space (line breaks in the source are not text).
        static func collapse(_ s: String) -> String {
            var out = String.UnicodeScalarView()
            var blank = false
            for c in s.unicodeScalars {
                if c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" {
                    if !blank { out.append(" ") }
                    blank = true
                } else {
                    out.append(c)
                    blank = false
                }
            }
            return String(out)
        }
    }

    /// A line of the site's frame, not of the document.
    static func isFrameLine(_ line: String) -> Bool {
        let t = line.replacingOccurrences(of: " ", with: "")
        let frame = ["版权所有", "Copyright", "copyright", "©", "ICP备", "ICP证", "公网安备", "网站标识码", "主办单位", "承办单位",
                     "技术支持", "网站地图", "联系我们", "当前位置", "您的位置", "你的位置", "您现在的位置", "分享到", "打印本页",
                     "关闭窗口", "【打印】", "【关闭】", "字体：", "字号：", "【字体", "浏览次数", "访问量", "扫一扫", "微信扫一扫"]
        return frame.contains { t.contains($0) } && t.count <= 120
    }

    /// `关于…的通知_中国政府网` → `关于…的通知`: the part before the site
    /// name that a `_`, `|`, ` - ` or `—` appends.
    static func cleanTitle(_ title: String) -> String {
        for separator in ["_", "|", " - ", "－", "——"] {
            if let range = title.range(of: separator, options: .backwards) {
                let head = String(title[..<range.lowerBound]).trimmingBlanks()
                if head.count >= 4 { return head }
            }
        }
        return title
    }
}
