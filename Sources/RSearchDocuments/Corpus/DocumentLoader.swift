import Foundation

/// A corpus file read, decoded and parsed, or the reason it could not be.
package struct LoadedFile: Sendable {
    package enum Content: Sendable {
        case document(Document, encoding: String)
        case skipped(String)
    }

    package var file: CorpusFile
    package var hash: String
    /// The whole file, or one part of it (`DocumentLoader.load(_:parts:)`):
    /// then the document's sections are those the part completes, and its
    /// metadata is the file's.
    package var content: Content
    /// 0 for the first part (or the whole file).
    package var part = 0
    /// Whether this part is the file's last (or the whole file).
    package var isLast = true

    package init(file: CorpusFile, hash: String, content: Content) {
        self.file = file
        self.hash = hash
        self.content = content
    }
}

/// Reads one corpus file into a document: decoding (`TextDecoding`), format
/// (plain text, Markdown, Word and what LibreOffice converts to it, PDF, OFD,
/// web pages) and parsing (`ReportParser`).
package struct DocumentLoader: Sendable {
    package var parser = ReportParser()
    package var pdf = PDFReader()
    package var office = OfficeConverter()
    /// Why each file that `office.prepare` could not convert was not, by path.
    package var conversionFailures: [String: String] = [:]

    package init() {}

    /// Files larger than this are hashed, decoded and parsed a piece of
    /// about this many bytes at a time (`load(_:parts:)`), so that a build's
    /// memory does not grow with the largest file: whole, a file took about
    /// ten times its size while it was parsed (a 110 MB file, 990 MB peak).
    package static let pieceBytes = 1 << 20

    /// A file's content hash, as `FNV1a.hex` of its bytes.
    package func hash(_ file: CorpusFile) throws -> String {
        if file.size <= Self.pieceBytes { return FNV1a.hex(try Data(contentsOf: file.url, options: .mappedIfSafe)) }
        var hash = FNV1a()
        try FilePieces.forEach(in: file.url, pieceBytes: Self.pieceBytes) { piece in hash.mix(bytes: piece) }
        return FNV1a.hex(hash)
    }

    package func load(_ file: CorpusFile) -> LoadedFile {
        var whole: LoadedFile?
        load(file) { part in
            if var first = whole, case .document(var document, let encoding) = first.content,
               case .document(let more, _) = part.content {
                document.sections += more.sections
                first.content = .document(document, encoding: encoding)
                whole = first
            } else {
                whole = part
            }
        }
        whole!.part = 0
        whole!.isLast = true
        return whole!
    }

    /// Calls `body` with the file loaded: whole (one call), or, for a text
    /// or Markdown file larger than `pieceBytes` in UTF-8 or GB18030, in
    /// parts of one piece each, in order (`LoadedFile.part`, `isLast`). A
    /// file that cannot be read or decoded is one skipped part, before any
    /// other: the file is checked whole before its first part is made.
    package func load(_ file: CorpusFile, parts body: (LoadedFile) -> Void) {
        let format: ReportParser.Format = file.url.pathExtension.lowercased() == "txt" ? .plainText : .markdown
        guard file.size > Self.pieceBytes, !Self.wholeFormats.contains(file.url.pathExtension.lowercased()) else {
            let data: Data
            do {
                data = try Data(contentsOf: file.url, options: .mappedIfSafe)
            } catch {
                return body(LoadedFile(file: file, hash: "", content: .skipped("cannot be read")))
            }
            return body(load(file, data: data, hash: FNV1a.hex(data)))
        }
        // Checked whole first: its hash, and an encoding every piece decodes in.
        var hash = FNV1a()
        var guess = TextDecoding.LegacyGuess()
        var utf8 = true
        var utf16 = false
        var first = true
        do {
            try FilePieces.forEach(in: file.url, pieceBytes: Self.pieceBytes) { piece in
                hash.mix(bytes: piece)
                if first, piece.starts(with: [0xFF, 0xFE]) || piece.starts(with: [0xFE, 0xFF]) { utf16 = true }
                first = false
                if utf8, String(validating: piece, as: UTF8.self) == nil { utf8 = false }
                if !utf8 { guess.add(piece) }
            }
        } catch {
            return body(LoadedFile(file: file, hash: "", content: .skipped("cannot be read")))
        }
        let hex = FNV1a.hex(hash)
        func skipped(_ reason: String) { body(LoadedFile(file: file, hash: hex, content: .skipped(reason))) }
        if utf16 {
            // A UTF-16 file's pieces do not end at LF bytes: decoded whole.
            guard let data = try? Data(contentsOf: file.url, options: .mappedIfSafe) else { return skipped("cannot be read") }
            return body(load(file, data: data, hash: hex))
        }
        var encoding = TextDecoding.Encoding.utf8
        if !utf8 {
            // Judged on the pieces from the first that is not UTF-8 on.
            switch guess.verdict {
            case .gb18030: encoding = .gb18030
            case .big5: encoding = .big5
            case .ambiguous: return skipped(guess.ambiguity)
            }
            var valid = true
            try? FilePieces.forEach(in: file.url, pieceBytes: Self.pieceBytes) { piece in
                if valid, TextDecoding.decode(piece, as: encoding) == nil { valid = false }
            }
            guard valid else { return skipped(TextDecoding.Failure.notText.description) }
        }
        var pieces = ReportParser.Pieces(fileName: file.url.lastPathComponent, format: format)
        var pending: [Section] = []
        var part = 0
        var failure: String?
        func emit(_ sections: [Section], last: Bool) {
            var loaded = LoadedFile(file: file, hash: hex, content: .document(
                Document(metadata: pieces.metadata!, sections: sections), encoding: encoding.rawValue))
            loaded.part = part
            loaded.isLast = last
            part += 1
            body(loaded)
        }
        do {
            first = true
            try FilePieces.forEach(in: file.url, pieceBytes: Self.pieceBytes) { piece in
                guard failure == nil else { return }
                var bytes = piece[...]
                if first, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                    encoding = .utf8BOM
                    bytes = bytes.dropFirst(3)
                }
                guard let text = TextDecoding.decode(bytes, as: encoding) else {
                    failure = TextDecoding.Failure.notText.description
                    return
                }
                if first {
                    first = false
                    do { try TextDecoding.rejectBinary(text) } catch {
                        failure = String(describing: error)
                        return
                    }
                }
                // Each part holds at least one section, so the first (the
                // report's row) always comes with its metadata.
                pending += pieces.add(text)
                if !pending.isEmpty {
                    emit(pending, last: false)
                    pending = []
                }
            }
        } catch {
            failure = "cannot be read"
        }
        if let failure, part == 0 { return skipped(failure) }
        pending += pieces.finish()
        if part == 0 && pending.isEmpty { return skipped("no text") }
        // A failure after the first part (the file changed while it was
        // read) keeps what was read; the next update sees the new stamp.
        emit(pending, last: true)
    }

    /// Formats read whole, never in pieces: containers, not text.
    static let wholeFormats: Set<String> = Set(["docx", "pdf", "ofd", "html", "htm"]).union(OfficeConverter.formats)

    package func load(_ file: CorpusFile, data: Data, hash: String) -> LoadedFile {
        func skipped(_ reason: String) -> LoadedFile { LoadedFile(file: file, hash: hash, content: .skipped(reason)) }
        if data.isEmpty { return skipped("empty file") }
        let name = file.url.lastPathComponent
        let text: String
        let encoding: String
        var format: ReportParser.Format = .plainText
        var fallbackTitle: String?
        var fallbackAuthor: String?
        let ending = file.url.pathExtension.lowercased()
        switch ending {
        case "pdf":
            return loadPDF(file, hash: hash)
        case "ofd":
            let contents: OFDDocument.Contents
            do {
                contents = try OFDDocument.read(data)
            } catch {
                return skipped(String(describing: error))
            }
            return loadPaged(file, hash: hash, text: PagedText(contents.pages), title: contents.title,
                             author: contents.author, encoding: "ofd", empty: "no text")
        case "html", "htm":
            do {
                let page = try HTMLDocument.read(data)
                text = page.markdown
                fallbackTitle = page.title
                fallbackAuthor = page.author
                encoding = "html (\(page.encoding.rawValue))"
            } catch {
                return skipped(String(describing: error))
            }
            format = .markdown
        case "docx":
            do {
                (text, fallbackTitle) = try WordDocument.read(data)
            } catch {
                return skipped(String(describing: error))
            }
            encoding = "docx"
            format = .markdown
        case _ where OfficeConverter.formats.contains(ending):
            // Converted to .docx beforehand (`OfficeConverter.prepare`).
            if let failure = conversionFailures[file.path] { return skipped(failure) }
            guard let docx = office.converted(hash: hash) else {
                return skipped(office.soffice == nil ? OfficeConverter.missing : "not converted (LibreOffice gave no result)")
            }
            do {
                (text, fallbackTitle) = try WordDocument.read(docx)
            } catch {
                return skipped("LibreOffice's conversion is not a valid .docx")
            }
            encoding = ending
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
        let document = parser.parse(text, fileName: name, format: format, fallbackTitle: fallbackTitle,
                                    fallbackAuthor: fallbackAuthor)
        if document.sections.isEmpty { return skipped("no text") }
        return LoadedFile(file: file, hash: hash, content: .document(document, encoding: encoding))
    }

    /// A PDF's text, one paragraph per line (`PagedText`), parsed like a
    /// text file; each section gets the page its first characters are on.
    func loadPDF(_ file: CorpusFile, hash: String) -> LoadedFile {
        let extraction: PDFReader.Extraction
        do {
            extraction = try pdf.read(path: file.fullPath, hash: hash)
        } catch {
            return LoadedFile(file: file, hash: hash, content: .skipped(String(describing: error)))
        }
        var loaded = loadPaged(file, hash: hash, text: extraction.text, title: extraction.title, encoding: "pdf",
                               empty: String(describing: PDFReader.Failure.noText))
        if case .document(var document, let encoding) = loaded.content {
            if extraction.pending > 0 { document.ocr = false } else if extraction.recognised > 0 { document.ocr = true }
            loaded.content = .document(document, encoding: encoding)
        }
        return loaded
    }

    /// Paged text (PDF, OFD) parsed like a text file, each section with the
    /// page its first characters are on; `empty` is the reason when it has none.
    func loadPaged(_ file: CorpusFile, hash: String, text: PagedText, title: String?, author: String? = nil,
                   encoding: String, empty: String) -> LoadedFile {
        var document = parser.parse(text.text, fileName: file.url.lastPathComponent, fallbackTitle: title,
                                    fallbackAuthor: author)
        for (i, page) in text.pages(of: document.sections).enumerated() { document.sections[i].page = page }
        if document.sections.isEmpty {
            return LoadedFile(file: file, hash: hash, content: .skipped(empty))
        }
        return LoadedFile(file: file, hash: hash, content: .document(document, encoding: encoding))
    }
}
