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
    /// Documents this run could not read, with the reason.
    public var skipped: [(path: String, reason: String)] = []
    /// Every document of the corpus not in the index, with the reason, this
    /// run's and earlier runs' (files that did not change are not tried
    /// again), in path order.
    public var notRead: [(path: String, reason: String)] = []
    /// The other files of the corpus, not documents (`CorpusScan.ignored`).
    public var ignored: [String] = []
    /// Pages recognised by OCR in this run (none are twice: `OCRCache`).
    public var pagesRecognised = 0
    /// The files in the index, read or skipped, with pages that are images
    /// of text not yet recognised: what `rsearch index --ocr` would read.
    public var waitingForOCR: [String] = []
    public var seconds = 0.0

    /// Whether anything was written.
    public var changed: Bool { rebuilt || added + updated + removed + renamed > 0 || !skipped.isEmpty }

    public init() {}

    /// Whether a file was not read for want of something on this machine (a
    /// program to install, `--ocr` to run), not for anything wrong with it.
    public static func needsSetup(_ reason: String) -> Bool {
        reason.contains("is not installed") || reason.hasPrefix(PDFReader.Failure.needsOCRPrefix)
    }

    /// What an ignored file is: a provenance note, or a file of a format
    /// rsearch does not read.
    public static func ignoredReason(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return Corpus.ignoredNames.contains(name) ? "a provenance note, not a report" : "not a document format rsearch reads"
    }
}
