/// A section as results show it.
public struct SectionInfo: Sendable, Equatable {
    public var path: [String]
    public var heading: String
    public var line: Int
    public var text: String

    public init(path: [String], heading: String, line: Int, text: String) {
        self.path = path
        self.heading = heading
        self.line = line
        self.text = text
    }
}
