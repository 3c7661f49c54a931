import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a file's bytes into text, and says which encoding it was.
///
/// Order matters: a byte-order mark decides; otherwise strict UTF-8 is tried
/// first, because valid UTF-8 Chinese text is practically never also
/// well-formed GB18030 of the same meaning, while GB18030 text is almost
/// never valid UTF-8. GB18030 (a superset of GBK and GB2312) goes through
/// glibc's iconv: Foundation on Linux has had regressions with it.
public enum TextDecoding {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with BOM"
        case utf16LE = "UTF-16LE"
        case utf16BE = "UTF-16BE"
        case gb18030 = "GB18030"
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        static let notText = Failure(description: "not text in UTF-8, UTF-16 or GB18030")
    }

    /// One piece of a file in `encoding` (UTF-8, with or without its BOM
    /// removed, or GB18030), or nil where it is not valid. A file cut at LF
    /// bytes decodes piece by piece as it decodes whole: in neither encoding
    /// is 0x0A part of a multi-byte character.
    static func decode(_ bytes: some Collection<UInt8>, as encoding: Encoding) -> String? {
        switch encoding {
        case .utf8, .utf8BOM: return String(validating: bytes, as: UTF8.self)
        case .gb18030: return iconvDecode(Array(bytes), from: "GB18030")
        case .utf16LE, .utf16BE: return nil
        }
    }

    public static func decode(_ data: Data) throws -> (text: String, encoding: Encoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(validating: bytes[3...], as: UTF8.self) else {
                throw Failure(description: "has a UTF-8 byte-order mark but is not valid UTF-8")
            }
            return (s, .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            let body = bytes.dropFirst(2)
            guard body.count % 2 == 0 else { throw Failure(description: "UTF-16 text with an odd number of bytes") }
            var units: [UInt16] = []
            units.reserveCapacity(body.count / 2)
            var i = body.startIndex
            while i < body.endIndex {
                let a = UInt16(body[i]), b = UInt16(body[i + 1])
                units.append(little ? a | b << 8 : a << 8 | b)
                i += 2
            }
            guard let s = String(validating: units, as: UTF16.self) else {
                throw Failure(description: "not valid UTF-16")
            }
            return (s, little ? .utf16LE : .utf16BE)
        }
        if let s = String(validating: bytes, as: UTF8.self) {
            try rejectBinary(s)
            return (s, .utf8)
        }
        if let s = iconvDecode(bytes, from: "GB18030") {
            try rejectBinary(s)
            return (s, .gb18030)
        }
        throw Failure.notText
    }

    /// NUL and most C0 controls do not occur in documents; many do in binaries
    /// that happen to decode.
    static func rejectBinary(_ s: String) throws {
        var controls = 0
        var total = 0
        for u in s.utf8.prefix(65536) {
            total += 1
            if u == 0 { throw Failure(description: "binary file (contains NUL bytes)") }
            if u < 0x20 && u != 0x09 && u != 0x0A && u != 0x0D && u != 0x0C { controls += 1 }
        }
        if total > 0 && controls * 100 > total { throw Failure(description: "binary file (control characters)") }
    }

    static func iconvDecode(_ bytes: [UInt8], from encoding: String) -> String? {
        let cd = iconv_open("UTF-8", encoding)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let written: Int? = input.withUnsafeMutableBytes { inBuf in
            output.withUnsafeMutableBytes { outBuf in
                var inPtr = inBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPtr = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return r == -1 || inLeft != 0 ? nil : outBuf.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(validating: output[..<written], as: UTF8.self)
    }
}
