/// What one build or update of the index did.
public struct BuildSummary: Sendable {
    /// Whether the index was built from scratch rather than updated.
    public var rebuilt = false
    public var added = 0
    public var updated = 0
    public var removed = 0
    public var renamed = 0
    public var unchanged = 0
    /// Reports in the index afterwards.
    public var reports = 0
    /// Sections written by this run.
    public var sections = 0
    /// Bytes of corpus files read by this run.
    public var bytes = 0
    public var skipped: [(path: String, reason: String)] = []
    /// Pages recognised by OCR in this run (none are twice: `OCRCache`).
    public var pagesRecognised = 0
    /// The files in the index, read or skipped, with pages that are images
    /// of text not yet recognised: what `rsearch index --ocr` would read.
    public var waitingForOCR: [String] = []
    public var seconds = 0.0

    /// Whether anything was written.
    public var changed: Bool { rebuilt || added + updated + removed + renamed > 0 || !skipped.isEmpty }

    public init() {}
}
