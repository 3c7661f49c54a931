import Foundation

/// When output for people is coloured.
public enum ColorChoice: String, CaseIterable, Sendable {
    /// Only on a terminal, and not if `NO_COLOR` is set or `TERM` is `dumb`.
    case auto
    case always
    case never
}

/// A file rsearch could not write, and what it was for.
public enum OutputError: Error, Equatable, Sendable {
    case cannotWrite(path: String, role: Role)

    public enum Role: Sendable { case results, mapping }
}

/// Where and how results are written: a format, standard output or a
/// file, the BOM for Excel, and the colour rule.
public struct OutputTarget: Sendable {
    public var format: OutputFormat
    /// A file to write instead of standard output.
    public var path: String?
    /// With CSV: the UTF-8 byte-order mark first.
    public var excel: Bool
    public var color: ColorChoice
    public var role: OutputError.Role

    public init(format: OutputFormat = .table, path: String? = nil, excel: Bool = false, color: ColorChoice = .auto,
                role: OutputError.Role = .results) {
        self.format = format
        self.path = path
        self.excel = excel
        self.color = color
        self.role = role
    }

    /// Standard output, and it is a terminal.
    public var toTerminal: Bool { path == nil && isatty(STDOUT_FILENO) == 1 }

    public var isJSON: Bool { format == .json || format == .jsonl }

    public var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            let env = ProcessInfo.processInfo.environment
            return toTerminal && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
        }
    }

    /// Writes `text` to the file or to standard output.
    public func write(_ text: String) throws {
        guard let path else { return FileHandle.standardOutput.write(Data(text.utf8)) }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw OutputError.cannotWrite(path: path, role: role)
        }
    }

    /// A writer for output too large to hold (an export): opens the file now.
    public func stream() throws -> StreamWriter {
        guard let path else { return StreamWriter(handle: FileHandle.standardOutput, closes: false) }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw OutputError.cannotWrite(path: path, role: role)
        }
        return StreamWriter(handle: handle, closes: true)
    }
}

/// Buffers text and writes it a megabyte at a time.
public final class StreamWriter {
    private let handle: FileHandle
    private let closes: Bool
    private var buffer = ""

    init(handle: FileHandle, closes: Bool) {
        self.handle = handle
        self.closes = closes
    }

    public func write(_ text: String) {
        buffer += text
        if buffer.utf8.count > 1 << 20 { flush() }
    }

    /// Writes what is buffered, and closes a file.
    public func finish() throws {
        flush()
        if closes { try handle.close() }
    }

    private func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }
}
