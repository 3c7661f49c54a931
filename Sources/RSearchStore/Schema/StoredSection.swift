import Foundation
import GRDB

/// A section as the index stores it: its heading path, heading and text in
/// one blob, `section_store.body`, in `ScalarCode`.
///
/// The blob is three LEB128 varints and then one bit stream:
/// - the path's length in scalars (`SectionPath.encode`'s form);
/// - the heading: `k << 1` when it is the text's first `k` scalars, as it
///   is for nearly every section (a section's text begins with its own
///   heading), else `m << 1 | 1` for `m` scalars of its own;
/// - the text's length in scalars;
///
/// then the codes of the path, of the heading where it has its own, and of
/// the text.
///
/// Readers see the columns of old through the `section` view, whose SQL
/// functions (`addFunctions`) decode them; the search's own hot loops read
/// the blob and decode it themselves (`decode(_:heading:text:)`).
enum StoredSection {
    static func encode(path: [String], heading: String, text: String) -> Data {
        let path = SectionPath.encode(path)
        let headingScalars = heading.unicodeScalars
        let headingInText = text.unicodeScalars.starts(with: headingScalars)
        var header: [UInt8] = []
        header.reserveCapacity(8)
        LEB128.append(UInt64(path.unicodeScalars.count), to: &header)
        LEB128.append(UInt64(headingScalars.count) << 1 | (headingInText ? 0 : 1), to: &header)
        LEB128.append(UInt64(text.unicodeScalars.count), to: &header)
        var writer = BitWriter()
        writer.append(bytes: header)
        ScalarCode.encode(path.unicodeScalars, into: &writer)
        if !headingInText { ScalarCode.encode(headingScalars, into: &writer) }
        ScalarCode.encode(text.unicodeScalars, into: &writer)
        return Data(writer.finish())
    }

    struct Header {
        var pathLength: Int
        var headingLength: Int
        var headingInText: Bool
        var textLength: Int
        /// Where the bit stream begins.
        var end: Int
    }

    static func header(_ bytes: UnsafeRawBufferPointer) -> Header? {
        var i = 0
        guard let path = LEB128.read(bytes, at: &i), let heading = LEB128.read(bytes, at: &i),
              let text = LEB128.read(bytes, at: &i),
              path < UInt64(Int32.max), heading < UInt64(Int32.max), text < UInt64(Int32.max) else { return nil }
        return Header(pathLength: Int(path), headingLength: Int(heading >> 1), headingInText: heading & 1 == 0,
                      textLength: Int(text), end: i)
    }

    /// The section's heading and text as scalar values, in place of the
    /// arrays' contents; the heading only when asked for (not nil). False
    /// for a damaged blob.
    static func decode(_ bytes: UnsafeRawBufferPointer, heading: inout [UInt32]?, text: inout [UInt32]) -> Bool {
        var path: [UInt32] = []
        return decode(bytes, path: &path, heading: &heading, text: &text)
    }

    /// The parts of a stored section, as strings.
    enum Part: String, CaseIterable {
        case path, heading, text
    }

    /// The path and heading, and the text if asked for (else empty), as
    /// scalar values; nil for a damaged blob.
    static func decode(_ bytes: UnsafeRawBufferPointer, text wanted: Bool)
        -> (path: [UInt32], heading: [UInt32], text: [UInt32])?
    {
        var path: [UInt32] = [], heading: [UInt32]? = [], text: [UInt32] = []
        guard decode(bytes, path: &path, heading: &heading, text: &text, textNeeded: wanted) else { return nil }
        return (path, heading!, wanted ? text : [])
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, _ part: Part) -> String? {
        var path: [UInt32] = [], heading: [UInt32]? = part == .heading ? [] : nil, text: [UInt32] = []
        guard decode(bytes, path: &path, heading: &heading, text: &text, textNeeded: part == .text) else { return nil }
        switch part {
        case .path: return String(scalarValues: path)
        case .heading: return String(scalarValues: heading!)
        case .text: return String(scalarValues: text)
        }
    }

    /// Decodes the parts in stream order: the path always (it comes first),
    /// the heading where asked for, the text where needed.
    private static func decode(_ bytes: UnsafeRawBufferPointer, path: inout [UInt32], heading: inout [UInt32]?,
                               text: inout [UInt32], textNeeded: Bool = true) -> Bool {
        guard let h = header(bytes), !h.headingInText || h.headingLength <= h.textLength else { return false }
        let decoder = ScalarCode.Decoder.shared
        var reader = BitReader(bytes, from: h.end)
        guard decoder.decode(h.pathLength, from: &reader, into: &path) else { return false }
        if h.headingInText {
            // The heading is the text's first scalars: decoded as far as needed.
            let needed = textNeeded ? h.textLength : heading != nil ? h.headingLength : 0
            guard decoder.decode(needed, from: &reader, into: &text) else { return false }
            if heading != nil { heading = Array(text[..<h.headingLength]) }
        } else {
            var own: [UInt32] = []
            guard decoder.decode(h.headingLength, from: &reader, into: &own) else { return false }
            if heading != nil { heading = own }
            guard !textNeeded || decoder.decode(h.textLength, from: &reader, into: &text) else { return false }
        }
        return true
    }

    /// Registers the functions of the `section` view on a connection:
    /// `rsearch_section_path(body)`, `…_heading`, `…_text`, and
    /// `rsearch_section_length(body)`, the text's length in scalars (what
    /// SQLite's `length()` of the text would give) from the header alone.
    static func addFunctions(to db: Database) {
        for part in Part.allCases {
            db.add(function: DatabaseFunction("rsearch_section_\(part.rawValue)", argumentCount: 1, pure: true) { values in
                try withBody(values[0]) { bytes -> String in
                    guard let value = decode(bytes, part) else { throw damaged }
                    return value
                }
            })
        }
        db.add(function: DatabaseFunction("rsearch_section_length", argumentCount: 1, pure: true) { values in
            try withBody(values[0]) { bytes -> Int in
                guard let h = header(bytes) else { throw damaged }
                return h.textLength
            }
        })
    }

    static let damaged = DatabaseError(resultCode: .SQLITE_CORRUPT,
                                       message: "a section's stored text cannot be decoded")

    private static func withBody<T: DatabaseValueConvertible>(_ value: DatabaseValue,
                                                             _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        guard case .blob(let data) = value.storage else { throw damaged }
        return try data.withUnsafeBytes(body)
    }
}
