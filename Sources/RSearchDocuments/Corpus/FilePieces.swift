import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read in pieces that end at a line break: each piece but the
/// last ends with an LF byte and holds about `pieceBytes` bytes (more when a
/// line is longer), so that a large file is handled a piece at a time
/// without being held, or mapped, whole.
enum FilePieces {
    static func forEach(in url: URL, pieceBytes: Int, _ body: ([UInt8]) throws -> Void) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CocoaError(.fileReadNoPermission) }
        defer { close(fd) }
        var carry: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: pieceBytes)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, pieceBytes) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileReadUnknown)
            }
            if n == 0 { break }
            let chunk = buffer[..<n]
            guard let lastLF = chunk.lastIndex(of: 0x0A) else {
                carry += chunk
                continue
            }
            var piece = carry
            piece += chunk[...lastLF]
            carry = Array(chunk[(lastLF + 1)...])
            try body(piece)
        }
        if !carry.isEmpty { try body(carry) }
    }
}
