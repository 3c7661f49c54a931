import Foundation
import RSearchDocuments

/// A loaded file with what the writer stores of each of its sections made
/// ahead: its Han characters' counts (`CharacterPostings`) and its stored
/// form (`StoredSection`). Made on the loading threads, not by the writer,
/// whose thread is a build's critical path.
struct PreparedFile: Sendable {
    let loaded: LoadedFile
    let characterCounts: [CharacterPostings.SectionCounts]
    let storedSections: [Data]

    init(_ loaded: LoadedFile) {
        self.loaded = loaded
        guard case .document(let document, _) = loaded.content else {
            characterCounts = []
            storedSections = []
            return
        }
        var counter = CharacterPostings.Counter()
        characterCounts = document.sections.map { counter.counts(heading: $0.heading, text: $0.text) }
        storedSections = document.sections.map { StoredSection.encode(path: $0.path, heading: $0.heading, text: $0.text) }
    }

    var file: CorpusFile { loaded.file }
    var hash: String { loaded.hash }
    var content: LoadedFile.Content { loaded.content }
}
