/// How often a one-term query occurs in the text of each section it
/// matches, read off the index while ranking (`OnePassRanking`: the
/// phrase's instances in the `text` column; `CharacterRanking`: the
/// character's count in the text), so that `-c` need not read any text.
///
/// For a term of Han characters this is `Occurrences.all` over the
/// section's folded text, overlapping occurrences included: the bigram
/// tokenizer gives every adjacent pair of Han characters a position of its
/// own, so the phrase's instances are the places the term begins, and a
/// section's text column is its whole text, heading included, which is what
/// a hit's matches are offsets into. `ReportListingTests` checks the two agree.
final class SectionOccurrences {
    private(set) var rows: [(id: Int64, count: Int)] = []

    @inline(__always)
    func add(id: Int64, count: Int) {
        rows.append((id, count))
    }
}
