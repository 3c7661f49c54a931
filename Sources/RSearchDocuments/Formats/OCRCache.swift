import Foundation

/// Recognised pages kept by the content hash of their file, in a folder
/// beside the index (`<index>.ocr/`), so that no file is recognised twice:
/// not by an update that finds it unchanged, not by a rebuild, not after
/// it was moved. One JSON file per PDF: its recognised pages by number.
package struct OCRCache: Sendable {
    package let folder: URL

    package init(folder: URL) {
        self.folder = folder
    }

    func pages(hash: String) -> [Int: PageLayout]? {
        guard let data = try? Data(contentsOf: file(hash)) else { return nil }
        return try? JSONDecoder().decode([Int: PageLayout].self, from: data)
    }

    /// Written to a temporary name and renamed, so that a reader never sees half a file.
    func store(_ pages: [Int: PageLayout], hash: String) {
        guard let data = try? JSONEncoder().encode(pages) else { return }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(hash).\(UUID().uuidString)")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, file(hash).path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    private func file(_ hash: String) -> URL { folder.appendingPathComponent(hash + ".json") }
}
