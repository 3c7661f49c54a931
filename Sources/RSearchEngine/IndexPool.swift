import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RSearchStore

/// Open connections to the published index, kept between a server's
/// requests: opening the index for each request (a new SQLite connection,
/// its memory map torn down after, its page cache cold) and checking the
/// corpus on a thread of its own were most of a request's time
/// (BENCHMARKS.md, `rsearch serve` under load).
///
/// Each use stats the index file: when its identity (device, inode, size,
/// modification time) differs from the idle connections', they are dropped
/// and the next use opens the file as it is now. A rebuild publishes a new
/// file by rename and an update writes in place; either way the next
/// request reads the new index, while requests already running finish on
/// the one they opened. No restart, no failed request.
public final class IndexPool: @unchecked Sendable {
    private let workspace: Workspace
    private let lock = NSLock()
    private var idle: [IndexDatabase] = []
    private var identity: [Int64] = []
    /// Connections kept idle at most (one per worker is enough).
    private let keep: Int
    /// Seconds a use may read before it is stopped (`IndexError.timeLimit`); nil: no bound.
    private let timeLimit: Double?

    public init(workspace: Workspace, keep: Int = 8, timeLimit: Double? = nil) {
        self.workspace = workspace
        self.keep = keep
        self.timeLimit = timeLimit
    }

    /// Runs `body` with an open index, opened now or kept from before.
    public func withIndex<T>(_ body: (IndexDatabase) throws -> T) throws -> T {
        let current = Self.identity(workspace.indexPath.path)
        let kept: IndexDatabase? = lock.withLock {
            if identity != current {
                idle = []
                identity = current
            }
            return idle.popLast()
        }
        let index = try kept ?? workspace.open()
        defer {
            lock.withLock {
                if identity == current, idle.count < keep { idle.append(index) }
            }
        }
        guard let timeLimit else { return try body(index) }
        return try index.withTimeLimit(timeLimit) { try body(index) }
    }

    static func identity(_ path: String) -> [Int64] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        return [Int64(info.st_dev), Int64(info.st_ino), Int64(info.st_size),
                Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec)]
    }
}
