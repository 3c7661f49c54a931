import Foundation
import RSearchDocuments

/// The live progress line of a build on a terminal: files and MB done of
/// the total, rate, and time left, and the pages recognised when OCR runs.
/// Redrawn in place (`\r`, erase line).
public enum ProgressLine {
    /// - Parameter elapsed: seconds since the build started.
    public static func render(_ p: BuildProgress, elapsed: Double) -> String {
        let elapsed = max(elapsed, 0.001)
        let rate = Double(p.bytes) / 1e6 / elapsed
        let left = p.bytes > 0 ? elapsed * Double(p.totalBytes - p.bytes) / Double(p.bytes) : 0
        let pages = p.pagesRecognised > 0 ? "  \(p.pagesRecognised) pages recognised (OCR)" : ""
        return String(format: "\r\u{1B}[K  %d/%d files  %.1f/%.1f MB  %.1f MB/s%@  %@", p.files, p.totalFiles,
                      Double(p.bytes) / 1e6, Double(p.totalBytes) / 1e6, rate, pages,
                      p.files < p.totalFiles ? String(format: "about %.0f s left", left) : "finishing…")
    }

    /// Erases the line.
    public static let clear = "\r\u{1B}[K"
}
