import RSearchText

/// Turns query terms into FTS5 MATCH expressions that narrow the candidates.
///
/// A term is folded and cut into runs of word characters (see
/// `BigramScanner`); each run becomes the tokens the index holds for it:
///
/// - a run of n ≥ 2 characters: its n − 1 bigrams;
/// - if the term goes on past the run (a separator follows it in the term),
///   also the unigram of its last character, which the index holds there
///   because the run ends there in any text the term matches;
/// - a run of one character that ends the term: the prefix query `"c"*`,
///   since in the text that character may begin a bigram;
/// - a run followed by a gap of blanks that a text may have bridged (`总 则`;
///   `SpacedLetters`): its last character as a prefix token, which takes the
///   unigram of an unbridged gap and the bigram across a bridged one.
///
/// The tokens, each quoted on its own, are joined with `+` into one phrase.
/// Separators produce no token, so they are left to the confirmation step.
///
/// A compiled expression is *exact* when the set of sections it matches is
/// exactly the set the query matches; otherwise it is a superset, and every
/// candidate is confirmed on its text (`QueryEvaluator`).
public struct CompiledTerm: Sendable {
    public var text: String
    /// The term as matched against folded text.
    public var scalars: [UInt32]
    /// nil when the term has no word character: FTS5 cannot narrow it.
    public var fts: String?
    public var exact: Bool
    /// The folded character when `fts` is the prefix query of that one
    /// character and nothing else.
    public var singleCharacter: UInt32?
}

public struct CompiledMatch: Sendable {
    /// nil: every section is a candidate.
    public var fts: String?
    public var exact: Bool
    /// `fts` is one phrase (one term): its bm25 needs no statistic beyond
    /// the rows it matches (`OnePassRanking`).
    public var onePhrase = false
    /// `fts` is the prefix query of this one character (in the headings
    /// only if `inHeading`): `CharacterRanking` may answer it.
    public var singleCharacter: UInt32?
    public var inHeading = false

    public init(fts: String?, exact: Bool, onePhrase: Bool = false) {
        self.fts = fts
        self.exact = exact
        self.onePhrase = onePhrase
    }
}

public struct MatchCompiler: Sendable {
    public var folding: Folding
    public var inHeading: Bool

    /// Limits that keep FTS5 expressions far from its own limits (an
    /// expression tree at most 256 deep); past them, fewer terms narrow and
    /// confirmation on the text keeps results exact.
    static let maxPhraseTokens = 48
    static let maxNarrowingTerms = 16
    static let maxAlternatives = 64

    public init(folding: Folding = .index, inHeading: Bool = false) {
        self.folding = folding
        self.inHeading = inHeading
    }

    public func term(_ text: String) -> CompiledTerm {
        let scalars = folding.scalars(text)
        let indexed = Folding.index.scalars(text)
        var tokens: [String] = []
        var run: [UInt32] = []
        var allWord = !indexed.isEmpty
        var prefixCharacter: UInt32?
        func token(_ scalars: ArraySlice<UInt32>) -> String {
            var s = String.UnicodeScalarView()
            for v in scalars { s.append(Unicode.Scalar(v)!) }
            return "\"" + String(s).replacingQuotes() + "\""
        }
        /// `gap`: the run is followed by blanks and then a Han character,
        /// a gap that a text may have bridged (`SpacedLetters`): its last
        /// character begins a bigram there or a unigram, and a prefix token
        /// takes either. The phrase goes on, the blanks holding no token.
        func closeRun(followed: Bool, gap: Bool = false) {
            guard !run.isEmpty else { return }
            for i in 0..<(run.count - 1) { tokens.append(token(run[i...(i + 1)])) }
            if gap {
                tokens.append(token(run[(run.count - 1)...]) + " *")
            } else if followed {
                tokens.append(token(run[(run.count - 1)...]))
            } else if run.count == 1 {
                tokens.append(token(run[0...]) + " *")
                prefixCharacter = run[0]
            }
            run.removeAll()
        }
        for (i, v) in indexed.enumerated() {
            if CharacterClass.isWord(v) {
                run.append(v)
            } else {
                allWord = false
                var gap = false
                if let last = run.last, CharacterClass.isHan(last), SpacedLetters.isBlank(v) {
                    var j = i + 1
                    while j < indexed.count, SpacedLetters.isBlank(indexed[j]) { j += 1 }
                    gap = j < indexed.count && CharacterClass.isHan(indexed[j])
                }
                closeRun(followed: true, gap: gap)
            }
        }
        closeRun(followed: false)
        // A pasted page makes a phrase of thousands of tokens; its first
        // tokens, a contiguous part of it, narrow as well, and confirmation
        // does the rest.
        var truncated = false
        if tokens.count > Self.maxPhraseTokens {
            tokens.removeSubrange(Self.maxPhraseTokens...)
            truncated = true
        }
        // A term that ends in separators leaves a unigram token that needs
        // the run to end there; that still holds, so it stays exact only as
        // a candidate filter: the separators themselves need confirming.
        var fts = tokens.isEmpty ? nil : tokens.joined(separator: " + ")
        if inHeading, let f = fts { fts = "heading : (" + f + ")" }
        return CompiledTerm(text: text, scalars: scalars, fts: fts, exact: allWord && !truncated && folding == .index,
                            singleCharacter: tokens.count == 1 && !truncated ? prefixCharacter : nil)
    }

    public func compile(_ expression: QueryExpression) -> CompiledMatch {
        switch expression {
        case .term(let t):
            let c = term(t)
            var match = CompiledMatch(fts: c.fts, exact: c.exact, onePhrase: c.fts != nil)
            match.singleCharacter = c.singleCharacter
            match.inHeading = inHeading
            return match
        case .near(let a, let b, _):
            let parts = [term(a).fts, term(b).fts].compactMap { $0 }
            return CompiledMatch(fts: parts.isEmpty ? nil : parts.map { "(\($0))" }.joined(separator: " AND "), exact: false)
        case .or(let xs):
            let parts = xs.map(compile)
            if parts.count > Self.maxAlternatives || parts.contains(where: { $0.fts == nil }) {
                return CompiledMatch(fts: nil, exact: false)
            }
            return CompiledMatch(fts: parts.map { "(\($0.fts!))" }.joined(separator: " OR "),
                                 exact: parts.allSatisfy(\.exact))
        case .not:
            // Alone, NOT narrows nothing: every section lacking the term.
            return CompiledMatch(fts: nil, exact: false)
        case .and(let xs):
            var positives: [CompiledMatch] = []
            var negatives: [CompiledMatch] = []
            for x in xs {
                if case .not(let inner) = x { negatives.append(compile(inner)) } else { positives.append(compile(x)) }
            }
            var exact = positives.allSatisfy(\.exact)
            var narrowing = positives.compactMap(\.fts)
            if narrowing.count < positives.count { exact = false }
            if narrowing.count > Self.maxNarrowingTerms {
                // The longest expressions are the most selective.
                narrowing = Array(narrowing.sorted { $0.count > $1.count }.prefix(Self.maxNarrowingTerms))
                exact = false
            }
            if negatives.count > Self.maxNarrowingTerms { exact = false }
            guard !narrowing.isEmpty else { return CompiledMatch(fts: nil, exact: false) }
            var fts = narrowing.map { "(\($0))" }.joined(separator: " AND ")
            if narrowing.count > 1 || !negatives.isEmpty { fts = "(" + fts + ")" }
            for n in negatives {
                // Only an exact negative may remove candidates in FTS5; an
                // inexact one could remove a section that truly matches.
                if n.exact, let f = n.fts, negatives.count <= Self.maxNarrowingTerms {
                    fts += " NOT (" + f + ")"
                } else {
                    exact = false
                }
            }
            return CompiledMatch(fts: fts, exact: exact)
        }
    }
}

extension String {
    func replacingQuotes() -> String {
        contains("\"") ? split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") : self
    }
}
