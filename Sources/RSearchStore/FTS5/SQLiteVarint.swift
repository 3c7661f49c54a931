import Foundation

/// SQLite's variable-length integers, as FTS5 writes them: big-endian groups
/// of seven bits, the high bit set on every byte but the last, and a ninth
/// byte, when there is one, carrying eight bits.
enum SQLiteVarint {
    struct Reader {
        var bytes: [UInt8]
        var offset: Int

        var atEnd: Bool { offset == bytes.count }

        mutating func next() throws -> UInt64 {
            let available = bytes.count - offset
            guard available > 0,
                  available >= 9 || bytes[offset...].contains(where: { $0 < 0x80 }) else {
                throw FTS5SegmentsError(message: "record ends inside a number")
            }
            return bytes.withUnsafeBufferPointer { SQLiteVarint.read($0.baseAddress!, &offset) }
        }
    }

    static func decodeAll(_ bytes: [UInt8]) throws -> [UInt64] {
        var reader = Reader(bytes: bytes, offset: 0)
        var values: [UInt64] = []
        while !reader.atEnd { values.append(try reader.next()) }
        return values
    }

    static func encode(_ values: [UInt64]) -> [UInt8] {
        var out: [UInt8] = []
        for value in values { append(value, to: &out) }
        return out
    }

    static func append(_ value: UInt64, to out: inout [UInt8]) {
        var bytes: (UInt64, UInt64) = (0, 0)
        let length = withUnsafeMutableBytes(of: &bytes) { put(value, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        withUnsafeBytes(of: bytes) { out.append(contentsOf: $0.prefix(length)) }
    }

    /// Writes `value` at `p`; returns its length (at most 9).
    @inline(__always)
    static func put(_ value: UInt64, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0x80 {
            p[0] = UInt8(value)
            return 1
        }
        if value < 0x4000 {
            p[0] = UInt8(value >> 7) | 0x80
            p[1] = UInt8(value & 0x7f)
            return 2
        }
        if value >> 56 != 0 {
            // Nine bytes: eight groups of seven bits, then the low eight.
            for i in 0..<8 { p[i] = UInt8((value >> UInt64(57 - 7 * i)) & 0x7f) | 0x80 }
            p[8] = UInt8(value & 0xff)
            return 9
        }
        let length = (64 - value.leadingZeroBitCount + 6) / 7
        for i in 0..<length {
            p[i] = UInt8((value >> UInt64(7 * (length - 1 - i))) & 0x7f) | (i < length - 1 ? 0x80 : 0)
        }
        return length
    }

    /// Reads the varint at `offset`, which the caller knows is complete.
    @inline(__always)
    static func read(_ p: UnsafePointer<UInt8>, _ offset: inout Int) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 {
            let byte = p[offset]
            offset += 1
            value = value << 7 | UInt64(byte & 0x7f)
            if byte < 0x80 { return value }
        }
        let last = p[offset]
        offset += 1
        return value << 8 | UInt64(last)
    }

    /// The length of the varint at `p`.
    @inline(__always)
    static func length(at p: UnsafePointer<UInt8>) -> Int {
        for n in 0..<8 where p[n] < 0x80 { return n + 1 }
        return 9
    }
}
