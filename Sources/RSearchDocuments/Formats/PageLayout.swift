import RSearchText

/// One page as an extractor laid it out: its lines of text, each with its
/// box, in reading order. Coordinates grow rightwards and downwards, in any
/// unit (points from poppler, pixels from tesseract): only their ratios to
/// the page's size and to the lines' heights are used.
struct PageLayout: Codable, Sendable, Equatable {
    var width: Double
    var height: Double
    var lines: [Line]

    struct Line: Codable, Sendable, Equatable {
        var text: String
        var xMin: Double
        var yMin: Double
        var xMax: Double
        var yMax: Double

        var height: Double { max(yMax - yMin, 1) }
    }

    /// A line's words as one string: a space only where it separates two
    /// words of Latin text or digits (`Windows 10`, `Hello, world`). Extractors put a gap wherever glyphs
    /// are spaced apart (`2022 年 6 月` from LibreOffice, `中 华 人 民` from
    /// tesseract), but in Chinese text a space between two Han characters,
    /// or between a Han character and a digit, is layout, not text.
    static func join(words: [String]) -> String {
        var text = ""
        for word in words {
            let word = removingSpacesBetweenHan(word)
            guard !word.isEmpty else { continue }
            if let last = text.unicodeScalars.last, let first = word.unicodeScalars.first,
               spaced(last, first) {
                text += " "
            }
            text += word
        }
        return text
    }

    /// `word` without the blanks that stand between two characters of which
    /// one is not Latin.
    static func removingSpacesBetweenHan(_ word: String) -> String {
        let scalars = Array(word.unicodeScalars)
        guard scalars.contains(where: { $0.isBlank }) else { return word }
        var kept = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i].isBlank {
                var j = i
                while j < scalars.count, scalars[j].isBlank { j += 1 }
                if let before = kept.last, j < scalars.count, spaced(before, scalars[j]) { kept.append(" ") }
                i = j
                continue
            }
            kept.append(scalars[i])
            i += 1
        }
        return String(kept)
    }

    /// Whether a space between `before` and `after` is text: Latin on the
    /// left, a Latin letter or digit on the right (not `**` `*`, not `年 6`).
    static func spaced(_ before: Unicode.Scalar, _ after: Unicode.Scalar) -> Bool {
        isLatin(before) && isLatin(after) && (after.properties.isAlphabetic || ("0"..."9").contains(after))
    }

    static func isLatin(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x2E80 && !c.isBlank && !isFullWidthPunctuation(c)
    }

    static func isFullWidthPunctuation(_ c: Unicode.Scalar) -> Bool {
        (0x2010...0x206F).contains(c.value) || (0x3000...0x303F).contains(c.value) || (0xFF00...0xFFEF).contains(c.value)
    }
}
