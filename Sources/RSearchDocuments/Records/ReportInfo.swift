/// A report as results name it: its path in the corpus and its metadata.
public struct ReportInfo: Sendable, Equatable {
    public var path: String
    public var metadata: ReportMetadata
    /// Some of its text was recognised from page images (OCR), and may hold
    /// recognition errors.
    public var ocr: Bool

    public init(path: String, metadata: ReportMetadata, ocr: Bool = false) {
        self.path = path
        self.metadata = metadata
        self.ocr = ocr
    }
}
