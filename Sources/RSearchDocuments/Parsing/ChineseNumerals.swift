
/// Reading the numerals official documents are written with.
enum ChineseNumerals {
    static func digit(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "〇", "○", "零", "０", "0": return 0
        case "一", "１", "1": return 1
        case "二", "两", "２", "2": return 2
        case "三", "３", "3": return 3
        case "四", "４", "4": return 4
        case "五", "５", "5": return 5
        case "六", "６", "6": return 6
        case "七", "７", "7": return 7
        case "八", "８", "8": return 8
        case "九", "９", "9": return 9
        default: return nil
        }
    }

    /// Characters that may make up a counting numeral (`二十三`, `一百零五`).
    static func isCountingNumeral(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "零", "〇", "两": return true
        default: return false
        }
    }

    static func isASCIIDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    /// A year written digit by digit: `2022`, `２０２２`, `二〇二二`, `二○一二`.
    static func year(_ scalars: some Collection<Unicode.Scalar>) -> Int? {
        guard scalars.count == 4 else { return nil }
        var value = 0
        for s in scalars {
            guard let d = digit(s) else { return nil }
            value = value * 10 + d
        }
        return (1900...2100).contains(value) ? value : nil
    }

    /// `n` as a counting numeral, as statutes number their paragraphs
    /// (`二`, `十二`, `二十`, `一百零五`); 1 to 9,999.
    static func spelled(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0, n < 10_000 else { return String(n) }
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n == 10 ? "" : digits[n - 10]) }
        var out = ""
        var zero = false
        for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
            let d = n / unit % 10
            if d == 0 {
                zero = !out.isEmpty
                continue
            }
            if zero { out += "零"; zero = false }
            out += digits[d] + name
        }
        return out
    }

    /// A counting number: `12`, `十二`, `二十`, `一百零五`.
    static func number(_ scalars: some Collection<Unicode.Scalar>) -> Int? {
        guard !scalars.isEmpty else { return nil }
        if scalars.allSatisfy({ digit($0) != nil && !isCountingNumeral($0) || isASCIIDigit($0) }) {
            return scalars.reduce(0) { $0 * 10 + (digit($1) ?? 0) }
        }
        var total = 0
        var current = 0
        for s in scalars {
            switch s {
            case "十": total += (current == 0 ? 1 : current) * 10; current = 0
            case "百": total += (current == 0 ? 1 : current) * 100; current = 0
            case "千": total += (current == 0 ? 1 : current) * 1000; current = 0
            default:
                guard let d = digit(s) else { return nil }
                current = d
            }
        }
        return total + current
    }
}
