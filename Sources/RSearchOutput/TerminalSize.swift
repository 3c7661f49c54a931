import Foundation

/// The width output for people is laid out to.
public enum TerminalSize {
    /// Standard output's terminal width, else `$COLUMNS`, else 100.
    public static func columns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }
}
