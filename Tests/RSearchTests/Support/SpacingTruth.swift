import Foundation

/// The independent truth of spaced-out letters (`第一章 总 则`, `李 强`):
/// which blanks of a text search passes over, found with a regular
/// expression rather than rsearch's `SpacedLetters`, and matching with a
/// regular expression built from the query rather than rsearch's matcher.
///
/// The rule it states again: blanks (space, tab, no-break space;
/// U+3000 is a space once folded) between two Han characters, neither of
/// which has a word character (Han, ASCII letter or digit) on its other side.
/// Such a blank may be passed over, or taken by a blank of the query.
enum SpacingTruth {
    /// Stands for a bridged blank in a folded text: a private-use character,
    /// one scalar for one so that offsets stay.
    static let mark: Unicode.Scalar = "\u{E000}"

    private static let han = "\\u4E00-\\u9FFF\\u3400-\\u4DBF\\uF900-\\uFAFF\\U00020000-\\U000323AF\\u3007"
    private static let word = han + "0-9A-Za-z"
    private static let gap = try! NSRegularExpression(
        pattern: "(?<=(?:^|[^\(word)])[\(han)])[ \\t\\u00A0]+(?=[\(han)](?:[^\(word)]|$))")

    /// `folded` (folded per scalar) with its bridged blanks replaced by `mark`.
    static func bridged(_ folded: String) -> String {
        let ns = folded as NSString
        let found = gap.matches(in: folded, range: NSRange(location: 0, length: ns.length))
        guard !found.isEmpty else { return folded }
        var out = ""
        // Through NSString: a String range may not end inside a grapheme.
        var at = 0
        for m in found {
            out += ns.substring(with: NSRange(location: at, length: m.range.location - at))
            out.unicodeScalars.append(contentsOf: repeatElement(mark, count: m.range.length))  // blanks: one unit each
            at = m.range.location + m.range.length
        }
        out += ns.substring(from: at)
        return out
    }

    static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{A0}" }

    /// A regular expression for `query` (folded) in a bridged text.
    static func expression(_ query: String) -> NSRegularExpression {
        let pieces = query.unicodeScalars.map { c -> String in
            let literal = NSRegularExpression.escapedPattern(for: String(c))
            return isBlank(c) ? "(?:\(literal)|\\uE000)" : literal
        }
        // Lazy: a blank of the query takes the first bridged blank it can.
        return try! NSRegularExpression(pattern: pieces.joined(separator: "\\uE000*?"))
    }

    /// Whether `query` (folded) occurs in `bridgedText`.
    static func contains(_ bridgedText: String, _ query: String) -> Bool {
        guard !query.isEmpty else { return true }
        guard bridgedText.unicodeScalars.contains(mark) else { return SectionTruth.contains(bridgedText, query) }
        let ns = bridgedText as NSString
        return expression(query).firstMatch(in: bridgedText, range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// Scalar ranges of every occurrence of `query` (folded) in `bridgedText`,
    /// overlapping ones included: the shortest at each start where it occurs.
    static func occurrences(_ query: String, in bridgedText: String) -> [Range<Int>] {
        let scalars = Array(bridgedText.unicodeScalars)
        guard let head = query.unicodeScalars.first else { return [] }
        let regex = expression(query)
        var result: [Range<Int>] = []
        for start in scalars.indices where scalars[start] == head || (isBlank(head) && scalars[start] == mark) {
            let rest = String(String.UnicodeScalarView(scalars[start...]))
            let ns = rest as NSString
            guard let m = regex.firstMatch(in: rest, options: .anchored, range: NSRange(location: 0, length: ns.length))
            else { continue }
            // Through NSString: a String range may not end inside a grapheme (`：` + U+200D).
            result.append(start..<(start + ns.substring(with: m.range).unicodeScalars.count))
        }
        return result
    }
}
