import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `rsearch-bench --pdf`: PDF extraction and OCR, whole process, against
/// poppler's and tesseract's own cost measured in the same run.
///
/// The PDFs are made once (in the work folder) by LibreOffice from the text
/// files of the first corpus folder given; the scans from their first pages
/// (`pdftoppm -r 150` + `img2pdf`). Figures: pages and MB per second for a
/// rebuild (both cores), against `pdftotext -bbox-layout` of every file on
/// two threads (the floor: rsearch runs it once per file); an
/// update with nothing changed, with the programs it started counted by
/// strace (none is the claim); OCR pages per second against tesseract run
/// on the same rendered pages on two threads; and a second `--ocr` with
/// nothing changed.
enum PDFBench {
    static func run(rsearch: String, source: URL, work: URL, runs: Int) throws -> String {
        let fm = FileManager.default
        let texts = try fm.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".txt") }.sorted()
            .map { source.appendingPathComponent($0) }
        guard !texts.isEmpty else { throw BenchError("no .txt files in \(source.path)") }
        let corpus = work.appendingPathComponent("pdf-corpus")
        if !fm.fileExists(atPath: corpus.path) {
            let making = work.appendingPathComponent("pdf-corpus.tmp")
            try? fm.removeItem(at: making)
            try fm.createDirectory(at: making, withIntermediateDirectories: true)
            let profile = work.appendingPathComponent("lo-profile")
            print("making \(texts.count) PDFs with LibreOffice …")
            try tool("soffice", ["-env:UserInstallation=file://" + profile.path, "--headless",
                                 "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "pdf", "--outdir", making.path]
                     + texts.map(\.path))
            try fm.moveItem(at: making, to: corpus)
        }
        let pdfs = try fm.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".pdf") }.sorted()
            .map { corpus.appendingPathComponent($0).path }
        let pages = try pdfs.reduce(0) { $0 + (try pageCount($1)) }
        let bytes = pdfs.reduce(0) { $0 + ((try? fm.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }

        // The floor: poppler's extraction alone, every file, two at a time.
        let floor = Measure.median((0..<runs).map { _ in
            let start = Measure.now()
            DispatchQueue.concurrentPerform(iterations: 2) { w in
                for i in stride(from: w, to: pdfs.count, by: 2) {
                    _ = Measure.run("/usr/bin/pdftotext", ["-bbox-layout", "-enc", "UTF-8", pdfs[i], "/dev/null"])
                }
            }
            return Measure.now() - start
        })
        let index = work.appendingPathComponent("pdf.sqlite").path
        let rebuild = Measure.median((0..<runs).map { _ in
            Measure.run(rsearch, ["index", "--rebuild", "-q", "--corpus", corpus.path, "--index", index]).seconds
        })
        let unchanged = Measure.median((0..<runs).map { _ in
            Measure.run(rsearch, ["index", "-q", "--corpus", corpus.path, "--index", index]).seconds
        })
        let started = programsStarted(rsearch, ["index", "-q", "--corpus", corpus.path, "--index", index], work: work)

        // OCR: scans of the first pages of the first PDFs.
        let scans = work.appendingPathComponent("scan-corpus")
        let ocrPages = 8
        if !fm.fileExists(atPath: scans.path) {
            let making = work.appendingPathComponent("scan-corpus.tmp")
            try? fm.removeItem(at: making)
            try fm.createDirectory(at: making, withIntermediateDirectories: true)
            for (n, pdf) in pdfs.prefix(2).enumerated() {
                var images: [String] = []
                for page in 1...(ocrPages / 2) {
                    let base = making.appendingPathComponent("s\(n)-\(page)").path
                    try tool("pdftoppm", ["-r", "150", "-gray", "-singlefile", "-f", "\(page)", "-l", "\(page)", "-png", pdf, base])
                    images.append(base + ".png")
                }
                try tool("img2pdf", images + ["-o", making.appendingPathComponent("scan\(n).pdf").path])
                for image in images { try? fm.removeItem(atPath: image) }
            }
            try fm.moveItem(at: making, to: scans)
        }
        let scanIndex = work.appendingPathComponent("scan.sqlite").path
        let cache = scanIndex + ".ocr"
        // tesseract alone on the same pages, rendered as rsearch renders them, two at a time.
        let rendered = work.appendingPathComponent("scan-pages")
        try? fm.removeItem(at: rendered)
        try fm.createDirectory(at: rendered, withIntermediateDirectories: true)
        var images: [String] = []
        for n in 0..<2 {
            for page in 1...(ocrPages / 2) {
                let base = rendered.appendingPathComponent("r\(n)-\(page)").path
                try tool("pdftoppm", ["-r", "150", "-gray", "-singlefile", "-f", "\(page)", "-l", "\(page)", "-png",
                                      scans.appendingPathComponent("scan\(n).pdf").path, base])
                images.append(base + ".png")
            }
        }
        setenv("OMP_THREAD_LIMIT", "1", 1)
        let pageImages = images
        let tesseractAlone = Measure.median((0..<runs).map { _ in
            let start = Measure.now()
            DispatchQueue.concurrentPerform(iterations: 2) { w in
                for i in stride(from: w, to: pageImages.count, by: 2) {
                    _ = Measure.run("/usr/bin/tesseract", [pageImages[i], "/dev/null", "-l", "chi_sim", "--psm", "3", "tsv"])
                }
            }
            return Measure.now() - start
        })
        let ocr = Measure.median((0..<runs).map { _ in
            try? fm.removeItem(atPath: cache)
            return Measure.run(rsearch, ["index", "--rebuild", "--ocr", "-q", "--corpus", scans.path, "--index", scanIndex]).seconds
        })
        let ocrUnchanged = Measure.median((0..<runs).map { _ in
            Measure.run(rsearch, ["index", "--ocr", "-q", "--corpus", scans.path, "--index", scanIndex]).seconds
        })
        let ocrRebuildCached = Measure.median((0..<runs).map { _ in
            Measure.run(rsearch, ["index", "--rebuild", "--ocr", "-q", "--corpus", scans.path, "--index", scanIndex]).seconds
        })

        // Word 97 files of the same reports, converted by rsearch (LibreOffice
        // to .docx, two processes), against one soffice converting them all.
        let docs = work.appendingPathComponent("doc-corpus")
        if !fm.fileExists(atPath: docs.path) {
            let making = work.appendingPathComponent("doc-corpus.tmp")
            try? fm.removeItem(at: making)
            try fm.createDirectory(at: making, withIntermediateDirectories: true)
            print("making \(texts.count) .doc files with LibreOffice …")
            try tool("soffice", ["-env:UserInstallation=file://" + work.appendingPathComponent("lo-profile").path, "--headless",
                                 "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "doc", "--outdir", making.path]
                     + texts.map(\.path))
            try fm.moveItem(at: making, to: docs)
        }
        let docFiles = try fm.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".doc") }.map { docs.appendingPathComponent($0).path }
        let docBytes = docFiles.reduce(0) { $0 + ((try? fm.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        let docIndex = work.appendingPathComponent("doc.sqlite").path
        let sofficeAlone = Measure.median((0..<runs).map { _ in
            let out = work.appendingPathComponent("doc-out")
            try? fm.removeItem(at: out)
            let start = Measure.now()
            _ = Measure.run("/usr/bin/soffice", ["-env:UserInstallation=file://" + work.appendingPathComponent("lo-profile").path,
                                                 "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", out.path] + docFiles)
            return Measure.now() - start
        })
        let converting = Measure.median((0..<runs).map { _ in
            try? fm.removeItem(atPath: docIndex + ".converted")
            return Measure.run(rsearch, ["index", "--rebuild", "-q", "--corpus", docs.path, "--index", docIndex]).seconds
        })
        let convertedRebuild = Measure.median((0..<runs).map { _ in
            Measure.run(rsearch, ["index", "--rebuild", "-q", "--corpus", docs.path, "--index", docIndex]).seconds
        })
        let docUnchanged = Measure.median((0..<runs).map { _ in
            Measure.run(rsearch, ["index", "-q", "--corpus", docs.path, "--index", docIndex]).seconds
        })
        let docStarted = programsStarted(rsearch, ["index", "-q", "--corpus", docs.path, "--index", docIndex], work: work)

        func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
        let mb = Double(bytes) / 1e6
        let docMB = Double(docBytes) / 1e6
        return """
            PDF corpus: \(pdfs.count) PDFs made by LibreOffice from \(source.lastPathComponent), \(pages) pages, \(f(mb, 1)) MB; \
            medians of \(runs) runs, whole process, 2 cores.

            | measure | rsearch | baseline (same run) | ratio |
            |---|---|---|---|
            | rebuild: extraction, parsing, index | \(f(rebuild)) s, \(f(Double(pages) / rebuild, 0)) pages/s, \(f(mb / rebuild)) MB/s | `pdftotext -bbox-layout` alone, 2 at a time: \(f(floor)) s, \(f(Double(pages) / floor, 0)) pages/s | \(f(rebuild / floor)) |
            | update, nothing changed | \(f(unchanged * 1000, 0)) ms; programs started: \(started) | | |
            | OCR: rebuild `--ocr`, empty cache (\(ocrPages) scanned pages, 150 dpi) | \(f(ocr)) s, \(f(Double(ocrPages) / ocr)) pages/s | tesseract alone on the rendered pages, 2 at a time: \(f(tesseractAlone)) s, \(f(Double(ocrPages) / tesseractAlone)) pages/s | \(f(ocr / tesseractAlone)) |
            | `--ocr` again, nothing changed | \(f(ocrUnchanged * 1000, 0)) ms | | |
            | rebuild `--ocr`, pages in the cache | \(f(ocrRebuildCached * 1000, 0)) ms | | |

            Word 97: \(docFiles.count) .doc files made by LibreOffice from the same texts, \(f(docMB, 1)) MB.

            | measure | rsearch | baseline (same run) | ratio |
            |---|---|---|---|
            | rebuild, empty conversion cache | \(f(converting)) s, \(f(Double(docFiles.count) / converting, 1)) files/s, \(f(docMB / converting)) MB/s | one `soffice --convert-to docx` of all of them: \(f(sofficeAlone)) s, \(f(Double(docFiles.count) / sofficeAlone, 1)) files/s | \(f(converting / sofficeAlone)) |
            | rebuild, conversions cached | \(f(convertedRebuild * 1000, 0)) ms | | |
            | update, nothing changed | \(f(docUnchanged * 1000, 0)) ms; programs started: \(docStarted) | | |
            """
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func tool(_ name: String, _ arguments: [String]) throws {
        let path = "/usr/bin/" + name
        let result = Measure.run(path, arguments)
        guard result.status == 0 else { throw BenchError("\(name) failed (\(result.status)); apt-get install the package") }
    }

    static func pageCount(_ pdf: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdfinfo")
        process.arguments = [pdf]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return line.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// The programs a run of rsearch starts (execve calls after its own), by strace.
    static func programsStarted(_ rsearch: String, _ arguments: [String], work: URL) -> String {
        let log = work.appendingPathComponent("strace-execve.log").path
        let traced = Measure.run("/usr/bin/strace", ["-f", "-qq", "-e", "trace=execve", "-o", log, rsearch] + arguments)
        guard traced.status == 0, let text = try? String(contentsOfFile: log, encoding: .utf8) else { return "(strace unavailable)" }
        let calls = text.split(separator: "\n").filter { $0.contains("execve(") }.count
        return String(max(calls - 1, 0))
    }
}
