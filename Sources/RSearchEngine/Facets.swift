import RSearchDocuments
import RSearchQuery

/// How the sections a query matches are spread over the reports' years,
/// kinds and units: what a results page offers as filters with counts.
/// Every matching section counts once, copies of a passage included, so
/// the counts of a facet add up to the search's `total` (a section of a
/// report with no year, kind or unit is counted under none of its values).
public struct Facets: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public var value: String
        public var sections: Int
        /// Reports with at least one of the sections.
        public var reports: Int

        public init(value: String, sections: Int, reports: Int) {
            self.value = value
            self.sections = sections
            self.reports = reports
        }
    }

    /// Matching sections, as `SearchResult.total` counts them.
    public var total: Int
    /// Reports holding a matching section.
    public var reports: Int
    /// By year, oldest first (a histogram's order).
    public var years: [Count]
    /// By kind and by unit, most sections first, then by value.
    public var kinds: [Count]
    public var units: [Count]

    /// Counted from the reports of the matching sections, each with how
    /// many of them it holds.
    init(reports: [(report: ReportInfo, sections: Int)], total: Int) {
        func counts(_ value: (ReportMetadata) -> String?) -> [Count] {
            var byValue: [String: Count] = [:]
            for (report, sections) in reports {
                guard let key = value(report.metadata), !key.isEmpty else { continue }
                byValue[key, default: Count(value: key, sections: 0, reports: 0)].sections += sections
                byValue[key]!.reports += 1
            }
            return Array(byValue.values)
        }
        self.total = total
        self.reports = reports.count
        years = counts { $0.year.map(String.init) }.sorted { Int($0.value)! < Int($1.value)! }
        let largestFirst: (Count, Count) -> Bool = { ($0.sections, $1.value) > ($1.sections, $0.value) }
        kinds = counts(\.kind).sorted(by: largestFirst)
        units = counts(\.unit).sorted(by: largestFirst)
    }
}
