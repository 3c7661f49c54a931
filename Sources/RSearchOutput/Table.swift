/// Columns aligned by display width, fitted to the terminal: while the rows
/// are too wide, the widest column is narrowed (none below its header's
/// width, nor below 6 columns); the columns listed in `middle` are cut in
/// the middle so that their end stays (a path's file name).
public enum Table {
    public static func render(header: [String]?, rows: [[String]], width: Int, color: Bool,
                              middle: Set<Int> = []) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        guard let columns = all.first?.count else { return "" }
        var widths = (0..<columns).map { c in all.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        // Narrowed in turn: the other columns to a quarter of the line, the
        // `middle` ones to their cells' file names (at most half the line),
        // the others to their floors, then the `middle` ones to theirs.
        let header = header.map { $0.map(DisplayWidth.of) } ?? Array(repeating: 0, count: columns)
        let floor = (0..<columns).map { c in min(widths[c], max(6, header[c])) }
        let quarter = (0..<columns).map { c in min(widths[c], max(floor[c], width / 4)) }
        let names = (0..<columns).map { c in
            // Room for `DisplayWidth.truncateMiddle` to keep the name whole.
            let name = rows.map { DisplayWidth.of("/" + ($0[c].split(separator: "/").last ?? "")) + 5 }.max() ?? 0
            return min(widths[c], max(floor[c], min(name, width / 2)))
        }
        let others = Set(0..<columns).subtracting(middle)
        for (shrinking, floors) in [(others, quarter), (middle, names), (others, floor), (middle, floor)] {
            while true {
                let excess = widths.reduce(0, +) + 2 * (columns - 1) - width
                let shrinkable = shrinking.filter { widths[$0] > floors[$0] }
                guard excess > 0, let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
                // Down to the next widest, so that wide columns shrink together.
                let next = shrinkable.filter { $0 != widest }.map { widths[$0] }.max() ?? floors[widest]
                widths[widest] = max(floors[widest], min(widths[widest] - 1, max(next, widths[widest] - excess)))
            }
        }
        var out = ""
        for (n, row) in all.enumerated() {
            var cells: [String] = []
            for c in 0..<columns {
                let cell = middle.contains(c) && !(n == 0 && header != nil)
                    ? DisplayWidth.truncateMiddle(row[c], to: widths[c]) : DisplayWidth.truncate(row[c], to: widths[c])
                let padded = c == columns - 1 ? cell : cell + String(repeating: " ", count: widths[c] - DisplayWidth.of(cell))
                cells.append(padded)
            }
            let line = cells.joined(separator: "  ")
            out += (n == 0 && header != nil && color ? "\u{1B}[1m" + line + "\u{1B}[0m" : line) + "\n"
        }
        return out
    }
}
