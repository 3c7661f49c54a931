import Foundation
import RSearchDocuments
import RSearchStore

/// Whether the index still matches the corpus, found on a thread of its own
/// while a search runs on the caller's.
final class FreshnessCheck: @unchecked Sendable {
    /// Written once by the checking thread before `done` is signalled.
    private var found: Result<Workspace.Freshness, Error>?
    /// Folder times the walk found settled, to record after the search.
    private var settled: CorpusCheck?
    private let done = DispatchSemaphore(value: 0)
    private let workspace: Workspace

    /// Starts the walk over the corpus's folders.
    init(checking workspace: Workspace) {
        self.workspace = workspace
        let thread = Thread { [self] in
            found = Result { try workspace.freshness(settled: { self.settled = $0 }) }
            done.signal()
        }
        thread.start()
    }

    /// An index just built from the corpus: current, nothing to walk.
    init(current workspace: Workspace) {
        self.workspace = workspace
        found = .success(.current)
        done.signal()
    }

    /// Waits for the walk, then checks the files of the reports about to be
    /// shown one by one (an edit in place does not change its folder, so the
    /// folder-level check alone would miss it). Nil when nothing is amiss or
    /// the check itself failed (a search does not fail for it).
    func outcome(shown: [String], in index: IndexDatabase) -> Staleness? {
        done.wait()
        guard case .success(let freshness) = found else { return nil }
        guard freshness == .current else { return Staleness(freshness, corpus: workspace.corpus.root.path) }
        // After the search, whose read is over: one write, once.
        if let settled { workspace.recordSettled(settled) }
        guard let changed = try? workspace.changedReports(shown, in: index), !changed.isEmpty else { return nil }
        return .reportsChanged(changed)
    }
}
