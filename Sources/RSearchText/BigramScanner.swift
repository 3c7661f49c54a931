/// The bigram scheme, over UTF-8 bytes.
///
/// A *run* is a maximal sequence of word characters (`CharacterClass.isWord`,
/// after folding). Every character of a run begins exactly one token: the
/// bigram it forms with the next character of the run, or, for the last
/// character of the run, the unigram of that character alone. Everything
/// else separates runs and produces no token.
///
/// Consequences the query compiler relies on (`MatchCompiler`):
/// - a substring of a run of n ≥ 2 characters is found exactly by the phrase
///   of its n − 1 bigrams, because token i + 1 always starts at character i + 1;
/// - a single character is found by the prefix query `"c"*`, since whichever
///   token it begins starts with it;
/// - where a run ends, the unigram of its last character stands between the
///   run's last bigram and the next run's first token.
///
/// Offsets are byte offsets into the original (unfolded) UTF-8 text; a token
/// spans the bytes of the characters it is made of.
public enum BigramScanner {
    /// Calls `emit(tokenBytes, start, end)` for each token of `text`; stops
    /// early and returns false if `emit` returns false.
    ///
    /// No allocation per character or token: the token is built in a fixed
    /// eight-byte buffer (two scalars of at most four bytes each).
    @inline(__always)
    @discardableResult
    public static func scan(
        _ text: UnsafeBufferPointer<UInt8>,
        folding: Folding = .index,
        emit: (UnsafeBufferPointer<UInt8>, Int, Int) -> Bool
    ) -> Bool {
        var buffer: UInt64 = 0
        return withUnsafeMutableBytes(of: &buffer) { raw -> Bool in
            let out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return scanScalars(text, folding: folding) { first, second, start, end in
                var len = encode(first, into: out)
                if second != noScalar { len += encode(second, into: out + len) }
                return emit(UnsafeBufferPointer(start: out, count: len), start, end)
            }
        }
    }

    /// What `scanScalars` passes as the second scalar of a unigram.
    public static let noScalar = UInt32.max

    /// The same tokens as `scan`, as their folded scalars: `emit(first,
    /// second, start, end)`, `second` being `noScalar` for a unigram.
    @inline(__always)
    @discardableResult
    public static func scanScalars(
        _ text: UnsafeBufferPointer<UInt8>,
        folding: Folding = .index,
        emit: (UInt32, UInt32, Int, Int) -> Bool
    ) -> Bool {
        let n = text.count
        guard n > 0, let p = text.baseAddress else { return true }

        // The pending character: the last word character seen, whose token
        // cannot be emitted until we know whether its run goes on.
        var hasPending = false
        var pendingScalar: UInt32 = 0
        var pendingStart = 0
        var pendingEnd = 0

        // Whether the scalar before the current one was a word character,
        // and whether the one before the pending character was: a pending
        // Han character with none on either side may be bridged to the next
        // across blanks (`SpacedLetters`).
        var previousWasWord = false
        var pendingStandsAlone = false

        var i = 0
        while i < n {
            let start = i
            let v = folding.fold(decode(p, n, &i))
            if CharacterClass.isWord(v) {
                if hasPending, !emit(pendingScalar, v, pendingStart, i) { return false }
                hasPending = true
                pendingScalar = v
                pendingStart = start
                pendingEnd = i
                pendingStandsAlone = !previousWasWord
                previousWasWord = true
            } else {
                previousWasWord = false
                guard hasPending else { continue }
                if pendingStandsAlone, SpacedLetters.isBlank(v), CharacterClass.isHan(pendingScalar),
                   let next = bridgedTo(p, n, from: i, folding: folding) {
                    // The run goes on across the gap, at the next character.
                    i = next
                    continue
                }
                // The run ended: its last character becomes a unigram now,
                // before anything else, or it would be lost.
                if !emit(pendingScalar, noScalar, pendingStart, pendingEnd) { return false }
                hasPending = false
            }
        }
        if hasPending, !emit(pendingScalar, noScalar, pendingStart, pendingEnd) { return false }
        return true
    }

    /// The scalar at `i` (U+FFFD for a stray or truncated sequence, which
    /// separates), `i` moved past it.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) -> UInt32 {
        let b0 = UInt32(p[i])
        if b0 < 0x80 {
            i += 1; return b0
        } else if b0 >= 0xC0 && b0 < 0xE0 && i + 1 < n {
            defer { i += 2 }
            return (b0 & 0x1F) << 6 | (UInt32(p[i + 1]) & 0x3F)
        } else if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
            defer { i += 3 }
            return (b0 & 0x0F) << 12 | (UInt32(p[i + 1]) & 0x3F) << 6 | (UInt32(p[i + 2]) & 0x3F)
        } else if b0 >= 0xF0 && i + 3 < n {
            defer { i += 4 }
            return (b0 & 0x07) << 18 | (UInt32(p[i + 1]) & 0x3F) << 12
                | (UInt32(p[i + 2]) & 0x3F) << 6 | (UInt32(p[i + 3]) & 0x3F)
        }
        i += 1
        return 0xFFFD
    }

    /// Where the character that a gap starting just before `i` bridges to
    /// begins, if the gap is bridged (`SpacedLetters`): the blank before `i`
    /// follows a Han character standing alone; blanks, then a Han character
    /// with no word character after it.
    static func bridgedTo(_ p: UnsafePointer<UInt8>, _ n: Int, from i: Int, folding: Folding) -> Int? {
        var j = i
        while j < n {
            let start = j
            let v = folding.fold(decode(p, n, &j))
            if SpacedLetters.isBlank(v) { continue }
            guard CharacterClass.isHan(v) else { return nil }
            if j < n {
                let after = folding.fold(decode(p, n, &j))
                if CharacterClass.isWord(after) { return nil }
            }
            return start
        }
        return nil
    }

    @inline(__always)
    package static func encode(_ v: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if v < 0x80 {
            out[0] = UInt8(v); return 1
        } else if v < 0x800 {
            out[0] = UInt8(0xC0 | (v >> 6)); out[1] = UInt8(0x80 | (v & 0x3F)); return 2
        } else if v < 0x10000 {
            out[0] = UInt8(0xE0 | (v >> 12)); out[1] = UInt8(0x80 | ((v >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (v & 0x3F)); return 3
        } else {
            out[0] = UInt8(0xF0 | (v >> 18)); out[1] = UInt8(0x80 | ((v >> 12) & 0x3F))
            out[2] = UInt8(0x80 | ((v >> 6) & 0x3F)); out[3] = UInt8(0x80 | (v & 0x3F)); return 4
        }
    }

    /// A token as a value, for tests and diagnostics.
    public struct Token: Equatable, Sendable, CustomStringConvertible {
        public var text: String
        public var start: Int
        public var end: Int
        public var description: String { "\(text)@\(start)..<\(end)" }
    }

    /// The tokens of `text`, as values. The index uses `scan` directly.
    public static func tokens(_ text: String, folding: Folding = .index) -> [Token] {
        var result: [Token] = []
        let utf8 = Array(text.utf8)
        _ = utf8.withUnsafeBufferPointer { buffer in
            scan(buffer, folding: folding) { token, start, end in
                result.append(Token(text: String(decoding: token, as: UTF8.self), start: start, end: end))
                return true
            }
        }
        return result
    }
}
