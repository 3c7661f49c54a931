import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Word 97 (.doc), Kingsoft Writer (.wps, the Word binary format with
/// extensions), RTF and ODT, turned into .docx by LibreOffice headless, so
/// that the .docx reader (`WordDocument`) keeps Word's heading styles as
/// headings.
///
/// Why LibreOffice: it is the one maintained converter that reads all four
/// (and a .wps by its content, which is Word's); antiword and catdoc read
/// only .doc, are unmaintained, and lose or garble Chinese text outside
/// their code-page tables.
///
/// Conversions run before a build loads its files (`prepare`), in batches:
/// one `soffice` process converts many files, two processes at a time (one
/// per core), each with a private profile folder, so that none clashes with
/// another or with a user's running LibreOffice. The files a batch left
/// without a result (it ran past its time limit, or stopped at a file that
/// crashed it) are tried again one at a time, each with `timeLimit`. Each
/// result is kept by the file's content hash (`<index>.converted/`), so an
/// unchanged file is never converted twice, not by an update, not by a
/// rebuild, not after a rename.
package struct OfficeConverter: Sendable {
    /// File endings converted.
    package static let formats: Set<String> = ["doc", "wps", "rtf", "odt"]

    var soffice: ExternalProgram? = Self.onPath
    package var cache: URL?
    /// Seconds one file's conversion may take.
    package var timeLimit: Double = 60

    static let onPath: ExternalProgram? = .find("soffice") ?? .find("libreoffice")

    package static let missing = "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"

    package init() {}

    /// The .docx made from a file with this content hash, if there is one.
    package func converted(hash: String) -> Data? {
        guard let cache else { return nil }
        return try? Data(contentsOf: cache.appendingPathComponent(hash + ".docx"), options: .mappedIfSafe)
    }

    /// Converts the files whose content hash has no .docx in the cache yet.
    /// Returns the reason for each file that could not be converted, by path.
    package func prepare(_ files: [(file: CorpusFile, hash: String)]) -> [String: String] {
        // One conversion per content: a .doc and its copy as .wps share it.
        var seen = Set<String>()
        let missing = files.filter { converted(hash: $0.hash) == nil }
        let wanted = missing.filter { seen.insert($0.hash).inserted }
        guard !wanted.isEmpty else { return [:] }
        guard let soffice, let cache else {
            return Dictionary(wanted.map { ($0.file.path, Self.missing) }, uniquingKeysWith: { a, _ in a })
        }
        try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        // Two batches (one per core), each converted by one process; what a
        // batch left undone is tried file by file.
        let batches = (0..<2).map { w in stride(from: w, to: wanted.count, by: 2).map { wanted[$0] } }
        let failures = Locked([String: String]())
        DispatchQueue.concurrentPerform(iterations: batches.count) { w in
            let batch = batches[w]
            guard !batch.isEmpty else { return }
            var run = convert(batch, with: soffice, into: cache, timeLimit: timeLimit * Double(batch.count))
            var timedOut = Set(run.timedOut ? run.undone.map(\.file.path) : [])
            if batch.count > 1 {
                timedOut = []
                for item in run.undone {
                    run = convert([item], with: soffice, into: cache, timeLimit: timeLimit)
                    if run.timedOut { timedOut.insert(item.file.path) }
                }
            }
            for item in batch where converted(hash: item.hash) == nil {
                failures.withLock {
                    $0[item.file.path] = timedOut.contains(item.file.path) ? "conversion timed out after \(Int(timeLimit)) s"
                        : "LibreOffice could not convert it (damaged, or not a document of its kind)"
                }
            }
        }
        let failed = failures.withLock { $0 }
        let reasonByHash = Dictionary(wanted.compactMap { item in failed[item.file.path].map { (item.hash, $0) } },
                                      uniquingKeysWith: { a, _ in a })
        return Dictionary(missing.compactMap { item in reasonByHash[item.hash].map { (item.file.path, $0) } },
                          uniquingKeysWith: { a, _ in a })
    }

    /// Runs one `soffice --convert-to docx` over `batch`, each file linked
    /// into a scratch folder under a numbered name (two files of one name
    /// in different folders must not meet in the output folder). Returns the
    /// files it left without a result, and whether it ran out of time.
    private func convert(_ batch: [(file: CorpusFile, hash: String)], with soffice: ExternalProgram, into cache: URL,
                         timeLimit: Double) -> (undone: [(file: CorpusFile, hash: String)], timedOut: Bool) {
        guard let scratch = try? ExternalProgram.Scratch() else { return (batch, false) }
        defer { scratch.remove() }
        let input = scratch.url.appendingPathComponent("in")
        let output = scratch.url.appendingPathComponent("out")
        let profile = scratch.url.appendingPathComponent("profile")
        for folder in [input, output, profile] {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        var names: [String] = []
        for (n, item) in batch.enumerated() {
            let name = "\(n).\(item.file.url.pathExtension.lowercased())"
            symlink(item.file.fullPath, input.appendingPathComponent(name).path)
            names.append(name)
        }
        var timedOut = false
        do {
            _ = try soffice.run(["-env:UserInstallation=file://" + profile.path, "--headless", "--norestore",
                                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", output.path]
                                + names.map { input.appendingPathComponent($0).path },
                                timeLimit: timeLimit, maxOutput: 16 << 20)
        } catch ExternalProgram.Failure.timedOut {
            timedOut = true
        } catch {
            // A failed run converts nothing more; the files without a result are named.
        }
        var undone: [(file: CorpusFile, hash: String)] = []
        for (n, item) in batch.enumerated() {
            let made = output.appendingPathComponent("\(n).docx")
            if FileManager.default.fileExists(atPath: made.path) {
                let kept = cache.appendingPathComponent(item.hash + ".docx")
                let temporary = cache.appendingPathComponent(".\(item.hash).\(getpid()).\(n)")
                if (try? FileManager.default.copyItem(at: made, to: temporary)) != nil {
                    if rename(temporary.path, kept.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
                }
            } else {
                undone.append(item)
            }
        }
        return (undone, timedOut)
    }
}
