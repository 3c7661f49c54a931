
/// The prefix code in which the index stores text: a canonical Huffman code
/// over Unicode scalars, fixed in the program (`ScalarCode+Data.swift`,
/// made by `Scripts/generate-scalar-code.py` from the shared corpora).
///
/// Chinese text is three bytes a character in UTF-8 and about 9.8 bits of
/// information (order-0), so this code stores it in 0.45 of its UTF-8 size
/// (0.451 on files it was not trained on); per-section deflate, the library
/// way, measured 0.58 (a section is too short for its own Huffman tables)
/// at several times the CPU. No library here offers a static code over
/// scalars, hence this file.
///
/// Every scalar round-trips: one outside the table (astral, unseen, or
/// U+FFFF, which marks the escape's place in the table) is written as the
/// escape's code and then its value in 21 bits. Bits are written most
/// significant first; a stream ends where its caller's count of scalars
/// says, the last byte padded with zeros.
enum ScalarCode {
    static let maxLength = 24
    static let escapeBits = 21
    static let escapeMarker: UInt32 = 0xFFFF

    /// Each BMP scalar's code (high 24 bits) and length (low 8 bits), 0 for
    /// a scalar outside the table; the escape's code and length. Built on
    /// first use, by writers only.
    static let encoding: (table: [UInt32], escape: UInt32) = {
        var table = [UInt32](repeating: 0, count: 0x10000)
        var escape: UInt32 = 0
        forEachCode { value, code, length in
            let packed = code << 8 | UInt32(length)
            if value == escapeMarker { escape = packed } else { table[Int(value)] = packed }
        }
        return (table, escape)
    }()

    /// Calls `body(scalar, code, length)` for every symbol of the table.
    private static func forEachCode(_ body: (UInt32, UInt32, Int) -> Void) {
        var code: UInt32 = 0
        var symbols = self.symbols.unicodeScalars.makeIterator()
        for (length, count) in symbolsByLength.enumerated() {
            for _ in 0..<count {
                body(symbols.next()!.value, code, length)
                code += 1
            }
            code <<= 1
        }
    }

    /// Appends the codes of `scalars` to `writer`.
    static func encode(_ scalars: some Sequence<Unicode.Scalar>, into writer: inout BitWriter) {
        let (table, escape) = encoding
        for s in scalars {
            let v = s.value
            let packed = v < 0x10000 ? table[Int(v)] : 0
            if packed != 0 {
                writer.write(packed >> 8, bits: Int(packed & 0xFF))
            } else {
                writer.write(escape >> 8, bits: Int(escape & 0xFF))
                writer.write(v, bits: escapeBits)
            }
        }
    }

    /// Reads codes back to scalars. Built on first use: a table of the
    /// codes of up to `tableBits` bits (32 KB, 90% of the scalars of the
    /// shared corpora; 11 bits would be 73%), and the canonical code's
    /// first code and first symbol of each longer length for the rest.
    struct Decoder: Sendable {
        static let shared = Decoder()
        static let tableBits = 13

        private let symbols: [UInt32]
        /// Symbol index << 8 | length for every `tableBits`-bit prefix that
        /// begins a code of at most `tableBits` bits; 0 otherwise.
        private let table: [UInt32]
        private let firstCode: [UInt32]
        private let firstSymbol: [Int]
        private let counts: [Int]

        private init() {
            var symbols: [UInt32] = []
            var table = [UInt32](repeating: 0, count: 1 << Self.tableBits)
            var firstCode = [UInt32](repeating: 0, count: maxLength + 1)
            var firstSymbol = [Int](repeating: 0, count: maxLength + 1)
            var previousLength = -1
            ScalarCode.forEachCode { value, code, length in
                if length != previousLength {
                    firstCode[length] = code
                    firstSymbol[length] = symbols.count
                    previousLength = length
                }
                if length <= Self.tableBits {
                    let shift = Self.tableBits - length
                    let entry = UInt32(symbols.count) << 8 | UInt32(length)
                    for low in 0..<(1 << shift) { table[Int(code) << shift | low] = entry }
                }
                symbols.append(value)
            }
            self.symbols = symbols
            self.table = table
            self.firstCode = firstCode
            self.firstSymbol = firstSymbol
            self.counts = ScalarCode.symbolsByLength
        }

        /// Decodes `count` scalars from `reader` into `out`; false where
        /// the bits are not a code, an escaped value is not a scalar, or the
        /// input ends first: a damaged row, never a crash. (Written as one
        /// loop over local state: this is the search's inner loop wherever
        /// candidates are confirmed on their text.)
        func decode(_ count: Int, from reader: inout BitReader, into out: UnsafeMutablePointer<UInt32>) -> Bool {
            var window = reader.window, windowBits = reader.windowBits
            var position = reader.position, bitsPastEnd = reader.bitsPastEnd
            let input = reader.bytes
            let complete = table.withUnsafeBufferPointer { table in
                symbols.withUnsafeBufferPointer { symbols in
                    for n in 0..<count {
                        // At least 56 bits in the window: a longest code and
                        // an escaped value. Past the end it fills with zeros.
                        while windowBits <= 56 {
                            if position < input.count {
                                window |= UInt64(input[position]) << (56 - windowBits)
                            } else {
                                bitsPastEnd += 8
                            }
                            position += 1
                            windowBits += 8
                        }
                        let entry = table[Int(window >> (64 - Self.tableBits))]
                        var symbol: Int
                        var length: Int
                        if entry != 0 {
                            symbol = Int(entry >> 8)
                            length = Int(entry & 0xFF)
                        } else {
                            symbol = -1
                            length = Self.tableBits + 1
                            while length <= maxLength {
                                let offset = UInt32(truncatingIfNeeded: window >> (64 - length)) &- firstCode[length]
                                if offset < UInt32(counts[length]) {
                                    symbol = firstSymbol[length] + Int(offset)
                                    break
                                }
                                length += 1
                            }
                            guard symbol >= 0 else { return false }
                        }
                        window <<= length
                        windowBits -= length
                        var value = symbols[symbol]
                        if value == escapeMarker {
                            value = UInt32(truncatingIfNeeded: window >> (64 - escapeBits))
                            window <<= escapeBits
                            windowBits -= escapeBits
                            guard Unicode.Scalar(value) != nil else { return false }
                        }
                        guard windowBits >= bitsPastEnd else { return false }
                        out[n] = value
                    }
                    return true
                }
            }
            reader.window = window
            reader.windowBits = windowBits
            reader.position = position
            reader.bitsPastEnd = bitsPastEnd
            return complete
        }

        /// Decodes `count` scalars into `array`, in place of its contents.
        func decode(_ count: Int, from reader: inout BitReader, into array: inout [UInt32]) -> Bool {
            var complete = false
            array = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
                complete = count == 0 || decode(count, from: &reader, into: buffer.baseAddress!)
                initialized = complete ? count : 0
            }
            return complete
        }
    }
}

/// Bits appended most significant first.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var pending: UInt64 = 0
    private var pendingBits = 0

    /// Appends the low `bits` bits of `value` (at most 32).
    @inline(__always)
    mutating func write(_ value: UInt32, bits: Int) {
        pending = pending << bits | UInt64(value)
        pendingBits += bits
        while pendingBits >= 8 {
            pendingBits -= 8
            bytes.append(UInt8(truncatingIfNeeded: pending >> pendingBits))
        }
    }

    /// Appends bytes as they are; only between whole bytes.
    mutating func append(bytes more: [UInt8]) {
        precondition(pendingBits == 0)
        bytes += more
    }

    /// The bytes written, the last padded with zero bits.
    mutating func finish() -> [UInt8] {
        if pendingBits > 0 {
            bytes.append(UInt8(truncatingIfNeeded: pending << (8 - pendingBits)))
            pendingBits = 0
        }
        return bytes
    }
}

/// Where a decoder is in a buffer that outlives it: bits are read most
/// significant first; past the end come zeros, which a decoder reports.
struct BitReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    /// Unread bits, aligned to the top.
    var window: UInt64 = 0
    var windowBits = 0
    var bitsPastEnd = 0

    init(_ bytes: UnsafeRawBufferPointer, from offset: Int) {
        self.bytes = bytes
        self.position = offset
    }
}
