
/// Columns aligned by display width; the widest column is cut to fit.
public enum Table {
    public static func render(header: [String]?, rows: [[String]], width: Int, color: Bool) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        guard let columns = all.first?.count else { return "" }
        var widths = (0..<columns).map { c in all.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        let total = widths.reduce(0, +) + 2 * (columns - 1)
        if total > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) {
            widths[widest] = max(8, widths[widest] - (total - width))
        }
        var out = ""
        for (n, row) in all.enumerated() {
            var cells: [String] = []
            for c in 0..<columns {
                let cell = DisplayWidth.truncate(row[c], to: widths[c])
                let padded = c == columns - 1 ? cell : cell + String(repeating: " ", count: widths[c] - DisplayWidth.of(cell))
                cells.append(padded)
            }
            let line = cells.joined(separator: "  ")
            out += (n == 0 && header != nil && color ? "\u{1B}[1m" + line + "\u{1B}[0m" : line) + "\n"
        }
        return out
    }
}
