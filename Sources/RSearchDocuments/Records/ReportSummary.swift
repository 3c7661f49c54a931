/// A report as a listing shows it: what results name it by, and its size.
public struct ReportSummary: Sendable, Equatable {
    public var path: String
    public var metadata: ReportMetadata
    public var sections: Int
    /// Characters of text in all its sections.
    public var characters: Int
    /// How the file was decoded (`utf-8`, `gb18030`, `docx` …).
    public var encoding: String
    /// As `Document.ocr`: nil, recognised (true) or waiting for `--ocr` (false).
    public var ocr: Bool?

    public init(path: String, metadata: ReportMetadata, sections: Int, characters: Int, encoding: String,
                ocr: Bool? = nil) {
        self.ocr = ocr
        self.path = path
        self.metadata = metadata
        self.sections = sections
        self.characters = characters
        self.encoding = encoding
    }

    public var info: ReportInfo { ReportInfo(path: path, metadata: metadata, ocr: ocr == true) }
}
