import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program that reads a format for rsearch (poppler's `pdftotext`,
/// tesseract), found on the `PATH` and run with a time limit. Its standard
/// output and error go to files, not pipes, so that a program that writes a
/// lot can never block on a full pipe while rsearch waits for it to end.
struct ExternalProgram: Sendable {
    let name: String
    let path: String

    enum Failure: Error, CustomStringConvertible {
        case timedOut(seconds: Int)
        /// The exit status and the last line the program wrote to stderr.
        case failed(status: Int32, message: String)
        case cannotStart(String)
        case outputTooLarge(bytes: Int)

        var description: String {
            switch self {
            case .timedOut(let seconds): "timed out after \(seconds) s"
            case .failed(let status, let message): message.isEmpty ? "exit status \(status)" : message
            case .cannotStart(let reason): "cannot start: \(reason)"
            case .outputTooLarge(let bytes): "output larger than \(bytes >> 20) MB"
            }
        }
    }

    /// The program of this name in a folder of `PATH`, if it is there and executable.
    static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> ExternalProgram? {
        for folder in (path ?? "/usr/bin:/bin").split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0 { return ExternalProgram(name: name, path: String(candidate)) }
        }
        return nil
    }

    /// Runs the program and returns what it wrote to standard output (at
    /// most `maxOutput` bytes). A program still running after `timeLimit`
    /// seconds is sent SIGTERM, then SIGKILL a second later.
    func run(_ arguments: [String], timeLimit: Double, maxOutput: Int = 256 << 20,
             environment extra: [String: String] = [:]) throws -> Data {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = scratch.url.appendingPathComponent("stdout")
        let err = scratch.url.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        guard let outHandle = FileHandle(forWritingAtPath: out.path), let errHandle = FileHandle(forWritingAtPath: err.path)
        else { throw Failure.cannotStart("no scratch files") }
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        do { try process.run() } catch { throw Failure.cannotStart(String(describing: error)) }
        if ended.wait(timeout: .now() + timeLimit) == .timedOut {
            process.terminate()
            if ended.wait(timeout: .now() + 1) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                ended.wait()
            }
            throw Failure.timedOut(seconds: Int(timeLimit.rounded()))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0
        if size > maxOutput { throw Failure.outputTooLarge(bytes: maxOutput) }
        guard process.terminationStatus == 0, process.terminationReason == .exit else {
            let message = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            let last = message.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
            throw Failure.failed(status: process.terminationStatus, message: last)
        }
        return (try? Data(contentsOf: out)) ?? Data()
    }

    /// A private folder for one run's files, removed afterwards.
    struct Scratch {
        let url: URL

        init() throws {
            var template = Array((NSTemporaryDirectory() + "/rsearch-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { throw Failure.cannotStart("no temporary folder") }
            url = URL(fileURLWithPath: String(cString: made), isDirectory: true)
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }
}
