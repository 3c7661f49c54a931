/// How far a build has come, for a progress line.
public struct BuildProgress: Sendable {
    public var files: Int
    public var totalFiles: Int
    public var bytes: Int
    public var totalBytes: Int
    /// Pages of scanned PDFs recognised so far (`--ocr`).
    public var pagesRecognised = 0

    public init(files: Int, totalFiles: Int, bytes: Int, totalBytes: Int) {
        self.files = files
        self.totalFiles = totalFiles
        self.bytes = bytes
        self.totalBytes = totalBytes
    }
}
