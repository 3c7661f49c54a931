/// The judged query set (issue 18): what a reader of the shared corpora
/// expects to see first, for the ranking figure in BENCHMARKS.md
/// (`rsearch-bench --judge`).
///
/// How a hit is judged, from its section's own text and its report's file
/// name, never from rsearch's score (`Judging.grade`):
/// - 0: a heading, not a passage: the section's body (its text after the
///   heading line, whitespace removed) is empty or shorter than its
///   heading; or a repeat: its text, whitespace removed, is that of a hit
///   ranked above it;
/// - 2: a passage in a report the query names: for a law's name, a file of
///   that law (`行政处罚法(2021-01-22).txt` for `行政处罚法`); for a topic,
///   a report whose title holds the topic;
/// - 1: any other passage (it holds the query: every hit does).
///
/// A law's name is also judged by `-l`: whether the first report listed is
/// a file of that law.
///
/// `heldOut` queries are not looked at while tuning; the must-hold figures
/// are reported on them apart (every third query of each kind).
enum JudgedSet {
    enum Kind: String, CaseIterable {
        case topic = "topic words"
        case law = "law names"
        case phrase = "phrases"
        case short = "one and two characters"
        case filtered = "with filters"
    }

    struct Query {
        let text: String
        let kind: Kind
        /// File names (before the version date) of the reports it names.
        let named: [String]
        let heldOut: Bool
    }

    static let queries: [Query] = {
        var all: [Query] = []
        func add(_ kind: Kind, _ texts: [String], named: (String) -> [String] = { _ in [] }) {
            for (n, text) in texts.enumerated() {
                all.append(Query(text: text, kind: kind, named: named(text), heldOut: n % 3 == 2))
            }
        }
        add(.topic, ["科技创新", "营商环境", "行政处罚", "就业", "民生", "安全生产", "乡村振兴", "生态环境", "意识形态",
                     "党风廉政", "医疗保障", "社会保险", "食品安全", "知识产权", "数字经济", "基层党建", "对外开放",
                     "养老服务", "粮食安全", "污染防治", "高质量发展", "共同富裕", "疫情防控", "网络安全"])
        add(.law, ["行政处罚法", "治安管理处罚法", "社会保险法", "人民调解法", "出境入境管理法", "人民法院组织法",
                   "刑法", "劳动合同法", "安全生产法", "食品安全法", "网络安全法", "环境保护法", "个人所得税法",
                   "道路交通安全法", "行政许可法", "著作权法", "商标法", "专利法", "数据安全法", "个人信息保护法",
                   "教育法", "传染病防治法", "消防法", "土地管理法", "优化营商环境条例", "劳动法", "刑事诉讼法",
                   "行政诉讼法", "预算法", "国家安全法", "反食品浪费法", "长江保护法", "乡村振兴促进法", "法官法",
                   "律师法", "公务员法", "宪法", "反家庭暴力法"], named: { [$0] })
        add(.phrase, ["坚持以人民为中心的发展思想", "全面从严治党", "放管服", "两个确立", "人民群众获得感",
                      "推进国家治理体系和治理能力现代化"])
        add(.short, ["党", "法", "税", "经济", "安全", "教育"])
        add(.filtered, ["就业 year:2024", "乡村振兴 title:政府工作报告", "营商环境 title:条例", "民生 year:2020..2022",
                        "改革 title:述职报告", "安全生产 title:条例"])
        return all
    }()
}
