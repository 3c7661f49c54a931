import Foundation
import RSearchDocuments

/// Draws `ProgressLine` on standard error while a build runs, when standard
/// error is a terminal, at most ten times a second. The callback may be
/// called from several threads at once (pages recognised by OCR are
/// reported from the threads that recognise them): a lock keeps the lines
/// whole.
public enum ProgressDisplay {
    nonisolated(unsafe) private static var shown = false
    nonisolated(unsafe) private static var last = 0.0
    private static let lock = NSLock()

    /// The callback to hand a build, or nil when standard error is not a terminal.
    public static func start() -> (@Sendable (BuildProgress) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let started = Date().timeIntervalSince1970
        return { p in
            lock.lock()
            defer { lock.unlock() }
            let now = Date().timeIntervalSince1970
            guard now - last >= 0.1 || p.files == p.totalFiles else { return }
            last = now
            FileHandle.standardError.write(Data(ProgressLine.render(p, elapsed: now - started).utf8))
            shown = true
        }
    }

    /// Erases the line, if one was drawn.
    public static func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data(ProgressLine.clear.utf8)) }
        shown = false
    }
}
