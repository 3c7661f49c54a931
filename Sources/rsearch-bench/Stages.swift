import Foundation
import RSearchDocuments
import RSearchEngine
import RSearchQuery
import RSearchStore
import RSearchText

/// Where a build's time goes before FTS5: reading and decoding the files,
/// parsing them into sections, and running the tokenizer over the sections.
enum Stages {
    static func measure(_ roots: [URL]) throws {
        var files: [CorpusFile] = []
        for root in roots { files += try Corpus(root: root).files() }
        var t = Measure.now()
        var texts: [(String, String)] = []
        var bytes = 0
        for f in files {
            let data = try Data(contentsOf: f.url)
            bytes += data.count
            if let text = try? TextDecoding.decode(data).text { texts.append((f.url.lastPathComponent, text)) }
        }
        let read = Measure.now() - t
        t = Measure.now()
        var sections: [String] = []
        for (name, text) in texts {
            sections += ReportParser().parse(text, fileName: name).sections.map(\.text)
        }
        let parse = Measure.now() - t
        t = Measure.now()
        var tokens = 0
        var latinTokens = 0
        for text in sections {
            var utf8 = text
            utf8.withUTF8 { buffer in
                BigramScanner.scan(buffer) { token, _, _ in
                    tokens += 1
                    if token[0] < 0x80 { latinTokens += 1 }
                    return true
                }
            }
        }
        // What indexing Latin letters and digits as whole words would save:
        // one token per run of them instead of one per character.
        var latinWords = 0
        for text in sections {
            var inWord = false
            for v in text.unicodeScalars.map({ Folding.index.fold($0.value) }) {
                let latin = v < 0x80 && CharacterClass.isWord(v)
                if latin && !inWord { latinWords += 1 }
                inWord = latin
            }
        }
        let tokenize = Measure.now() - t
        let mb = Double(bytes) / 1e6
        print(String(format: "%d files, %.1f MB, %d sections, %d tokens", files.count, mb, sections.count, tokens))
        print(String(format: "tokens starting with a Latin letter or digit: %d (%.1f%% of all); as whole words they would be %d (%.1f%% fewer tokens overall)",
                     latinTokens, Double(latinTokens) * 100 / Double(max(tokens, 1)), latinWords,
                     Double(latinTokens - latinWords) * 100 / Double(max(tokens, 1))))
        print(String(format: "read+decode %.2f s (%.0f MB/s); parse %.2f s (%.0f MB/s); tokenize %.2f s (%.0f MB/s)",
                     read, mb / read, parse, mb / parse, tokenize, mb / tokenize))
    }
}
