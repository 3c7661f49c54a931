/// Letters spaced out for layout: `第一章 总 则`, `附　则`, `国务院总理 李 强`,
/// `习　近　平`. Headings and names are set this way so that they fill the
/// width of two or three characters; the spaces are not part of the word, and
/// a reader searching `总则` or `李强` expects to find them.
///
/// The rule, on folded scalars: a run of blanks (U+0020, U+3000 once folded,
/// tab, no-break space; any number, since headings are also padded to a
/// width: `第一章 总    则`) is *bridged* when the characters on its
/// two sides are Han characters that stand alone, that is, neither has a word
/// character (`CharacterClass.isWord`) on its other side. `总 则` and each gap
/// of `习 近 平` are bridged; `第一章 总` (after `章` comes `第一`), `改革 开放`
/// and `A B` are not. The rule reads only the folded scalars around a gap,
/// never what an earlier gap decided, so it is the same whether applied to a
/// whole text, streamed by the scanner, or applied twice.
///
/// A bridged blank stays in the text (and every offset stays as it was); the
/// folded view of a text marks it `SpacedLetters.bridge`, which the scanner
/// passes over (the run goes on across it) and the matcher either passes
/// over or matches with a blank of the query. So `总则` and `总 则` both
/// match `总 则` exactly, highlighting `总 则`. Queries are never bridged: the
/// spacing ignored is the text's, and only where this rule sees it.
public enum SpacedLetters {
    /// What a bridged blank folds to: above every Unicode scalar, so that it
    /// can be neither text nor query; never turned back into a character.
    public static let bridge: UInt32 = 0x11_0000

    @inline(__always)
    public static func isBlank(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0xA0
    }

    /// Marks the bridged blanks of `values` (folded, per scalar) as `bridge`.
    public static func mark(_ values: inout [UInt32]) {
        let n = values.count
        guard n >= 3 else { return }
        values.withUnsafeMutableBufferPointer { v in
            var i = 1
            while i < n - 1 {
                guard isBlank(v[i]), CharacterClass.isHan(v[i - 1]) else { i += 1; continue }
                var end = i + 1
                while end < n, isBlank(v[end]) { end += 1 }
                if end < n, CharacterClass.isHan(v[end]),
                   i < 2 || !CharacterClass.isWord(v[i - 2]),
                   end + 1 >= n || !CharacterClass.isWord(v[end + 1]) {
                    for k in i..<end { v[k] = bridge }
                }
                i = end
            }
        }
    }
}
