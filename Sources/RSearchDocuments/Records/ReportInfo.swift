/// A report as results name it: its path in the corpus and its metadata.
public struct ReportInfo: Sendable, Equatable {
    public var path: String
    public var metadata: ReportMetadata

    public init(path: String, metadata: ReportMetadata) {
        self.path = path
        self.metadata = metadata
    }
}
