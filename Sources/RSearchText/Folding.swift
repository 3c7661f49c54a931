/// The normalised view of text that both the index and the matcher see.
///
/// Folding maps one Unicode scalar to exactly one scalar, never more or fewer,
/// so an offset in the folded text is the same offset in the original text.
/// That invariant is what keeps highlights exact; every rule added here must
/// keep it. The forms that fold a section's text for the matcher
/// (`textScalars`, `fold(_:)` of an array) also mark the blanks between
/// spaced-out letters (`总 则`), one scalar still for one (`SpacedLetters`);
/// the others (`scalars(_:)` for query terms, `string` for metadata,
/// `scalars(utf8:into:)` for counting characters, `fold` of one scalar) do
/// not: a blank typed in a query is matched as a blank.
public struct Folding: Sendable, Hashable {
    /// Fold traditional characters to simplified ones (`經濟` = `经济`).
    public var variants: Bool

    public init(variants: Bool = true) {
        self.variants = variants
    }

    /// What the index is built with. Queries may fold less (`--no-fold`),
    /// never more, so the index always finds a superset of what they match.
    public static let index = Folding(variants: true)
    public static let exact = Folding(variants: false)

    @inline(__always)
    public func fold(_ v: UInt32) -> UInt32 {
        if v < 0x80 {
            // ASCII: only case folds.
            return (v &- 0x41) < 26 ? v | 0x20 : v
        }
        if v >= 0xFF01 && v <= 0xFF5E {
            // The full-width ASCII block, punctuation included (`，` = `,`).
            let a = v - 0xFEE0
            return (a &- 0x41) < 26 ? a | 0x20 : a
        }
        if v == 0x3000 { return 0x20 }  // ideographic space
        if variants, let s = VariantTable.simplified(v) { return s }
        return v
    }

    /// The folded scalars of `text`, one for each scalar of `text`, each
    /// folded on its own: a query term's.
    public func scalars(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(text.utf8.count / 2)
        for s in text.unicodeScalars { out.append(fold(s.value)) }
        return out
    }

    /// A text's folded scalars as the matcher reads them: `scalars(text)`
    /// with the bridged blanks marked (`SpacedLetters`).
    public func textScalars(_ text: String) -> [UInt32] {
        var out = scalars(text)
        SpacedLetters.mark(&out)
        return out
    }

    /// The folded scalars of UTF-8 text (as SQLite hands it over), written
    /// into `out` in place of its contents: no `String` is made, and `out`'s
    /// storage is reused from one call to the next. Ill-formed bytes, which
    /// rsearch never writes, become U+FFFD rather than a crash.
    public func scalars(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(bytes.count)
        let table = variants ? VariantTable.bmp : []
        let tableBase = VariantTable.bmpRange.lowerBound
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = UInt32(bytes[i])
            var v: UInt32
            var length: Int
            if b0 < 0x80 {
                v = b0; length = 1
            } else if b0 >= 0xC2 && b0 < 0xE0 {
                v = b0 & 0x1F; length = 2
            } else if b0 >= 0xE0 && b0 < 0xF0 {
                v = b0 & 0x0F; length = 3
            } else if b0 >= 0xF0 && b0 < 0xF5 {
                v = b0 & 0x07; length = 4
            } else {
                v = 0xFFFD; length = 1
            }
            if length > 1 {
                if i + length > n {
                    v = 0xFFFD; length = 1
                } else {
                    for k in 1..<length {
                        let c = UInt32(bytes[i + k])
                        guard c & 0xC0 == 0x80 else { v = 0xFFFD; length = 1; break }
                        v = v << 6 | (c & 0x3F)
                    }
                }
            }
            out.append(fold(v, variantTable: table, base: tableBase))
            i += length
        }
    }

    /// Scalar values folded in place, as `scalars(utf8:into:)` folds, and
    /// the bridged blanks marked: a section's text as the matcher reads it.
    public func fold(_ values: inout [UInt32]) {
        let table = variants ? VariantTable.bmp : []
        let tableBase = VariantTable.bmpRange.lowerBound
        values.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = fold(buffer[i], variantTable: table, base: tableBase) }
        }
        SpacedLetters.mark(&values)
    }

    /// The simplified form of a traditional character: what `Folding.index`
    /// does to `v` beyond `Folding.exact` (`exact` then this is `index`);
    /// nil where the two agree.
    @inline(__always)
    public static func variantFold(_ v: UInt32) -> UInt32? {
        VariantTable.simplified(v)
    }

    /// Every traditional character that folds to `simplified`.
    public static func traditionalForms(of simplified: UInt32) -> [UInt32] {
        let table = VariantTable.bmp
        let base = VariantTable.bmpRange.lowerBound
        var forms: [UInt32] = []
        for (i, s) in table.enumerated() where s == simplified { forms.append(base + UInt32(i)) }
        return forms + VariantTable.astralForms(of: simplified)
    }

    /// Folds `values`, already folded with `Folding.exact`, on to
    /// `Folding.index`, calling `changed(simplified)` for each scalar
    /// that changes: the traditional characters of a text, by the
    /// simplified character each stands for.
    public static func foldVariants(_ values: inout [UInt32], changed: (UInt32) -> Void) {
        let table = VariantTable.bmp
        let base = VariantTable.bmpRange.lowerBound
        values.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices {
                let v = buffer[i]
                let s: UInt32
                if v >= base && v <= VariantTable.bmpRange.upperBound {
                    s = table[Int(v - base)]
                } else if v >= 0x20000 {
                    s = VariantTable.simplified(v) ?? 0
                } else {
                    continue
                }
                if s != 0 {
                    buffer[i] = s
                    changed(s)
                }
            }
        }
    }

    /// `fold(v)` with the variant table looked up by the caller, once for
    /// many scalars (`fold` reaches it through a lazily initialised global).
    @inline(__always)
    private func fold(_ v: UInt32, variantTable table: [UInt32], base: UInt32) -> UInt32 {
        if v >= base && v < 0xFF01 && !table.isEmpty {
            // Han and the rest of the BMP above the table's start, short of
            // the full-width block: only variants fold here.
            let s = table[Int(v - base)]
            return s == 0 ? v : s
        }
        return fold(v)
    }

    /// `text` folded, as a string of the same number of scalars.
    public func string(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            out.append(Unicode.Scalar(fold(s.value)) ?? s)
        }
        return String(out)
    }
}

/// Which folded scalars form tokens. Everything else separates tokens and is
/// matched only by the confirmation step on the section text.
public enum CharacterClass {
    @inline(__always)
    public static func isWord(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v &- 0x30) < 10 || (v &- 0x61) < 26 || (v &- 0x41) < 26
        }
        return isHan(v)
    }

    /// Han ideographs: the unified block, extensions A to H, the compatibility
    /// ideographs, and 〇, which is written as a numeral in dates (`二〇二二年`).
    @inline(__always)
    public static func isHan(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF)
            || (v >= 0x3400 && v <= 0x4DBF)
            || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0x20000 && v <= 0x323AF)
            || v == 0x3007
    }
}
