import Foundation
import RSearchText

/// Infers a report's metadata from its first lines, its last lines and its
/// file name. Front matter, when present, overrides every inferred field.
struct MetadataExtractor {
    /// How many non-empty lines at the top may hold the title and the byline.
    static let headerLines = 30

    /// Genres, longest first so that 政府工作报告 wins over 工作报告 and 报告.
    static let kinds: [String] = [
        "政府工作报告", "述职述廉报告", "述职述责述廉报告", "述职报告", "工作总结", "工作报告", "工作要点", "工作计划",
        "实施方案", "实施意见", "实施细则", "管理办法", "讲话稿", "讲话", "致辞", "决议", "决定", "通知", "通告", "公告",
        "意见", "办法", "条例", "规定", "细则", "规则", "方案", "规划", "纲要", "批复", "函", "报告", "总结", "法",
        "法典", "修正案", "解释", "标准", "章程", "准则", "守则", "规程", "纪要", "指引", "指南", "答复", "解答", "安排", "命令", "令",
    ].sorted { $0.count > $1.count }

    /// Salutations that open a speech: never a title.
    static let salutations: [String] = ["同志们", "各位代表", "各位委员", "同志们、朋友们", "女士们、先生们"]

    /// What a law's history line says was done on its date (`1991年9月4日
    /// …通过`, `…修正`, `…令第8号发布`); `施行` alone is when it took effect.
    static let historyVerbs: [String] = ["通过", "修正", "修订", "修改", "公布", "发布", "批准", "颁布", "制定", "决定"]

    static let roles: [String] = [
        "副总理", "总理", "副省长", "省长", "副市长", "市长", "副主席", "主席", "副书记", "书记", "区长", "县长", "州长",
        "盟长", "旗长", "部长", "局长", "厅长", "处长", "主任", "委员长", "院长", "镇长", "乡长", "社长", "董事长", "总经理",
    ]

    static let clutterPrefixes: [String] = [
        "您的位置", "你的位置", "当前位置", "来源", "时间：", "时间:", "发布时间", "发表时间", "发布日期", "阅读量", "阅读",
        "【字体", "字体", "分享", "打印", "关闭", "原文链接", "【法宝引证码】", "浏览次数", "作者：", "编辑：", "责任编辑",
    ]

    var fileName: String
    /// A title the file's format states (a PDF's info title): after the
    /// text's own, before the file name.
    var fallbackTitle: String?
    /// An author the format states (OFD's DocInfo, HTML's `<meta name="author">`).
    var fallbackAuthor: String?

    /// `## 标题` → `标题`: a Markdown heading's text.
    static func withoutMarkdownHashes(_ text: String) -> String {
        let hashes = text.prefix { $0 == "#" }
        guard !hashes.isEmpty, hashes.count <= 6, text.dropFirst(hashes.count).first == " " else { return text }
        return String(text.dropFirst(hashes.count)).trimmingBlanks()
    }

    func extract(lines: [SourceLine], frontMatter: [String: String]) -> ReportMetadata {
        let header = headerCandidates(lines)
        let titleLine = findTitle(header)
        var title = titleLine.map { Self.withoutMarkdownHashes($0.text) } ?? fallbackTitle ?? fileStem
        title = title.collapsingBlanks()

        var metadata = ReportMetadata(title: title)
        metadata.kind = kind(of: title) ?? bylineKind(header) ?? speechKind(lines)
        let history = historyLines(header)
        // A law's date is its version's: the date its file is named with
        // (lawrefbook's `(2024-04-26)`, which the collector states even where
        // the text's history stops short), else the last of its history, not
        // the enactment.
        metadata.date = versionInFileName ?? history.last?.date ?? findDate(header: header, lines: lines)
        metadata.enacted = history.first?.date
        metadata.year = yearIn(title) ?? metadata.date.flatMap { Int($0.prefix(4)) } ?? yearIn(fileName)
        metadata.author = findAuthor(header) ?? spacedName(header) ?? roleInTitle(title) ?? speakerInTitle(title)
            ?? fallbackAuthor
        metadata.unit = findUnit(header, title: title, kind: metadata.kind)
            ?? history.reversed().lazy.compactMap { self.issuer(of: $0.text) }.first

        // Front matter states; inference only guesses.
        for (key, value) in frontMatter {
            let v = value.trimmingBlanks()
            switch key.lowercased() {
            case "title", "标题": metadata.title = v
            case "year", "年份", "年度": metadata.year = Int(v) ?? yearIn(v)
            case "date", "日期": metadata.date = parseDate(v) ?? v
            case "kind", "类型", "文种": metadata.kind = v
            case "author", "作者", "报告人": metadata.author = v
            case "unit", "单位", "部门": metadata.unit = v
            case "enacted", "通过日期", "颁布日期": metadata.enacted = parseDate(v) ?? v
            default: break
            }
        }
        if frontMatter["kind"] == nil, frontMatter["类型"] == nil, frontMatter["文种"] == nil,
           frontMatter["title"] != nil || frontMatter["标题"] != nil {
            metadata.kind = kind(of: metadata.title) ?? metadata.kind
        }
        if metadata.year == nil, let date = metadata.date { metadata.year = Int(date.prefix(4)) }
        return metadata
    }

    /// The file name without its extension and without a leading `2022_` or
    /// `nd_` that corpus tools prefix for sorting.
    var fileStem: String {
        var stem = nameWithoutExtension
        let parts = stem.split(separator: "_", maxSplits: 1)
        if parts.count == 2, parts[0].count <= 6, parts[0].allSatisfy({ $0.isASCII }) { stem = String(parts[1]) }
        // A version's date that lawrefbook appends: 民法典(2020-05-28).
        if let dated = bracketedDate(at: stem), dated.open != stem.startIndex { stem = String(stem[..<dated.open]) }
        return stem.replacingOccurrences(of: "_", with: " ").trimmingBlanks()
    }

    /// The file name without its extension.
    var nameWithoutExtension: String {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return fileName }
        return String(fileName[..<dot])
    }

    /// The date in brackets at the end of the file name, written
    /// `yyyy-mm-dd`: `民法典(2020-05-28).txt`.
    var versionInFileName: String? {
        guard let dated = bracketedDate(at: nameWithoutExtension), dated.written.count == 10 else { return nil }
        return dated.date
    }

    /// A date in brackets at the end of `stem`: the date, as written, and
    /// where its bracket opens.
    func bracketedDate(at stem: String) -> (date: String, written: String, open: String.Index)? {
        guard stem.last == ")" || stem.last == "）", let open = stem.lastIndex(where: { $0 == "(" || $0 == "（" }) else {
            return nil
        }
        let written = String(stem[stem.index(after: open)...].dropLast())
        return parseDate(written, anchored: true).map { ($0, written, open) }
    }

    /// 报告 for a speech that says it is one in its opening lines (`我代表…向大会作报告`).
    func speechKind(_ lines: [SourceLine]) -> String? {
        var seen = 0
        for line in lines {
            let text = String(scalars: line.scalars)
            guard text.contains(where: { !$0.isWhitespace }) else { continue }
            if text.contains("作报告") { return "报告" }
            seen += 1
            if seen >= 12 { break }
        }
        return nil
    }

    struct HeaderLine {
        var index: Int
        var text: String
    }

    /// The non-empty lines at the top, up to the first heading.
    func headerCandidates(_ lines: [SourceLine]) -> [HeaderLine] {
        var result: [HeaderLine] = []
        for (i, line) in lines.enumerated() {
            let text = String(scalars: line.scalars).trimmingBlanks()
            if text.isEmpty { continue }
            if HeadingRecognizer.match(text.unicodeScalars.map { $0 }[...], markdown: false) != nil { break }
            // The salutation (各位代表：) or the first paragraph ends the header.
            if text.hasSuffix("：") && text.unicodeScalars.count <= 12 && !isClutter(text) { break }
            if text.contains("。") && text.unicodeScalars.count > 40 { break }
            result.append(HeaderLine(index: i, text: text))
            if result.count >= Self.headerLines { break }
        }
        return result
    }

    func isClutter(_ text: String) -> Bool {
        if text.unicodeScalars.count <= 2 { return true }
        if Self.clutterPrefixes.contains(where: { text.hasPrefix($0) }) { return true }
        if text.hasPrefix("http") || text.hasPrefix("】") || text == "首页" { return true }
        // A timestamp such as 2026-02-03 09:02:33 or 2026年02月10日 07时41分.
        if let first = text.unicodeScalars.first, ChineseNumerals.isASCIIDigit(first),
           text.contains(":") || text.contains("时") || text.contains("-") { return true }
        return false
    }

    func findTitle(_ header: [HeaderLine]) -> HeaderLine? {
        let candidates = header.filter { !isClutter($0.text) }
        func plausible(_ t: String) -> Bool {
            let n = t.unicodeScalars.count
            return n <= 80 && !t.hasSuffix("。") && !t.hasSuffix("：") && !t.hasSuffix(":") && !t.hasPrefix("——")
                && !t.hasPrefix("（") && !t.hasPrefix("(") && !t.hasSuffix("！") && !t.hasSuffix("!")
                && !Self.salutations.contains { t.hasPrefix($0) }
        }
        for t in candidates.prefix(12) where plausible(t.text) {
            if kind(of: t.text) != nil {
                // A book of a code, on the line below the code's title: 中华人民共和国民法典 / 人格权编.
                if let next = header.first(where: { $0.index > t.index }), next.text.hasSuffix("编"),
                   next.text.unicodeScalars.count <= 12, !next.text.contains("。") {
                    return HeaderLine(index: t.index, text: t.text + " " + next.text)
                }
                return t
            }
            // A title broken by a stray line break (政府工作报 / 告).
            if let next = header.first(where: { $0.index == t.index + 1 }), next.text.unicodeScalars.count <= 3 {
                let joined = HeaderLine(index: t.index, text: t.text + next.text)
                if kind(of: joined.text) != nil { return joined }
            }
        }
        // Without a genre word, only the very first line can be taken for a
        // title, and only if it reads like one.
        if let t = candidates.first, plausible(t.text), t.text.unicodeScalars.count <= 40, !t.text.contains("。"),
           !t.text.contains("，") {
            // A title on two lines, above its byline: 决胜全面建成小康社会 / 夺取新时代… / ——在…上的报告.
            if candidates.count >= 3, candidates[2].text.hasPrefix("——"), plausible(candidates[1].text),
               candidates[1].index == t.index + 1 || candidates[1].index == t.index + 2,
               candidates[1].text.unicodeScalars.count <= 40, !candidates[1].text.contains("，") {
                return HeaderLine(index: t.index, text: t.text + " " + candidates[1].text)
            }
            return t
        }
        return nil
    }

    /// The genre a `——在…上的报告` byline names, for a title that names none.
    func bylineKind(_ header: [HeaderLine]) -> String? {
        header.prefix(6).first { $0.text.hasPrefix("——") }.flatMap { kind(of: $0.text) }
    }

    /// A law's history: the header lines that begin with a date and say what
    /// was done on it (`historyVerbs`), in the file's order (oldest first).
    func historyLines(_ header: [HeaderLine]) -> [(date: String, text: String)] {
        var result: [(date: String, text: String)] = []
        for line in header {
            var t = Substring(line.text)
            while let f = t.first, "（(".contains(f) { t = t.dropFirst() }
            guard let date = parseDate(String(t), anchored: true),
                  Self.historyVerbs.contains(where: { t.contains($0) }) else { continue }
            result.append((date, String(t)))
        }
        return result
    }

    /// The body a history line names as acting: `…全国人民代表大会常务委员会第二十一次会议通过`,
    /// `中华人民共和国交通部令第8号发布`, `经国务院批准`, `最高人民检察院第十三届检察委员会…`.
    func issuer(of line: String) -> String? {
        var t = Substring(line)
        // The date first.
        if let nian = t.firstIndex(of: "日") { t = t[t.index(after: nian)...] }
        t = Substring(String(t).trimmingBlanks())
        while let f = t.first, "（(，,".contains(f) { t = t.dropFirst() }
        if let ling = t.range(of: "令第") {
            let body = String(t[..<ling.lowerBound]).trimmingBlanks()
            return body.isEmpty ? nil : body
        }
        if t.hasPrefix("经"), let approved = t.range(of: "批准") {
            let body = String(t[t.index(after: t.startIndex)..<approved.lowerBound]).trimmingBlanks()
            return body.isEmpty ? nil : body
        }
        // `X第N届Y第M次会议`: X and Y, the term dropped.
        let scalars = Array(t.unicodeScalars)
        func ordinal(at i: Int, ending: Unicode.Scalar) -> Int? {
            guard i < scalars.count, scalars[i] == "第" else { return nil }
            var j = i + 1
            while j < scalars.count, ChineseNumerals.isCountingNumeral(scalars[j]) || ChineseNumerals.isASCIIDigit(scalars[j]) { j += 1 }
            return j > i + 1 && j < scalars.count && scalars[j] == ending ? j + 1 : nil
        }
        for i in scalars.indices {
            guard let afterTerm = ordinal(at: i, ending: "届") else { continue }
            var k = afterTerm
            while k < scalars.count, ordinal(at: k, ending: "次") == nil,
                  !(scalars[k] == "会" && k + 1 < scalars.count && scalars[k + 1] == "议") { k += 1 }
            let body = String(scalars: scalars[..<i]) + String(scalars: scalars[afterTerm..<k])
            let unit = body.trimmingBlanks()
            return unit.isEmpty ? nil : unit
        }
        return nil
    }

    func kind(of title: String) -> String? {
        // Folded, so that 總結 and 報告 are 总结 and 报告.
        var t = Substring(Folding.index.string(title).trimmingBlanks())
        // A number or date in brackets after the genre: 刑法修正案（十一）, …的解释(2019-01-31).
        if t.last == "）" || t.last == ")", let open = t.lastIndex(where: { $0 == "（" || $0 == "(" }),
           t.distance(from: open, to: t.endIndex) <= 14, open != t.startIndex {
            t = t[..<open]
            while let last = t.last, last.unicodeScalars.allSatisfy(\.isBlank) { t = t.dropLast() }
        }
        while let last = t.last, "》」』）)”\"".contains(last) { t = t.dropLast() }
        // A book of a code: 中华人民共和国民法典 人格权编.
        if let space = t.lastIndex(of: " "), t.hasSuffix("编"), t[..<space].hasSuffix("法典") { return "法典" }
        // 《…》 titles of a law inside a notice end with the notice's genre.
        return Self.kinds.first { t.hasSuffix($0) }
    }

    /// The year a text names: `2022年`, `二〇二二年`, or a leading `2022`.
    func yearIn(_ text: String) -> Int? {
        let s = Array(Folding.exact.string(text).unicodeScalars)
        var i = 0
        while i + 4 <= s.count {
            if let y = ChineseNumerals.year(s[i..<(i + 4)]),
               i + 4 == s.count || s[i + 4] == "年" || s[i + 4] == "_" || s[i + 4] == " " || s[i + 4] == "-",
               i == 0 || ChineseNumerals.digit(s[i - 1]) == nil {
                return y
            }
            i += 1
        }
        return nil
    }

    func findDate(header: [HeaderLine], lines: [SourceLine]) -> String? {
        // The byline: ——2024年3月5日在…, （2023年3月13日…通过）, 2026年2月3日在…;
        // it wins over a web page's publication time.
        for line in header {
            var t = Substring(line.text)
            let marked = t.hasPrefix("—") || t.hasPrefix("（") || t.hasPrefix("(")
            while let f = t.first, "—－-（(".contains(f) { t = t.dropFirst() }
            if let date = parseDate(String(t), anchored: true),
               marked || t.contains("会议") || t.contains("大会") || t.contains("通过") {
                return date
            }
        }
        // A labelled date: 时间：2026-02-09, or 发表时间： with the date on the next line.
        for (k, line) in header.enumerated()
        where line.text.hasPrefix("时间") || line.text.hasPrefix("发表时间") || line.text.hasPrefix("发布时间")
            || line.text.hasPrefix("日期") || line.text.hasPrefix("发布日期") {
            if let date = parseDate(line.text) { return date }
            if k + 1 < header.count, let date = parseDate(header[k + 1].text, anchored: true) { return date }
        }
        for line in header {
            if let date = parseDate(line.text, anchored: true) { return date }
        }
        // A date standing alone on a line, as under a signature: 二○一二年一月九日.
        // Every line of a long document is looked at: the test runs on its
        // scalars, and only a short line ending in 日 becomes a String.
        for line in lines {
            let s = line.scalars
            guard let last = s.lastIndex(where: { !$0.isBlank }), s[last] == "日",
                  let first = s.firstIndex(where: { !$0.isBlank }), last - first < 12,
                  let date = parseDate(String(String.UnicodeScalarView(s[first...last])), anchored: true)
            else { continue }
            return date
        }
        return nil
    }

    /// A date at the start of `text` (when `anchored`) or anywhere in it:
    /// `2024年3月5日`, `二○一二年一月九日`, `2026-02-09`.
    func parseDate(_ text: String, anchored: Bool = false) -> String? {
        let s = Array(Folding.exact.string(text).unicodeScalars)
        let starts = anchored ? [0] : Array(0..<max(0, s.count - 5))
        for i in starts where i + 4 <= s.count {
            guard let year = ChineseNumerals.year(s[i..<(i + 4)]) else { continue }
            if i > 0, ChineseNumerals.digit(s[i - 1]) != nil { continue }
            var j = i + 4
            guard j < s.count else { continue }
            let sep = s[j]
            guard sep == "年" || sep == "-" || sep == "." || sep == "/" else { continue }
            j += 1
            func number(until stop: (Unicode.Scalar) -> Bool) -> Int? {
                let from = j
                while j < s.count, !stop(s[j]), j - from < 3 { j += 1 }
                return ChineseNumerals.number(s[from..<j])
            }
            let isSep: (Unicode.Scalar) -> Bool = sep == "年" ? { $0 == "月" } : { $0 == sep }
            guard let month = number(until: isSep), j < s.count, isSep(s[j]), (1...12).contains(month) else { continue }
            j += 1
            let dayStop: (Unicode.Scalar) -> Bool = sep == "年" ? { $0 == "日" || $0 == "号" }
                : { !ChineseNumerals.isASCIIDigit($0) }
            guard let day = number(until: dayStop), (1...31).contains(day) else { continue }
            if sep == "年", !(j < s.count && dayStop(s[j])) { continue }
            return String(format4: year) + "-" + String(pad2: month) + "-" + String(pad2: day)
        }
        return nil
    }

    /// A byline naming the speaker: `国务院总理 李强`, `上海市市长 龚 正`, or a
    /// role alone on its line with the name on the next (`国务院总理` / `李　强`).
    func findAuthor(_ header: [HeaderLine]) -> String? {
        for (k, line) in header.enumerated() {
            let text = line.text.collapsingBlanks()
            guard text.unicodeScalars.count <= 30 else { continue }
            if let author = bylineAuthor(text) { return author }
            if Self.roles.contains(where: { text.hasSuffix($0) }), !text.contains(" "),
               text.unicodeScalars.count <= 15, k + 1 < header.count {
                let name = header[k + 1].text.collapsingBlanks()
                if isPersonName(name), header[k + 1].index == line.index + 1 || header[k + 1].index == line.index + 2 {
                    return text + " " + name
                }
            }
        }
        return nil
    }

    /// The speaker a speech's title names before 在: `陈独秀在中国共产党第三次全国代表大会上的报告`.
    func speakerInTitle(_ title: String) -> String? {
        let s = Array(title.unicodeScalars)
        guard let at = s.firstIndex(of: "在"), (2...4).contains(at), s[..<at].allSatisfy({ CharacterClass.isHan($0.value) }),
              title.contains("上的"), title.hasSuffix("报告") || title.hasSuffix("讲话") else { return nil }
        return String(scalars: s[..<at])
    }

    /// A name alone on a line with its letters spaced out, as a speech's
    /// byline prints it under the title (`习　近　平`): 2 to 4 Han characters,
    /// each followed by a blank but the last, among the first lines.
    func spacedName(_ header: [HeaderLine]) -> String? {
        for line in header.prefix(8) {
            let parts = line.text.unicodeScalars.split(whereSeparator: \.isBlank)
            guard (2...4).contains(parts.count), parts.allSatisfy({ $0.count == 1 && CharacterClass.isHan($0.first!.value) })
            else { continue }
            return line.text.collapsingBlanks()
        }
        return nil
    }

    private func bylineAuthor(_ text: String) -> String? {
        guard let space = text.firstIndex(of: " ") else { return nil }
        let role = text[..<space]
        let name = String(text[text.index(after: space)...])
        guard Self.roles.contains(where: { role.hasSuffix($0) }), isPersonName(name) else { return nil }
        return text
    }

    private func isPersonName(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.filter { $0 != " " }
        guard (1...12).contains(scalars.count), text.filter({ $0 == " " }).count <= 1 else { return false }
        return scalars.allSatisfy { CharacterClass.isHan($0.value) || $0 == "·" || $0 == "•" }
    }

    /// The role a title names before its year: 局机关党委书记2022年度… .
    func roleInTitle(_ title: String) -> String? {
        let s = Array(title.unicodeScalars)
        for i in 0..<s.count where i + 4 <= s.count {
            if ChineseNumerals.year(s[i..<(i + 4)]) != nil {
                let before = String(scalars: s[..<i]).trimmingBlanks()
                if !before.isEmpty, Self.roles.contains(where: { before.hasSuffix($0) }) { return before }
                return nil
            }
        }
        return nil
    }

    /// The issuing unit: a `单位：` line, the issuer of a `…关于…` title, or
    /// the government a 政府工作报告 is for.
    func findUnit(_ header: [HeaderLine], title: String, kind: String?) -> String? {
        for line in header where line.text.hasPrefix("单位") || line.text.hasPrefix("部门") {
            let value = line.text.drop { $0 != "：" && $0 != ":" }.dropFirst()
            let v = String(value).trimmingBlanks()
            if !v.isEmpty { return v }
        }
        if let about = title.range(of: "关于"), about.lowerBound != title.startIndex {
            let issuer = String(title[..<about.lowerBound]).trimmingBlanks()
            if issuer.count <= 30, yearIn(issuer) == nil { return issuer }
        }
        if kind == "政府工作报告" || kind == "工作报告" {
            var t = Substring(title)
            if let nian = t.firstIndex(of: "年"), t.distance(from: t.startIndex, to: nian) <= 5,
               yearIn(String(t[...nian])) != nil {
                t = t[t.index(after: nian)...]
            }
            if let k = kind, t.hasSuffix(k) { t = t.dropLast(k.count) }
            for suffix in ["人民政府", "人民", "政府"] where t.hasSuffix(suffix) { t = t.dropLast(suffix.count) }
            let unit = String(t).trimmingBlanks()
            if ["省", "市", "自治区", "区", "县", "州", "盟", "旗", "国务院"].contains(where: { unit.hasSuffix($0) }) {
                return unit
            }
        }
        return nil
    }
}

extension String {
    /// Runs of blanks (ideographic space included) become one ASCII space.
    func collapsingBlanks() -> String {
        var out = String.UnicodeScalarView()
        var blank = false
        for s in trimmingBlanks().unicodeScalars {
            if s.isBlank {
                blank = true
            } else {
                if blank { out.append(" ") }
                blank = false
                out.append(s)
            }
        }
        return String(out)
    }

    init(pad2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
    init(format4 value: Int) { self = String(value) }
}
