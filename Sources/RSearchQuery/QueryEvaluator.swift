import RSearchText

/// The truth of a query for one section, decided on its text: the step that
/// makes every hit exact whatever FTS5 could or could not express.
public struct QueryEvaluator: Sendable {
    public let expression: QueryExpression?
    public let folding: Folding
    public let inHeading: Bool
    private let patterns: [String: [UInt32]]
    /// The expression with its terms folded, and each OR of many terms (a
    /// pasted keyword list) made a `PatternSet` once, not for each section.
    private let node: Node?
    /// The positive terms, as one `PatternSet` when there are many of them.
    private let positive: (terms: [String], many: Occurrences.PatternSet?)

    private indirect enum Node: Sendable {
        case term([UInt32])
        case anyOf(Occurrences.PatternSet)
        case and([Node])
        case or([Node])
        case not(Node)
        case near([UInt32], [UInt32], Int)
    }

    public init(expression: QueryExpression?, folding: Folding, inHeading: Bool) {
        self.expression = expression
        self.folding = folding
        self.inHeading = inHeading
        var patterns: [String: [UInt32]] = [:]
        func pattern(_ t: String) -> [UInt32] {
            if let known = patterns[t] { return known }
            let p = folding.scalars(t)
            patterns[t] = p
            return p
        }
        func compile(_ e: QueryExpression) -> Node {
            switch e {
            case .term(let t): return .term(pattern(t))
            case .near(let a, let b, let distance): return .near(pattern(a), pattern(b), distance)
            case .and(let xs): return .and(xs.map(compile))
            case .or(let xs):
                let terms = xs.compactMap { x -> String? in if case .term(let t) = x { t } else { nil } }
                if xs.count > Occurrences.manyPatterns, terms.count == xs.count {
                    return .anyOf(Occurrences.PatternSet(terms.map(pattern)))
                }
                return .or(xs.map(compile))
            case .not(let x): return .not(compile(x))
            }
        }
        node = expression.map(compile)
        self.patterns = patterns
        let terms = Array(Set(expression?.positiveTerms ?? []))
        positive = (terms, terms.count > Occurrences.manyPatterns
            ? Occurrences.PatternSet(terms.map { patterns[$0]! }) : nil)
    }

    /// Whether a section, given as its folded text and folded heading (bridged
    /// blanks marked: `Folding.textScalars`), matches.
    public func matches(text: [UInt32], heading: [UInt32]) -> Bool {
        guard let node else { return true }
        return evaluate(node, inHeading ? heading : text)
    }

    private func evaluate(_ node: Node, _ haystack: [UInt32]) -> Bool {
        switch node {
        case .term(let p):
            return Occurrences.contains(p, in: haystack)
        case .anyOf(let set):
            return set.containsAny(in: haystack)
        case .and(let xs):
            return xs.allSatisfy { evaluate($0, haystack) }
        case .or(let xs):
            return xs.contains { evaluate($0, haystack) }
        case .not(let x):
            return !evaluate(x, haystack)
        case .near(let a, let b, let distance):
            let left = Occurrences.all(a, in: haystack)
            guard !left.isEmpty else { return false }
            let right = Occurrences.all(b, in: haystack)
            for l in left {
                for r in right where Occurrences.gap(l, r) <= distance { return true }
            }
            return false
        }
    }

    /// Every occurrence of every positive term in `text`, sorted.
    public func highlights(in text: [UInt32]) -> [Range<Int>] {
        guard expression != nil else { return [] }
        var ranges: [Range<Int>] = []
        if let many = positive.many {
            ranges = many.all(in: text)
        } else {
            for t in positive.terms {
                ranges += Occurrences.all(patterns[t]!, in: text)
            }
        }
        return ranges.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
    }
}

enum Occurrences {
    /// Characters between two occurrences; 0 when they touch or overlap.
    static func gap(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        max(0, b.lowerBound - a.upperBound, a.lowerBound - b.upperBound)
    }

    static func contains(_ pattern: [UInt32], in text: [UInt32]) -> Bool {
        first(pattern, in: text, from: 0) != nil
    }

    /// All occurrences, overlapping ones included (`哈哈` twice in `哈哈哈`).
    static func all(_ pattern: [UInt32], in text: [UInt32]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var from = 0
        while let r = first(pattern, in: text, from: from) {
            result.append(r)
            from = r.lowerBound + 1
        }
        return result
    }

    /// Past this many patterns, text is searched for them all in one pass
    /// (`PatternSet`) rather than once for each: a keyword list of 200
    /// terms highlighted in a long section was most of its search (perf).
    static let manyPatterns = 8

    /// Patterns searched for together, in one pass over a text that tries
    /// at each position only the patterns beginning with its character.
    struct PatternSet: Sendable {
        let patterns: [[UInt32]]
        private var byHead: [UInt32: [Int]] = [:]
        private var blankHeads: [Int] = []
        /// A bit per head character's low 12 bits: most positions are passed
        /// over without hashing their character.
        private var heads = [UInt64](repeating: 0, count: 64)

        init(_ patterns: [[UInt32]]) {
            self.patterns = patterns
            for (n, p) in patterns.enumerated() where !p.isEmpty {
                byHead[p[0], default: []].append(n)
                mark(p[0])
                if SpacedLetters.isBlank(p[0]) {
                    blankHeads.append(n)
                    mark(SpacedLetters.bridge)
                }
            }
        }

        private mutating func mark(_ c: UInt32) { heads[Int(c >> 6 & 63)] |= 1 << (c & 63) }

        /// Every occurrence of each pattern (each pattern's as
        /// `Occurrences.all` finds them; a pattern given twice, twice).
        func all(in text: [UInt32]) -> [Range<Int>] {
            var result: [Range<Int>] = []
            scan(text) { result.append($0); return true }
            return result
        }

        /// Whether any of the patterns occurs in `text`.
        func containsAny(in text: [UInt32]) -> Bool {
            var found = false
            scan(text) { _ in found = true; return false }
            return found
        }

        /// Calls `visit` with each occurrence of each pattern, position by
        /// position, until it returns false.
        private func scan(_ text: [UInt32], _ visit: (Range<Int>) -> Bool) {
            let n = text.count
            for i in text.indices {
                let c = text[i]
                guard heads[Int(c >> 6 & 63)] & (1 << (c & 63)) != 0 else { continue }
                guard let starting = c == SpacedLetters.bridge ? blankHeads : byHead[c] else { continue }
                for k in starting where n - i >= patterns[k].count {
                    if let end = Occurrences.end(of: patterns[k], in: text, at: i), !visit(i..<end) { return }
                }
            }
        }
    }

    /// Where an occurrence of `pattern` that begins at `i` (whose first
    /// character matched) ends, or nil.
    @inline(__always)
    fileprivate static func end(of pattern: [UInt32], in text: [UInt32], at i: Int) -> Int? {
        let m = pattern.count
        var k = 1
        var j = i + 1
        while k < m && j < text.count {
            let t = text[j]
            if t == pattern[k] {
                k += 1
            } else if t == SpacedLetters.bridge {
                // A blank of the pattern takes it; any other character is further on.
                if SpacedLetters.isBlank(pattern[k]) { k += 1 }
            } else {
                break
            }
            j += 1
        }
        return k == m ? j : nil
    }

    /// The first occurrence at or after `from`. A bridged blank of the text
    /// (`SpacedLetters.bridge`) matches a blank of the pattern or is passed
    /// over, so `总则` and `总 则` both occur in `总 则`; an occurrence spans
    /// the blanks it passed over.
    static func first(_ pattern: [UInt32], in text: [UInt32], from: Int) -> Range<Int>? {
        let m = pattern.count
        let n = text.count
        guard m > 0, n - from >= m else { return nil }
        let head = pattern[0]
        let headIsBlank = SpacedLetters.isBlank(head)
        var i = from
        let last = n - m
        while i <= last {
            if text[i] == head || (headIsBlank && text[i] == SpacedLetters.bridge),
               let j = end(of: pattern, in: text, at: i) {
                return i..<j
            }
            i += 1
        }
        return nil
    }
}
