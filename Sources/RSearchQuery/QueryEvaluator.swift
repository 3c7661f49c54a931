import RSearchText

/// The truth of a query for one section, decided on its text: the step that
/// makes every hit exact whatever FTS5 could or could not express.
public struct QueryEvaluator: Sendable {
    public let expression: QueryExpression?
    public let folding: Folding
    public let inHeading: Bool
    private let patterns: [String: [UInt32]]

    public init(expression: QueryExpression?, folding: Folding, inHeading: Bool) {
        self.expression = expression
        self.folding = folding
        self.inHeading = inHeading
        var patterns: [String: [UInt32]] = [:]
        func collect(_ e: QueryExpression) {
            switch e {
            case .term(let t): patterns[t] = folding.scalars(t)
            case .near(let a, let b, _): patterns[a] = folding.scalars(a); patterns[b] = folding.scalars(b)
            case .and(let xs), .or(let xs): xs.forEach(collect)
            case .not(let x): collect(x)
            }
        }
        if let expression { collect(expression) }
        self.patterns = patterns
    }

    /// Whether a section, given as its folded text and folded heading (bridged
    /// blanks marked: `Folding.textScalars`), matches.
    public func matches(text: [UInt32], heading: [UInt32]) -> Bool {
        guard let expression else { return true }
        return evaluate(expression, text: text, heading: heading)
    }

    private func evaluate(_ e: QueryExpression, text: [UInt32], heading: [UInt32]) -> Bool {
        switch e {
        case .term(let t):
            return Occurrences.contains(patterns[t]!, in: inHeading ? heading : text)
        case .and(let xs):
            return xs.allSatisfy { evaluate($0, text: text, heading: heading) }
        case .or(let xs):
            // Many terms (a pasted keyword list): one pass for them all.
            if xs.count > Occurrences.manyPatterns {
                var terms: [[UInt32]] = []
                for x in xs {
                    guard case .term(let t) = x else { return xs.contains { evaluate($0, text: text, heading: heading) } }
                    terms.append(patterns[t]!)
                }
                return Occurrences.containsAny(terms, in: inHeading ? heading : text)
            }
            return xs.contains { evaluate($0, text: text, heading: heading) }
        case .not(let x):
            return !evaluate(x, text: text, heading: heading)
        case .near(let a, let b, let distance):
            let haystack = inHeading ? heading : text
            let left = Occurrences.all(patterns[a]!, in: haystack)
            guard !left.isEmpty else { return false }
            let right = Occurrences.all(patterns[b]!, in: haystack)
            for l in left {
                for r in right where Occurrences.gap(l, r) <= distance { return true }
            }
            return false
        }
    }

    /// Every occurrence of every positive term in `text`, sorted.
    public func highlights(in text: [UInt32]) -> [Range<Int>] {
        guard let expression else { return [] }
        var ranges: [Range<Int>] = []
        let terms = Set(expression.positiveTerms)
        if terms.count > Occurrences.manyPatterns {
            ranges = Occurrences.all(of: terms.map { patterns[$0]! }, in: text)
        } else {
            for t in terms {
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
    /// (`all(of:in:)`) rather than once for each: a keyword list of 200
    /// terms highlighted in a long section was most of its search (perf).
    static let manyPatterns = 8

    /// Every occurrence of each of `patterns` (each pattern's as `all`
    /// finds them; a pattern given twice, twice), in one pass over `text`
    /// that tries at each position only the patterns beginning with its
    /// character.
    static func all(of patterns: [[UInt32]], in text: [UInt32]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        scan(patterns, in: text) { result.append($0); return true }
        return result
    }

    /// Whether any of `patterns` occurs in `text`, in one pass.
    static func containsAny(_ patterns: [[UInt32]], in text: [UInt32]) -> Bool {
        var found = false
        scan(patterns, in: text) { _ in found = true; return false }
        return found
    }

    /// Calls `visit` with each occurrence of each pattern, position by
    /// position, until it returns false.
    private static func scan(_ patterns: [[UInt32]], in text: [UInt32], _ visit: (Range<Int>) -> Bool) {
        var byHead: [UInt32: [Int]] = [:]
        var blankHeads: [Int] = []
        // A bit per head character's low 12 bits: most positions are passed
        // over without hashing their character.
        var heads = [UInt64](repeating: 0, count: 64)
        func mark(_ c: UInt32) { heads[Int(c >> 6 & 63)] |= 1 << (c & 63) }
        for (n, p) in patterns.enumerated() where !p.isEmpty {
            byHead[p[0], default: []].append(n)
            mark(p[0])
            if SpacedLetters.isBlank(p[0]) {
                blankHeads.append(n)
                mark(SpacedLetters.bridge)
            }
        }
        let n = text.count
        for i in text.indices {
            let c = text[i]
            guard heads[Int(c >> 6 & 63)] & (1 << (c & 63)) != 0 else { continue }
            let starting = c == SpacedLetters.bridge ? blankHeads : byHead[c]
            guard let starting else { continue }
            for k in starting where n - i >= patterns[k].count {
                if let end = end(of: patterns[k], in: text, at: i), !visit(i..<end) { return }
            }
        }
    }

    /// Where an occurrence of `pattern` that begins at `i` (whose first
    /// character matched) ends, or nil.
    @inline(__always)
    private static func end(of pattern: [UInt32], in text: [UInt32], at i: Int) -> Int? {
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
