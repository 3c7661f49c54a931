
/// Terminal columns a character takes: CJK and full-width forms two,
/// combining marks and zero-width characters none, the rest one.
/// (Unicode's East Asian Width, Wide and Fullwidth classes.)
public enum DisplayWidth {
    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v == 0 || v == 0x200B || v == 0x200C || v == 0x200D || v == 0xFEFF { return 0 }
        if v < 0x300 { return 1 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    public static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    /// `text` cut to at most `columns` columns, with `…` where it was cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard of(text) > columns else { return text }
        var out = String.UnicodeScalarView()
        var used = 0
        for s in text.unicodeScalars {
            let w = of(s)
            if used + w > columns - 1 { break }
            out.append(s)
            used += w
        }
        out.append("…")
        return String(out)
    }

    /// `text` cut to `columns` with `…` in the middle, so that its end stays:
    /// a path keeps its file name whole where that fits
    /// (`gov_work…/2026_海南省_政府工作报告.txt`), else as much of its end as fits.
    public static func truncateMiddle(_ text: String, to columns: Int) -> String {
        guard of(text) > columns else { return text }
        guard columns > 2 else { return truncate(text, to: columns) }
        let scalars = Array(text.unicodeScalars)
        let room = columns - 1
        // The file name with its slash, if it leaves a few columns of the start.
        let name = scalars.lastIndex(of: "/").map { of(String(String.UnicodeScalarView(scalars[$0...]))) } ?? 0
        // Else as much of the end as leaves two columns of the start.
        let tailRoom = name > 0 && name <= room - 4 ? name : max(room - 2, room / 2)
        var tail = String.UnicodeScalarView(), used = 0
        for s in scalars.reversed() {
            if used + of(s) > tailRoom { break }
            tail.insert(s, at: tail.startIndex)
            used += of(s)
        }
        var head = String.UnicodeScalarView()
        for s in scalars {
            if used + of(s) > room { break }
            head.append(s)
            used += of(s)
        }
        return String(head) + "…" + String(tail)
    }
}
