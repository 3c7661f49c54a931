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
    /// Each section's `SectionDigest`.
    let digests: [Int64]

    init(_ loaded: LoadedFile) {
        self.loaded = loaded
        guard case .document(let document, _) = loaded.content else {
            characterCounts = []
            storedSections = []
            digests = []
            weight = 0
            return
        }
        var counter = CharacterPostings.Counter()
        characterCounts = document.sections.map { counter.counts(heading: $0.heading, text: $0.text) }
        storedSections = document.sections.map { StoredSection.encode(path: $0.path, heading: $0.heading, text: $0.text) }
        digests = document.sections.map { SectionDigest.of($0.text) }
        let countStride = MemoryLayout<CharacterPostings.Count>.stride
        weight = document.sections.reduce(0) { $0 + $1.text.utf8.count + $1.heading.utf8.count }
            + characterCounts.reduce(0) { $0 + ($1.characters.count + $1.variants.count) * countStride }
            + storedSections.reduce(0) { $0 + $1.count }
    }

    /// About the bytes it holds: its sections' text and headings, their
    /// counts and stored forms. The counts alone are about twice the text.
    let weight: Int

    var file: CorpusFile { loaded.file }
    var part: Int { loaded.part }
    var isLast: Bool { loaded.isLast }
    var hash: String { loaded.hash }
    var content: LoadedFile.Content { loaded.content }
}
