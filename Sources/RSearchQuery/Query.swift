
/// A parsed query: a boolean expression over terms, and filters on the
/// report's metadata.
public struct Query: Equatable, Sendable {
    public var expression: QueryExpression?
    public var filters: Filters

    public init(expression: QueryExpression?, filters: Filters = Filters()) {
        self.expression = expression
        self.filters = filters
    }
}

public indirect enum QueryExpression: Equatable, Sendable {
    /// The text must occur in the section, as an exact substring of its
    /// normalised text.
    case term(String)
    case and([QueryExpression])
    case or([QueryExpression])
    case not(QueryExpression)
    /// Both texts occur with at most `distance` characters between them.
    case near(String, String, distance: Int)

    /// The terms whose occurrences are highlighted: every term not under a NOT.
    public var positiveTerms: [String] {
        switch self {
        case .term(let t): return [t]
        case .and(let xs), .or(let xs): return xs.flatMap(\.positiveTerms)
        case .not: return []
        case .near(let a, let b, _): return [a, b]
        }
    }
}

/// Conditions on the report, matched as substrings of the normalised
/// metadata (`kind:报告` matches 述职报告 and 政府工作报告).
public struct Filters: Equatable, Sendable {
    public var years: ClosedRange<Int>?
    /// The years a law's first version may fall in (`ReportMetadata.enacted`).
    public var enacted: ClosedRange<Int>?
    public var kind: [String] = []
    public var title: [String] = []
    public var author: [String] = []
    public var unit: [String] = []
    /// Every term must occur in the section's heading.
    public var inHeading = false

    public init(years: ClosedRange<Int>? = nil, enacted: ClosedRange<Int>? = nil, kind: [String] = [],
                title: [String] = [], author: [String] = [], unit: [String] = [], inHeading: Bool = false) {
        self.years = years
        self.enacted = enacted
        self.kind = kind
        self.title = title
        self.author = author
        self.unit = unit
        self.inHeading = inHeading
    }

    public var isEmpty: Bool {
        years == nil && enacted == nil && kind.isEmpty && title.isEmpty && author.isEmpty && unit.isEmpty && !inHeading
    }
}

extension Filters {
    /// Adds the filters of `other` (given as options) to these (from the
    /// query text): a year range replaces, the others add conditions.
    public mutating func merge(_ other: Filters) {
        if let y = other.years { years = y }
        if let y = other.enacted { enacted = y }
        kind += other.kind
        title += other.title
        author += other.author
        unit += other.unit
        inHeading = inHeading || other.inHeading
    }
}
