import Foundation

/// A corpus file read, decoded and parsed, or the reason it could not be.
package struct LoadedFile: Sendable {
    package enum Content: Sendable {
        case document(Document, encoding: String)
        case skipped(String)
    }

    package var file: CorpusFile
    package var hash: String
    package var content: Content

    package init(file: CorpusFile, hash: String, content: Content) {
        self.file = file
        self.hash = hash
        self.content = content
    }
}

/// Reads one corpus file into a document: decoding (`TextDecoding`), format
/// (plain text, Markdown, Word) and parsing (`ReportParser`).
package struct DocumentLoader: Sendable {
    package var parser = ReportParser()

    package init() {}

    package func hash(_ file: CorpusFile) throws -> (Data, String) {
        let data = try Data(contentsOf: file.url, options: .mappedIfSafe)
        return (data, FNV1a.hex(data))
    }

    package func load(_ file: CorpusFile) -> LoadedFile {
        let data: Data
        let hash: String
        do {
            (data, hash) = try self.hash(file)
        } catch {
            return LoadedFile(file: file, hash: "", content: .skipped("cannot be read"))
        }
        return load(file, data: data, hash: hash)
    }

    package func load(_ file: CorpusFile, data: Data, hash: String) -> LoadedFile {
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
        return LoadedFile(file: file, hash: hash, content: .document(document, encoding: encoding))
    }
}
