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
/// never valid UTF-8. Then GB18030 (a superset of GBK and GB2312) or Big5,
/// which the bytes alone tell apart (`LegacyGuess`); both go through glibc's
/// iconv: Foundation on Linux has had regressions with them.
public enum TextDecoding {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with BOM"
        case utf16LE = "UTF-16LE"
        case utf16BE = "UTF-16BE"
        case gb18030 = "GB18030"
        case big5 = "Big5"
    }

    /// GB18030 or Big5, told apart by where a text's two-byte characters
    /// fall. Most byte strings are valid in both, but each encoding keeps its
    /// common characters in one block: GB2312 (leads 0xA1–0xF7, trails
    /// 0xA1–0xFE) holds nearly every character of simplified text and the
    /// characters both scripts share, Big5's first level and symbols (0xA140–
    /// 0xC67E) nearly every character of traditional text. Read in the other
    /// encoding, a text's characters fall far less often in its block
    /// (GB2312 text: about three in five in Big5's; Big5 text: about three in
    /// five in GB2312, whose trail bytes exclude 0x40–0x7E). GB18030's
    /// four-byte characters (0x30–0x39 second) do not occur in Big5.
    public struct LegacyGuess: Sendable {
        public private(set) var pairs = 0
        public private(set) var inGB2312 = 0
        public private(set) var inBig5 = 0
        public private(set) var fourBytes = 0
        /// A lead byte whose character is cut at the end of the last piece.
        private var pending = false

        public init() {}

        public mutating func add(_ bytes: some Collection<UInt8>) {
            var it = bytes.makeIterator()
            if pending, it.next() != nil { pending = false }
            while let b = it.next() {
                guard b >= 0x81, b != 0xFF else { continue }
                guard let t = it.next() else { pending = true; return }
                if (0x30...0x39).contains(t) {
                    fourBytes += 1
                    _ = it.next(); _ = it.next()
                    continue
                }
                pairs += 1
                if (0xA1...0xF7).contains(b), (0xA1...0xFE).contains(t) { inGB2312 += 1 }
                let big5Trail = (0x40...0x7E).contains(t) || (0xA1...0xFE).contains(t)
                if big5Trail, (0xA1...0xC5).contains(b) || (b == 0xC6 && t <= 0x7E) { inBig5 += 1 }
            }
        }

        public enum Verdict: Sendable { case gb18030, big5, ambiguous }

        /// Two-byte characters below which the blocks tell nothing reliable
        /// (simplified help pages of 4–20 characters that Big5 can also
        /// encode score within 0.06–0.25 of each other).
        static let fewest = 40

        /// The encoding in whose common block clearly more of the characters
        /// fall (by a fifth of them); GB18030 where any is a four-byte one or
        /// there are fewer than `fewest` (a few words: the mainland's encoding,
        /// unless only Big5 decodes them); else ambiguous.
        public var verdict: Verdict {
            guard pairs >= Self.fewest, fourBytes == 0 else { return .gb18030 }
            let gb = Double(inGB2312) / Double(pairs), big5 = Double(inBig5) / Double(pairs)
            if gb >= big5 + 0.2 { return .gb18030 }
            if big5 >= gb + 0.2 { return .big5 }
            return .ambiguous
        }

        /// Why a text was not read, when the bytes do not tell.
        public var ambiguity: String {
            "could be GB18030 or Big5 (of \(pairs) two-byte characters, \(inGB2312) are common in GB2312 and "
                + "\(inBig5) in Big5); convert it to UTF-8"
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        static let notText = Failure(description: "not text in UTF-8, UTF-16, GB18030 or Big5")
    }

    /// One piece of a file in `encoding` (UTF-8, with or without its BOM
    /// removed, or GB18030), or nil where it is not valid. A file cut at LF
    /// bytes decodes piece by piece as it decodes whole: in neither encoding
    /// is 0x0A part of a multi-byte character.
    static func decode(_ bytes: some Collection<UInt8>, as encoding: Encoding) -> String? {
        switch encoding {
        case .utf8, .utf8BOM: return String(validating: bytes, as: UTF8.self)
        case .gb18030: return iconvDecode(Array(bytes), from: "GB18030")
        case .big5: return iconvDecode(Array(bytes), from: "BIG5-HKSCS")
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
        var guess = LegacyGuess()
        guess.add(bytes)
        let order: [Encoding]
        switch guess.verdict {
        case .gb18030: order = [.gb18030, .big5]
        case .big5: order = [.big5, .gb18030]
        case .ambiguous: throw Failure(description: guess.ambiguity)
        }
        // The guess first; the other where only it decodes.
        for encoding in order {
            if let s = decode(bytes, as: encoding) {
                try rejectBinary(s)
                return (s, encoding)
            }
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
