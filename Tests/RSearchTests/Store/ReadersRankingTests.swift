import Foundation
import GRDB
import Testing
@testable import RSearchText
@testable import RSearchDocuments
@testable import RSearchQuery
@testable import RSearchStore

/// What a reader sees first (issue 18): each passage once, with its copies
/// listed, and the report a query names first. Checked against the plain
/// truth: every section of the index read through the `section` view.
@Suite struct ReadersRankingTests {
    /// Two reports with one passage, written with different spaces and
    /// widths; a third with another passage; a fourth, of another year, with
    /// the first passage again.
    static func copies() throws -> Searcher {
        try Fixtures.smallIndex("rsearch-copies") { corpus in
            let passage = "一、主要工作\n全年新增就业岗位4%以上，城镇调查失业率控制在合理区间，就业形势总体稳定。\n"
            let spaced = "一、主要工作\n全年新增就业岗位４％以上， 城镇调查失业率控制在合理区间，　就业形势总体稳定。\n"
            try "2021年甲市政府工作报告\n\n\(passage)".write(to: corpus.appendingPathComponent("2021_甲.txt"), atomically: true, encoding: .utf8)
            try "2021年甲市政府工作报告（对照本）\n\n\(spaced)".write(to: corpus.appendingPathComponent("2021_甲_对照.txt"), atomically: true, encoding: .utf8)
            try "2021年乙市政府工作报告\n\n一、主要工作\n稳定就业是最大的民生，全年新增城镇就业三万人以上，帮扶困难群众就业。\n"
                .write(to: corpus.appendingPathComponent("2021_乙.txt"), atomically: true, encoding: .utf8)
            try "2019年甲市政府工作报告\n\n\(passage)".write(to: corpus.appendingPathComponent("2019_甲.txt"), atomically: true, encoding: .utf8)
        }
    }

    /// Every section whose text, folded as the index folds it and without
    /// whitespace, is that of the section at `path`:`line`, but that one.
    static func truthCopies(_ searcher: Searcher, of path: String, line: Int, years: ClosedRange<Int>? = nil) throws -> [SectionLocation] {
        let all = try searcher.index.queue.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT r.path, s.line, s.text, r.year FROM section s JOIN report r ON r.id = s.report_id")
        }
        func key(_ text: String) -> String {
            String(Folding.index.string(text).unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
        }
        let shown = try #require(all.first { $0[0] == path && $0[1] == line })
        return all.filter { row in
            (row[0] != path || row[1] != line) && key(row[2]) == key(shown[2])
                && years.map { ($0).contains(row[3] as Int? ?? -1) } ?? true
        }.map { SectionLocation(path: $0[0], line: $0[1]) }.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
    }

    @Test func aPassageInSeveralReportsIsOneHitListingTheOthers() throws {
        let searcher = try Self.copies()
        let result = try searcher.search("就业")
        #expect(result.total == 4, "total counts every matching section")
        #expect(result.hits.count == 2)
        let texts = result.hits.map { SectionDigest.key($0.section.text) }
        #expect(Set(texts).count == texts.count, "no two hits with one text")
        for hit in result.hits {
            #expect(hit.duplicates == (try Self.truthCopies(searcher, of: hit.report.path, line: hit.section.line)))
        }
        let copied = try #require(result.hits.first { !$0.duplicates.isEmpty })
        #expect(copied.duplicates.count == 2)
        // The newer report stands for the copies (equal scores go to the newer).
        #expect(copied.report.path.hasPrefix("2021_甲"))

        // `allCopies`: every section its own hit, none listing others, in the same order.
        var options = SearchOptions()
        options.allCopies = true
        let every = try searcher.search("就业", options: options)
        #expect(every.total == 4 && every.hits.count == 4 && every.hits.allSatisfy { $0.duplicates.isEmpty })
        // Collapsing that order by text gives the default hits.
        var seen = Set<[UInt32]>()
        let collapsed = every.hits.filter { seen.insert(SectionDigest.key($0.section.text)).inserted }
        #expect(collapsed.map(\.report.path) == result.hits.map(\.report.path))
        #expect(result.hits.map(\.rank) == [1, 2])

        // A filter's copies only: the 2019 report is not listed under year:2021.
        let filtered = try searcher.search("就业 year:2021")
        let shown = try #require(filtered.hits.first { !$0.duplicates.isEmpty })
        #expect(shown.duplicates == (try Self.truthCopies(searcher, of: shown.report.path, line: shown.section.line,
                                                          years: 2021...2021)))
        #expect(shown.duplicates.count == 1)
        // A query the copies do not all match lists none: only one text holds 民生.
        #expect(try searcher.search("民生").hits.allSatisfy { $0.duplicates.isEmpty })
    }

    /// Pages of collapsed hits are slices of one collapsed order, and no
    /// page repeats a text; on the shipped corpus and, where present, the
    /// shared corpora, whose aligned copies of national reports repeat
    /// hundreds of passages.
    @Test func pagesOfCollapsedHitsAreSlicesOfOneOrder() throws {
        var searchers = [try Fixtures.shippedSearcher()]
        if Fixtures.hasSharedCorpora {
            searchers.append(try Fixtures.smallIndex("rsearch-copies-shared") { corpus in
                for folder in ["gov_work_reports_national", "gov_work_reports_national_tmx_2008_2022"] {
                    try FileManager.default.copyItem(at: Fixtures.sharedCorpora.appendingPathComponent(folder),
                                                     to: corpus.appendingPathComponent(folder))
                }
            })
        } else {
            print("ReadersRankingTests: ../shared/corpora absent, the shared corpora's copies not checked")
        }
        for searcher in searchers {
            for query in ["坚持以人民为中心的发展思想", "就业", "党", "改革 开放"] {
                var all = SearchOptions(limit: nil)
                let whole = try searcher.search(query, options: all).hits
                all.allCopies = true
                let every = try searcher.search(query, options: all).hits
                var seen = Set<[UInt32]>()
                let collapsed = every.filter { seen.insert(SectionDigest.key($0.section.text)).inserted }
                #expect(whole.map(\.report.path) == collapsed.map(\.report.path), "\(query)")
                #expect(whole.map(\.section.line) == collapsed.map(\.section.line), "\(query)")
                #expect(whole.reduce(0) { $0 + 1 + $1.duplicates.count } == every.count, "\(query): every copy listed once")
                for offset in [0, 10, 20] {
                    let page = try searcher.search(query, options: SearchOptions(limit: 10, offset: offset)).hits
                    let slice = Array(whole.dropFirst(offset).prefix(10))
                    #expect(page.map(\.section.line) == slice.map(\.section.line), "\(query) offset \(offset)")
                    #expect(page.map(\.duplicates) == slice.map(\.duplicates), "\(query) offset \(offset)")
                    #expect(page.map(\.rank) == slice.map(\.rank), "\(query) offset \(offset)")
                }
            }
        }
    }

    /// A law's own file comes first for its name, though it holds the name
    /// only in its title line and the reports that cite it hold it often.
    static func laws() throws -> Searcher {
        try Fixtures.smallIndex("rsearch-named") { corpus in
            try "中华人民共和国测绘管理法\n\n第一章 总则\n\n第一条 为了加强测绘管理，制定本法。\n\n第二条 本法适用于测绘活动。\n"
                .write(to: corpus.appendingPathComponent("测绘管理法(2017-04-27).txt"), atomically: true, encoding: .utf8)
            for n in 0..<6 {
                try "某省测绘条例\(n)\n\n第一条 根据《中华人民共和国测绘管理法》，结合本省第\(n)区实际，制定本条例。测绘管理法规定的事项，依照测绘管理法执行。\n"
                    .write(to: corpus.appendingPathComponent("某省测绘条例\(n).txt"), atomically: true, encoding: .utf8)
            }
        }
    }

    @Test func theReportAQueryNamesComesFirst() throws {
        let searcher = try Self.laws()
        let law = "测绘管理法(2017-04-27).txt"
        // bm25 alone ranks the citing reports first.
        var plain = SearchOptions(limit: nil)
        plain.allCopies = true
        let result = try searcher.search("测绘管理法", options: plain)
        #expect(result.hits.first?.report.path == law)
        #expect(result.total == 7)
        let bm25First = try searcher.index.queue.read { db in
            try String.fetchOne(db, sql: """
                SELECT r.path FROM section_fts JOIN section s ON s.id = section_fts.rowid JOIN report r ON r.id = s.report_id
                WHERE section_fts MATCH ? ORDER BY \(Searcher.score), r.path LIMIT 1
                """, arguments: [MatchCompiler().compile(.term("测绘管理法")).fts!])
        }
        #expect(bm25First != law, "the test needs a named report that bm25 does not rank first")
        // The rest keep bm25's order, and nothing is lost or repeated.
        #expect(Set(result.hits.map(\.report.path)).count == 7 && result.hits.count == 7)
        #expect(result.hits.map(\.rank) == Array(1...7))
        for detail in [SearchOptions.HitDetail.reports, .counts] {
            let listed = try searcher.search("测绘管理法", options: SearchOptions(limit: nil, detail: detail)).hits
            #expect(listed.first?.report.path == law, "\(detail)")
            #expect(listed.count == 7)
            let page = try searcher.search("测绘管理法", options: SearchOptions(limit: 3, offset: 1, detail: detail)).hits
            #expect(page.map(\.report.path) == Array(listed.dropFirst(1).prefix(3)).map(\.report.path), "\(detail)")
        }
        let counts = try searcher.search("测绘管理法", options: SearchOptions(limit: nil, detail: .counts)).hits
        #expect(counts.first?.occurrences == 1 && counts.dropFirst().allSatisfy { $0.occurrences == 3 })
        // Pages are slices of the same order.
        let second = try searcher.search("测绘管理法", options: SearchOptions(limit: 2, offset: 2)).hits
        #expect(second.map(\.report.path) == Array(result.hits.dropFirst(2).prefix(2)).map(\.report.path))
        // Not named: a part of the title too small (测绘 is 2 of 7), another sort, a filter that leaves the law out.
        #expect(try searcher.search("测绘").hits.first?.report.path != law)
        #expect(try searcher.search("测绘管理法", options: SearchOptions(sort: .path)).hits.first?.report.path == "某省测绘条例0.txt")
        #expect(try searcher.search("测绘管理法 title:条例").hits.allSatisfy { $0.report.path != law })
    }

    /// A hit on a bare heading shows, after it, the first passage under it;
    /// the hit's text and matches stay the heading's own.
    @Test func aBareHeadingShowsThePassageUnderIt() throws {
        let searcher = try Fixtures.smallIndex("rsearch-heading-passage") { corpus in
            try "某市条例\n\n第一章 总则\n\n第一条 为了规范管理，制定本条例。\n\n第二章 附则\n\n第三章 罚则\n\n第九条 违反本条例的，依法处理。\n"
                .write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        }
        let hits = try searcher.search("则 in:heading", options: SearchOptions(limit: nil)).hits
        func hit(_ heading: String) throws -> Hit { try #require(hits.first { $0.section.heading == heading }) }
        let general = try hit("第一章 总则")
        #expect(general.snippet.text.hasPrefix("第一章 总则"))
        #expect(general.snippet.text.contains("第一条 为了规范管理"), "\(general.snippet.text)")
        #expect(general.section.text == "第一章 总则" && general.matches == [5..<6])
        // The next section with a body is not under 第二章: nothing is added.
        #expect(try hit("第二章 附则").snippet.text == "第二章 附则")
        #expect(try hit("第三章 罚则").snippet.text.contains("第九条 违反本条例的"))
        // A section with a body of its own shows only itself.
        let article = try #require(try searcher.search("违反本条例").hits.first)
        #expect(article.snippet.text == article.section.text)
    }

    /// The digest's whitespace is Unicode's, for every scalar.
    @Test func theDigestsWhitespaceIsUnicodes() {
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            #expect(SectionDigest.isWhitespace(v) == scalar.properties.isWhitespace, "U+\(String(v, radix: 16))")
        }
    }
}
