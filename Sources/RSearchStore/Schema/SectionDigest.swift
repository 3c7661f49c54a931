import RSearchText

/// A section's text as the index reads it (`Folding.index`: width, case,
/// traditional forms) with its whitespace removed, hashed: the key under
/// which copies of one passage in several reports are shown once
/// (`Searcher+Copies`, issue 18), so that a report and its aligned copy,
/// which differ in the spaces between sentences and in `4%` / `4％`, are one
/// passage. FNV-1a over the three low bytes of each scalar value, the same
/// in every process and on every machine (Swift's `Hasher` is seeded per
/// process). Stored in `section_store.digest`; equal digests are checked
/// against the texts (`key`) before sections are called copies.
enum SectionDigest {
    static func of(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for var value in key(text) {
            for _ in 0..<3 {
                hash = (hash ^ UInt64(value & 0xFF)) &* 0x0000_0100_0000_01B3
                value >>= 8
            }
        }
        return Int64(bitPattern: hash)
    }

    /// The text folded as the index folds it, whitespace removed: what two copies share.
    static func key(_ text: String) -> [UInt32] {
        // Folded without marking spaced-out letters: the key drops every
        // blank anyway, and this runs for every section of a build.
        var text = text
        var scalars: [UInt32] = []
        text.withUTF8 { Folding.index.scalars(utf8: $0, into: &scalars) }
        return key(folded: scalars)
    }

    /// The same of a text already folded as the index folds it.
    static func key(folded scalars: [UInt32]) -> [UInt32] {
        scalars.filter { !isWhitespace($0) }
    }

    /// Unicode's White_Space, and the blanks the folding marks bridged
    /// (`SpacedLetters.bridge`), spelled out: asking
    /// `Unicode.Scalar.Properties` for each character was an eighth of a
    /// build (perf).
    @inline(__always)
    static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
             SpacedLetters.bridge: true
        default: false
        }
    }
}
