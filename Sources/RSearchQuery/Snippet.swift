
/// A short excerpt of a section around its first match, with the matches
/// inside it marked.
public struct Snippet: Sendable, Equatable {
    /// The excerpt, line breaks shown as spaces, `…` where it was cut.
    public var text: String
    /// Scalar offsets into `text` of the matches it shows.
    public var highlights: [Range<Int>]

    /// - Parameters:
    ///   - scalars: the section's text.
    ///   - matches: scalar offsets of matches in it, sorted.
    ///   - context: characters of context before the first match; the
    ///     excerpt is about three times as long.
    public init(scalars: [Unicode.Scalar], matches: [Range<Int>], context: Int = 30) {
        self.init(scalarValues: scalars.map(\.value), matches: matches, context: context)
    }

    /// The same from scalar values (as the index decodes text), which must
    /// be valid scalars.
    package init(scalarValues values: [UInt32], matches: [Range<Int>], context: Int = 30) {
        let scalars = values.lazy.map { Unicode.Scalar($0)! }
        let n = values.count
        let anchor = matches.first ?? 0..<0
        var start = max(0, anchor.lowerBound - context)
        var end = min(n, max(anchor.upperBound + context * 2, start + context * 3))
        if end == n { start = max(0, min(start, n - context * 3)) }
        // Skip blank space at the cut edges.
        while start < end, scalars[start].isBlank { start += 1 }
        while end > start, scalars[end - 1].isBlank { end -= 1 }
        var out = String.UnicodeScalarView()
        let lead = start > 0 ? 1 : 0
        if lead == 1 { out.append("…") }
        for s in scalars[start..<end] {
            out.append(s == "\n" || s == "\r" || s == "\t" ? " " : s)
        }
        if end < n { out.append("…") }
        text = String(out)
        highlights = matches.compactMap { m in
            let lo = max(m.lowerBound, start), hi = min(m.upperBound, end)
            return lo < hi ? (lo - start + lead)..<(hi - start + lead) : nil
        }
    }
}
