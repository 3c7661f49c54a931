import Foundation

/// Reads a PDF through poppler's command-line tools (`poppler-utils`):
/// `pdftotext -bbox-layout` for every page, every line with its box and
/// the info title (one process per file, which is most of the cost of a
/// PDF: BENCHMARKS.md), `pdfimages -list` to tell a scanned page from a
/// blank one; and, for pages that are images of text, poppler's `pdftoppm`
/// and tesseract with its `chi_sim` model (`rsearch index --ocr`).
///
/// Why programs, not the library: poppler's C++ and GLib interfaces would
/// tie the rsearch binary to libpoppler's ABI and rule out the static build
/// (BENCHMARKS.md), and a PDF that crashes or hangs poppler would crash or
/// hang the build; a process is killed at its time limit and its memory
/// goes with it. `poppler-data` supplies the CMaps without which the
/// non-embedded fonts of the Adobe-GB1 collection (`STSong-Light`, common in
/// 公文) decode to nothing.
package struct PDFReader: Sendable {
    package struct Tools: Sendable {
        var pdftotext: ExternalProgram?
        var pdfimages: ExternalProgram?
        var pdftoppm: ExternalProgram?
        var tesseract: ExternalProgram?

        /// Found on the `PATH` once per process.
        package static let onPath = Tools(
            pdftotext: .find("pdftotext"), pdfimages: .find("pdfimages"),
            pdftoppm: .find("pdftoppm"), tesseract: .find("tesseract"))

        /// Whether tesseract has its simplified-Chinese model; asked once.
        static let hasChineseModel: Bool = {
            guard let tesseract = onPath.tesseract,
                  let out = try? tesseract.run(["--list-langs"], timeLimit: 20) else { return false }
            return String(decoding: out, as: UTF8.self).split(whereSeparator: \.isNewline).contains("chi_sim")
        }()
    }

    package enum Failure: Error, CustomStringConvertible, Equatable {
        case popplerMissing
        case encrypted
        case damaged(String)
        case failed(String)
        case noText
        /// Pages that are images of text, with no text layer to read.
        case needsOCR(pages: Int, of: Int)
        case ocrFailed(String)

        package var description: String {
            switch self {
            case .popplerMissing: "poppler is not installed (apt-get install poppler-utils poppler-data)"
            case .encrypted: "encrypted PDF (opening it needs a password)"
            case .damaged(let detail): "damaged PDF (\(detail))"
            case .failed(let detail): "PDF text extraction failed: \(detail)"
            case .noText: "no text (a PDF without a text layer or images)"
            case .needsOCR(let pages, let total):
                "\(Self.needsOCRPrefix) (\(pages) of \(total) pages are images of text): run rsearch index --ocr"
            case .ocrFailed(let detail): "OCR failed: \(detail)"
            }
        }

        /// How a skipped file's reason starts when it waits for `--ocr`.
        package static let needsOCRPrefix = "needs OCR"
    }

    /// What a PDF gave.
    package struct Extraction: Sendable {
        package var text: PagedText
        /// The info dictionary's title, when it reads like one.
        package var title: String?
        package var pageCount: Int
        /// Pages whose text came from recognition.
        package var recognised: Int
        /// Pages that are images of text and were not recognised.
        package var pending: Int
    }

    var tools = Tools.onPath
    /// Recognise pages that are images of text (`rsearch index --ocr`).
    package var ocr = false
    package var cache: OCRCache?
    /// Seconds each program may run for one file (tesseract: for one page).
    package var timeLimit: Double = 60
    /// The most layout text (`pdftotext -bbox-layout`'s XHTML, about three
    /// times the text) one PDF may give: about 3,500 pages of dense text.
    /// Parsed whole, so it bounds a build's memory (two files at a time).
    static let maxLayoutBytes = 64 << 20
    /// Called after each page recognised, from any thread.
    package var recognisedPage: (@Sendable () -> Void)?

    package init() {}

    package func read(path: String, hash: String) throws -> Extraction {
        guard let pdftotext = tools.pdftotext else { throw Failure.popplerMissing }
        let layouts: [PageLayout]
        let infoTitle: String
        do {
            let xhtml = try pdftotext.run(["-bbox-layout", "-enc", "UTF-8", path, "-"], timeLimit: timeLimit,
                                          maxOutput: Self.maxLayoutBytes)
            (layouts, infoTitle) = try PopplerLayout.read(xhtml)
        } catch let failure as ExternalProgram.Failure {
            throw Self.reading(failure)
        } catch {
            throw Failure.failed(String(describing: error))
        }
        var pages: [PageLayout?] = layouts
        let pageCount = layouts.count

        // Pages that are images of text: no text but an image, or text that
        // is mostly garbage (fonts without a Unicode map).
        let unread = pages.indices.filter { pages[$0].map(Self.lacksText) ?? true }
        var scanned: [Int] = []
        var resolutions: [Int: Int] = [:]
        if !unread.isEmpty {
            let garbage = unread.filter { pages[$0].map(Self.isGarbage) ?? false }
            resolutions = imagePages(path)
            scanned = unread.filter { resolutions[$0 + 1] != nil || garbage.contains($0) }
        }
        for i in scanned { pages[i] = nil }
        var recognised = 0
        var pending = scanned.count
        if !scanned.isEmpty {
            var found = cache?.pages(hash: hash) ?? [:]
            let missing = scanned.filter { found[$0 + 1] == nil }
            // Without tesseract, a PDF with text pages keeps them and its
            // scanned pages wait; one with none is named with the package.
            let textPages = pages.contains { $0.map { !Self.lacksText($0) } ?? false }
            if !missing.isEmpty && ocr && (Self.canRecognise(tools) || !textPages) {
                found.merge(try recognise(path, pages: missing.map { ($0 + 1, resolutions[$0 + 1] ?? 300) })) { old, _ in old }
                cache?.store(found, hash: hash)
            }
            for i in scanned {
                guard let page = found[i + 1] else { continue }
                pages[i] = page
                recognised += 1
                pending -= 1
            }
        }
        let text = PagedText(pages)
        if text.lines.isEmpty {
            if pending > 0 { throw Failure.needsOCR(pages: pending, of: pageCount) }
            throw Failure.noText
        }
        return Extraction(text: text, title: Self.usableTitle(infoTitle), pageCount: pageCount,
                          recognised: recognised, pending: pending)
    }

    /// Fewer than ten characters: a blank page, a cover with a word or two,
    /// or a scan (which `imagePages` tells apart).
    static func lacksText(_ page: PageLayout) -> Bool {
        var count = 0
        for line in page.lines where count < 10 { count += line.text.unicodeScalars.count { !$0.isBlank } }
        return count < 10 || isGarbage(page)
    }

    /// More than a third of its characters are U+FFFD, control or
    /// private-use characters, or `(cid:…)` names: what an extractor gives
    /// for a font it has no Unicode map for.
    static func isGarbage(_ page: PageLayout) -> Bool {
        var total = 0
        var bad = 0
        for line in page.lines {
            if line.text.contains("(cid:") { bad += line.text.count; total += line.text.count; continue }
            for c in line.text.unicodeScalars where !c.isBlank {
                total += 1
                if c.value == 0xFFFD || c.value < 0x20 || (0xE000...0xF8FF).contains(c.value) { bad += 1 }
            }
        }
        return total > 0 && bad * 3 > total
    }

    /// The 1-based pages that hold an image of at least 200 × 200 pixels,
    /// with the image's resolution (the largest image's, in dpi).
    func imagePages(_ path: String) -> [Int: Int] {
        guard let pdfimages = tools.pdfimages,
              let out = try? pdfimages.run(["-list", path], timeLimit: timeLimit, maxOutput: 16 << 20) else { return [:] }
        var pages: [Int: (pixels: Int, dpi: Int)] = [:]
        for row in String(decoding: out, as: UTF8.self).split(whereSeparator: \.isNewline).dropFirst(2) {
            let columns = row.split(separator: " ")
            guard columns.count > 12, let page = Int(columns[0]), let width = Int(columns[3]), let height = Int(columns[4]),
                  width >= 200 && height >= 200 else { continue }
            let dpi = Int(columns[12]) ?? 300
            if width * height > pages[page]?.pixels ?? 0 { pages[page] = (width * height, dpi) }
        }
        return pages.mapValues(\.dpi)
    }

    static func canRecognise(_ tools: Tools) -> Bool {
        tools.pdftoppm != nil && tools.tesseract != nil && Tools.hasChineseModel
    }

    /// Renders each page and recognises it, on every core; a page's failure
    /// fails the file (nothing of it is cached). A scanned page is rendered
    /// at its image's own resolution: resampled to 300 dpi, a 150 dpi scan
    /// lost a third of its 党 to 澡 and 沈 (tesseract 5, chi_sim).
    func recognise(_ path: String, pages: [(page: Int, dpi: Int)]) throws -> [Int: PageLayout] {
        guard let pdftoppm = tools.pdftoppm, let tesseract = tools.tesseract, Tools.hasChineseModel else {
            throw Failure.ocrFailed("tesseract with its chi_sim model is not installed (apt-get install tesseract-ocr-chi-sim)")
        }
        let results = Locked([Int: Result<PageLayout, Error>]())
        DispatchQueue.concurrentPerform(iterations: pages.count) { i in
            let (page, dpi) = pages[i]
            let resolution = String(min(max(dpi, 100), 600))
            let result = Result<PageLayout, Error> {
                let scratch = try ExternalProgram.Scratch()
                defer { scratch.remove() }
                let image = scratch.url.appendingPathComponent("page").path
                _ = try pdftoppm.run(["-r", resolution, "-gray", "-singlefile", "-f", "\(page)", "-l", "\(page)", "-png",
                                      path, image], timeLimit: timeLimit)
                // One thread per tesseract: the pages are the parallelism.
                let tsv = try tesseract.run([image + ".png", "stdout", "-l", "chi_sim", "--psm", "3", "tsv"],
                                            timeLimit: 2 * timeLimit, environment: ["OMP_THREAD_LIMIT": "1"])
                return TesseractLayout.page(fromTSV: String(decoding: tsv, as: UTF8.self))
            }
            results.withLock { $0[page] = result }
            recognisedPage?()
        }
        var pagesFound: [Int: PageLayout] = [:]
        for (page, result) in results.withLock({ $0 }) {
            switch result {
            case .success(let layout): pagesFound[page] = layout
            case .failure(let error): throw Failure.ocrFailed("page \(page): \(error)")
            }
        }
        return pagesFound
    }

    /// An info title that names the document, not the program or the file
    /// it was made from (`Microsoft Word - 报告.doc`, `untitled`, `1.docx`).
    static func usableTitle(_ title: String) -> String? {
        var t = title.trimmingBlanks()
        if t.hasPrefix("Microsoft Word - ") { t = String(t.dropFirst("Microsoft Word - ".count)) }
        for ending in [".docx", ".doc", ".wps", ".pdf", ".txt", ".rtf"] where t.lowercased().hasSuffix(ending) {
            t = String(t.dropLast(ending.count))
        }
        guard t.unicodeScalars.contains(where: { $0.value >= 0x4E00 && $0.value <= 0x9FFF }) else { return nil }
        return t
    }

    static func reading(_ failure: ExternalProgram.Failure) -> Failure {
        switch failure {
        case .failed(_, let message) where message.contains("Incorrect password"): .encrypted
        case .failed(_, let message):
            .damaged(message.replacingOccurrences(of: "Syntax Error: ", with: "").lowercased())
        default: .failed(failure.description)
        }
    }
}

/// A value shared between threads, behind a lock.
package final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    package init(_ value: Value) { self.value = value }

    package func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
