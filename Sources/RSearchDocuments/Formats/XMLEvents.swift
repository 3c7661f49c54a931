import Foundation

/// A reader for the XML that Word writes (`word/document.xml`): elements,
/// attributes, text, the five predefined entities and character references,
/// CDATA, comments and processing instructions. A document type declaration
/// is refused (Word never writes one, and it is where entity-expansion
/// attacks live), as is anything not well-formed: unbalanced tags, an
/// unknown entity, an unterminated construct.
///
/// Why not XMLParser: see `WordDocument`.
enum XMLEvents {
    enum Event: Equatable {
        case start(String, attributes: [String: String])
        /// Also sent for an empty-element tag (`<w:tab/>`), after its start.
        case end(String)
        case text(String)
    }

    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "malformed XML at byte \(offset): \(reason)" }
    }

    static func scan(_ data: Data, _ handle: (Event) -> Void) throws {
        try data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            try scanner.run(handle)
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0
        var open: [String] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        func fail(_ reason: String) -> Malformed { Malformed(offset: i, reason: reason) }

        func starts(with literal: StaticString, at position: Int) -> Bool {
            let n = literal.utf8CodeUnitCount
            guard position + n <= bytes.count else { return false }
            let p = literal.utf8Start
            for k in 0..<n where bytes[position + k] != p[k] { return false }
            return true
        }

        /// The index just past the next `literal`, from `i`.
        func end(of literal: StaticString) throws -> Int {
            var k = i
            while k < bytes.count {
                if starts(with: literal, at: k) { return k + literal.utf8CodeUnitCount }
                k += 1
            }
            throw fail("unterminated \(literal)")
        }

        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        /// Text with entities and character references replaced, and line
        /// ends normalised as XML requires (CR LF and CR to LF; in an
        /// attribute value, every literal tab, CR or LF to a space).
        func decoded(_ range: Range<Int>, attribute: Bool = false) throws -> String {
            guard bytes[range].contains(where: { $0 == UInt8(ascii: "&") || $0 == 0x0D || (attribute && ($0 == 0x09 || $0 == 0x0A)) })
            else { return string(range) }
            func literal(_ range: Range<Int>) -> String {
                var text = string(range)
                text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                if attribute {
                    text = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
                }
                return text
            }
            var out = ""
            var k = range.lowerBound
            var run = k
            while k < range.upperBound {
                guard bytes[k] == UInt8(ascii: "&") else { k += 1; continue }
                out += literal(run..<k)
                guard let semicolon = bytes[k..<range.upperBound].firstIndex(of: UInt8(ascii: ";")) else {
                    throw Malformed(offset: k, reason: "unterminated entity")
                }
                let name = string(k + 1..<semicolon)
                switch name {
                case "lt": out += "<"
                case "gt": out += ">"
                case "amp": out += "&"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let value: UInt32?
                    if name.hasPrefix("#x") { value = UInt32(name.dropFirst(2), radix: 16) }
                    else if name.hasPrefix("#") { value = UInt32(name.dropFirst(1)) }
                    else { value = nil }
                    guard let value, let scalar = Unicode.Scalar(value) else {
                        throw Malformed(offset: k, reason: "unknown entity &\(name);")
                    }
                    out.unicodeScalars.append(scalar)
                }
                k = semicolon + 1
                run = k
            }
            return out + literal(run..<range.upperBound)
        }

        func name(from start: Int) -> Int {
            var k = start
            while k < bytes.count, !Self.isSpace(bytes[k]), bytes[k] != UInt8(ascii: ">"), bytes[k] != UInt8(ascii: "/"),
                  bytes[k] != UInt8(ascii: "=") {
                k += 1
            }
            return k
        }

        mutating func skipSpace() {
            while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
        }

        mutating func run(_ handle: (Event) -> Void) throws {
            var sawElement = false
            while i < bytes.count {
                guard bytes[i] == UInt8(ascii: "<") else {
                    let start = i
                    while i < bytes.count, bytes[i] != UInt8(ascii: "<") { i += 1 }
                    if !open.isEmpty { handle(.text(try decoded(start..<i))) }
                    continue
                }
                if starts(with: "<?", at: i) {
                    i = try end(of: "?>")
                } else if starts(with: "<!--", at: i) {
                    i = try end(of: "-->")
                } else if starts(with: "<![CDATA[", at: i) {
                    let start = i + 9
                    i = try end(of: "]]>")
                    handle(.text(string(start..<i - 3)))
                } else if starts(with: "<!", at: i) {
                    throw fail("document type declarations are not accepted")
                } else if starts(with: "</", at: i) {
                    let nameEnd = name(from: i + 2)
                    let tag = string(i + 2..<nameEnd)
                    i = nameEnd
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("bad end tag") }
                    i += 1
                    guard open.last == tag else { throw fail("</\(tag)> does not close <\(open.last ?? "")>") }
                    open.removeLast()
                    handle(.end(tag))
                } else {
                    let nameEnd = name(from: i + 1)
                    guard nameEnd > i + 1 else { throw fail("empty tag name") }
                    let tag = string(i + 1..<nameEnd)
                    i = nameEnd
                    var attributes: [String: String] = [:]
                    var empty = false
                    while true {
                        skipSpace()
                        guard i < bytes.count else { throw fail("unterminated tag <\(tag)>") }
                        if bytes[i] == UInt8(ascii: ">") { i += 1; break }
                        if starts(with: "/>", at: i) { i += 2; empty = true; break }
                        let attrEnd = name(from: i)
                        guard attrEnd > i else { throw fail("bad attribute in <\(tag)>") }
                        let attr = string(i..<attrEnd)
                        i = attrEnd
                        skipSpace()
                        guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute \(attr) has no value") }
                        i += 1
                        skipSpace()
                        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                            throw fail("attribute \(attr) is not quoted")
                        }
                        let quote = bytes[i]
                        let start = i + 1
                        guard let close = bytes[start...].firstIndex(of: quote) else { throw fail("unterminated attribute \(attr)") }
                        attributes[attr] = try decoded(start..<close, attribute: true)
                        i = close + 1
                    }
                    if open.isEmpty && sawElement { throw fail("more than one root element") }
                    sawElement = true
                    handle(.start(tag, attributes: attributes))
                    if empty { handle(.end(tag)) } else { open.append(tag) }
                }
            }
            guard sawElement else { throw fail("no element") }
            guard open.isEmpty else { throw fail("<\(open.last!)> is not closed") }
        }
    }
}
