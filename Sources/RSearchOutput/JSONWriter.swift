
/// A JSON value whose object keys keep the order they were given in.
///
/// Written by hand instead of using Foundation's JSONEncoder because the
/// documented schema has a fixed key order (query, total, hits …), the
/// output must not escape Chinese text or `/`, and each hit must be
/// serialisable alone for JSON Lines; a Codable round trip would need
/// custom encoders for all three.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    public func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite {
                // Four decimals are plenty for a score, and stable across runs.
                let rounded = (d * 10_000).rounded() / 10_000
                out += rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) + ".0" : String(rounded)
            } else {
                out += "null"
            }
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let xs):
            out += "["
            for (i, x) in xs.enumerated() {
                if i > 0 { out += "," }
                x.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(k, to: &out)
                out += ":"
                v.write(to: &out)
            }
            out += "}"
        }
    }

    /// Copies the string's UTF-8 in runs, escaping only what JSON requires
    /// (and U+2028, U+2029, DEL for JavaScript readers): appending scalar by
    /// scalar was most of `rsearch 党 --all --json` (2 s for 1,903 sections).
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        var s = s
        s.withUTF8 { bytes in
            let n = bytes.count
            var run = 0
            var i = 0
            func flush(_ end: Int) {
                if end > run { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<end]), as: UTF8.self) }
            }
            while i < n {
                let b = bytes[i]
                var escape: String?
                var width = 1
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x00..<0x20, 0x7F: escape = unicodeEscape(UInt32(b))
                case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    escape = unicodeEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029)
                    width = 3
                default: break
                }
                if let escape {
                    flush(i)
                    out += escape
                    i += width
                    run = i
                } else {
                    i += 1
                }
            }
            flush(n)
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

extension JSONValue {
    init(_ s: String?) { self = s.map(JSONValue.string) ?? .null }
    init(_ i: Int?) { self = i.map(JSONValue.int) ?? .null }
}
