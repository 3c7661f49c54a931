import Foundation

/// FNV-1a, 64 bits: enough to tell whether a file changed, and fast. A
/// cryptographic hash would need swift-crypto, a large dependency for no gain
/// here: nothing is trusted on the strength of this hash. The index stores
/// these values, so they must not change between versions of one format.
package struct FNV1a {
    package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    package init() {}

    /// Mixes in one value (a byte, or a whole number taken as one unit).
    @inline(__always)
    package mutating func mix(_ unit: UInt64) {
        value = (value ^ unit) &* 0x100_0000_01b3
    }

    package mutating func mix<Bytes: Sequence<UInt8>>(bytes: Bytes) {
        for b in bytes { mix(UInt64(b)) }
    }

    /// A file's content hash as the index records it: 16 hex digits.
    package static func hex(_ data: Data) -> String {
        var hash = FNV1a()
        data.withUnsafeBytes { hash.mix(bytes: $0.bindMemory(to: UInt8.self)) }
        return hex(hash)
    }

    /// The hash of what was mixed in, as `hex(_: Data)` words it.
    package static func hex(_ hash: FNV1a) -> String {
        let s = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
