/// One line of a report's outline: a section's place in the heading tree.
public struct OutlineEntry: Sendable, Equatable {
    /// 1-based position of the section in the report (`show --section N`).
    public var number: Int
    /// Headings from the outermost down to the section's own.
    public var path: [String]
    /// 1-based line in the file where the section starts.
    public var line: Int
    /// The 1-based page it starts on, in a paged document (PDF).
    public var page: Int?

    public init(number: Int, path: [String], line: Int, page: Int? = nil) {
        self.number = number
        self.path = path
        self.line = line
        self.page = page
    }
}
