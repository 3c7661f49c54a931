/// A section as results show it.
public struct SectionInfo: Sendable, Equatable {
    public var path: [String]
    public var heading: String
    public var line: Int
    public var text: String
    /// The 1-based page it starts on, in a paged document (PDF).
    public var page: Int?

    public init(path: [String], heading: String, line: Int, text: String, page: Int? = nil) {
        self.path = path
        self.heading = heading
        self.line = line
        self.text = text
        self.page = page
    }
}
