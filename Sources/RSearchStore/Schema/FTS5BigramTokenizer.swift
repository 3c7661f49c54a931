import GRDB
import RSearchText
import RSearchQuery

/// The bigram scheme as an FTS5 tokenizer, registered on every connection
/// (`IndexDatabase` does it in `prepareDatabase`).
///
/// Documents are tokenized by `BigramScanner`. Queries are not: rsearch
/// compiles every query term into its tokens in Swift (`MatchCompiler`) and
/// quotes each token separately, so in query mode the tokenizer hands the
/// quoted string back as one token. That keeps the query side exact (a
/// bigram is never re-split) and means MATCH never sees user text.
public final class FTS5BigramTokenizer: FTS5CustomTokenizer {
    public static let name = "rsearch_bigram"

    public init(db: Database, arguments: [String]) throws {}

    public func tokenize(
        context: UnsafeMutableRawPointer?,
        tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?,
        nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let pText, nText > 0 else { return 0 }
        if tokenization.contains(.query) {
            return tokenCallback(context, 0, pText, nText, 0, nText)
        }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pText).assumingMemoryBound(to: UInt8.self), count: Int(nText))
        var rc: CInt = 0
        BigramScanner.scan(bytes) { token, start, end in
            rc = token.baseAddress!.withMemoryRebound(to: CChar.self, capacity: token.count) {
                tokenCallback(context, 0, $0, CInt(token.count), CInt(start), CInt(end))
            }
            return rc == 0
        }
        return rc
    }
}
