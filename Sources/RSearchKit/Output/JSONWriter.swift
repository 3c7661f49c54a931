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

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 || u.value == 0x7F:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}

extension JSONValue {
    init(_ s: String?) { self = s.map(JSONValue.string) ?? .null }
    init(_ i: Int?) { self = i.map(JSONValue.int) ?? .null }
}

/// The documented JSON schema of search results (README, "JSON output").
public enum SearchJSON {
    public static func hit(_ hit: Hit) -> JSONValue {
        let m = hit.report.metadata
        return .object([
            ("rank", .int(hit.rank)),
            ("score", .double(hit.score)),
            ("report", .object([
                ("path", .string(hit.report.path)),
                ("title", .string(m.title)),
                ("year", JSONValue(m.year)),
                ("date", JSONValue(m.date)),
                ("kind", JSONValue(m.kind)),
                ("author", JSONValue(m.author)),
                ("unit", JSONValue(m.unit)),
            ])),
            ("section", .object([
                ("path", .array(hit.section.path.map(JSONValue.string))),
                ("heading", .string(hit.section.heading)),
                ("line", .int(hit.section.line)),
                ("text", .string(hit.section.text)),
            ])),
            ("snippet", .string(hit.snippet.text)),
            ("matches", .array(hit.matches.map { .array([.int($0.lowerBound), .int($0.upperBound)]) })),
        ])
    }

    public static func result(_ result: SearchResult) -> JSONValue {
        .object([
            ("query", .string(result.query)),
            ("total", .int(result.total)),
            ("hits", .array(result.hits.map(hit))),
        ])
    }
}
