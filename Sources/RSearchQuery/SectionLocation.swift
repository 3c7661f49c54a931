/// Where a section is: its report's path and the line its heading (or
/// first line) is on.
public struct SectionLocation: Sendable, Equatable, Hashable {
    public var path: String
    public var line: Int

    public init(path: String, line: Int) {
        self.path = path
        self.line = line
    }
}
