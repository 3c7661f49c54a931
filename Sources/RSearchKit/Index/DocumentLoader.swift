import Foundation

/// A corpus file read, decoded and parsed, or the reason it could not be.
struct LoadedFile: Sendable {
    enum Content: Sendable {
        case document(Document, encoding: String)
        case skipped(String)
    }

    var file: CorpusFile
    var hash: String
    var content: Content
    /// Per section of the document, its Han characters' counts
    /// (`CharacterPostings`) and its stored form (`StoredSection`), made
    /// here on the loading thread rather than by the writer, the build's
    /// critical path (`prepare()`).
    private(set) var characterCounts: [[CharacterPostings.Count]] = []
    private(set) var storedSections: [Data] = []

    /// Makes `characterCounts` and `storedSections` unless made already.
    mutating func prepare() {
        guard case .document(let document, _) = content, storedSections.count != document.sections.count else { return }
        var counter = CharacterPostings.Counter()
        characterCounts = document.sections.map { counter.counts(heading: $0.heading, text: $0.text) }
        storedSections = document.sections.map { StoredSection.encode(path: $0.path, heading: $0.heading, text: $0.text) }
    }
}

/// Reads one corpus file into a document: decoding (`TextDecoding`), format
/// (plain text, Markdown, Word) and parsing (`ReportParser`).
struct DocumentLoader: Sendable {
    var parser = ReportParser()

    func hash(_ file: CorpusFile) throws -> (Data, String) {
        let data = try Data(contentsOf: file.url, options: .mappedIfSafe)
        return (data, ContentHash.hex(data))
    }

    func load(_ file: CorpusFile) -> LoadedFile {
        let data: Data
        let hash: String
        do {
            (data, hash) = try self.hash(file)
        } catch {
            return LoadedFile(file: file, hash: "", content: .skipped("cannot be read"))
        }
        return load(file, data: data, hash: hash)
    }

    func load(_ file: CorpusFile, data: Data, hash: String) -> LoadedFile {
        func skipped(_ reason: String) -> LoadedFile { LoadedFile(file: file, hash: hash, content: .skipped(reason)) }
        if data.isEmpty { return skipped("empty file") }
        let name = file.url.lastPathComponent
        let text: String
        let encoding: String
        var format: ReportParser.Format = .plainText
        switch file.url.pathExtension.lowercased() {
        case "docx":
            do {
                text = try WordDocument.markdown(from: data)
            } catch {
                return skipped(String(describing: error))
            }
            encoding = "docx"
            format = .markdown
        default:
            do {
                let decoded = try TextDecoding.decode(data)
                text = decoded.text
                encoding = decoded.encoding.rawValue
            } catch {
                return skipped(String(describing: error))
            }
            if file.url.pathExtension.lowercased() != "txt" { format = .markdown }
        }
        let document = parser.parse(text, fileName: name, format: format)
        if document.sections.isEmpty { return skipped("no text") }
        var loaded = LoadedFile(file: file, hash: hash, content: .document(document, encoding: encoding))
        loaded.prepare()
        return loaded
    }
}
