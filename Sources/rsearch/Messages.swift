import ArgumentParser
import Foundation
import RSearchDocuments
import RSearchEngine
import RSearchOutput
import RSearchQuery

/// Exit statuses, as grep and ripgrep use them.
enum ExitStatus { static let matched: Int32 = 0, noMatch: Int32 = 1, error: Int32 = 2 }

/// The words for what the library reports as values: one line each, naming
/// the file or the query, with what to do where something can be done.
enum Messages {
    static func describe(_ error: Error) -> String? {
        if let missing = error as? ServeHandover.Missing { return missing.description }
        return ErrorText.describe(error)
    }

    static func describe(_ staleness: Staleness) -> String { ErrorText.describe(staleness) }
}

enum Log {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data(("rsearch: " + message + "\n").utf8))
    }

    /// Updates (or rebuilds) the index with the progress line, then says what was done.
    static func indexing(_ engine: Engine, rebuild: Bool, quiet: Bool, json: Bool = false) throws {
        let progress = quiet || json ? nil : ProgressDisplay.start()
        let summary = rebuild ? try engine.rebuild(progress: progress) : try engine.update(progress: progress)
        ProgressDisplay.finish()
        if json {
            print(BuildSummaryText.json(summary), terminator: "")
            return
        }
        guard !quiet else { return }
        if summary.changed {
            note(BuildSummaryText.describe(summary))
        } else {
            note("index is up to date (\(engine.workspace.indexPath.path))" + BuildSummaryText.notRead(summary))
        }
    }
}
