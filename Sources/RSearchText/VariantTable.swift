/// Traditional to simplified character folding, one scalar to one scalar.
///
/// The data (`VariantTable+Data.swift`) is generated from OpenCC's
/// `TSCharacters.txt`; see `Scripts/generate-variant-table.py` and
/// `THIRD_PARTY.md`. The BMP part is a flat array indexed by scalar, because
/// this lookup runs once per Han character in the tokenizer's inner loop.
enum VariantTable {
    private static let bmpBase: UInt32 = 0x3400
    private static let bmpLimit: UInt32 = 0xFFFF

    private static let tables: (bmp: [UInt32], astral: [UInt32: UInt32]) = {
        var bmp = [UInt32](repeating: 0, count: Int(bmpLimit - bmpBase + 1))
        var astral: [UInt32: UInt32] = [:]
        var iterator = pairs.unicodeScalars.makeIterator()
        while let from = iterator.next(), let to = iterator.next() {
            if from.value >= bmpBase && from.value <= bmpLimit {
                bmp[Int(from.value - bmpBase)] = to.value
            } else {
                astral[from.value] = to.value
            }
        }
        return (bmp, astral)
    }()

    @inline(__always)
    static func simplified(_ v: UInt32) -> UInt32? {
        if v >= bmpBase && v <= bmpLimit {
            let s = tables.bmp[Int(v - bmpBase)]
            return s == 0 ? nil : s
        }
        if v < 0x20000 { return nil }
        return tables.astral[v]
    }

    /// The BMP part, indexed by scalar − `bmpRange.lowerBound`, 0 where a
    /// scalar has no simplified form: for loops that fold many scalars and
    /// would otherwise pass the lazy global's check on each.
    static var bmp: [UInt32] { tables.bmp }
    static let bmpRange = bmpBase...bmpLimit

    /// The characters outside the BMP that fold to `simplified`.
    static func astralForms(of simplified: UInt32) -> [UInt32] {
        tables.astral.filter { $0.value == simplified }.map(\.key).sorted()
    }

    /// Number of pairs in the table (for diagnostics and tests).
    static var count: Int { pairs.unicodeScalars.count / 2 }
}
