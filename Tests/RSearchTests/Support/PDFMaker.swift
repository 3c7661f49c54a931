import Foundation
import Testing
@testable import RSearchDocuments

/// PDFs made at test time from the shipped reports, by the producers the
/// field uses: LibreOffice (embedded fonts), reportlab with the
/// non-embedded Adobe-GB1 CID font `STSong-Light` and a 公文's page
/// furniture (a running header, `- N -` page numbers, indented paragraphs),
/// and a scan (pages rendered by poppler's `pdftoppm`, wrapped as images by
/// `img2pdf`). None is downloaded.
///
/// A test that needs a missing tool is skipped saying which; with
/// `RSEARCH_REQUIRE_TOOLS=1` (set by `.ci/run`, which installs them all) it
/// fails instead, so that CI never skips.
enum PDFMaker {
    static let python = "/usr/bin/python3"

    /// The running header the reportlab producer puts on every page: text no
    /// shipped report holds.
    static let runningHeader = "某某局机关党委文件（内部资料）"

    static let hasReportLab: Bool = (try? run(python, ["-c", "import reportlab"])) != nil
    static let hasPoppler = PDFReader.Tools.onPath.pdftotext != nil && PDFReader.Tools.onPath.pdftoppm != nil
    static let soffice = ExternalProgram.find("soffice")
    static let img2pdf = ExternalProgram.find("img2pdf")
    static let hasOCR = PDFReader.Tools.onPath.tesseract != nil && PDFReader.Tools.hasChineseModel

    static var required: Bool { ProcessInfo.processInfo.environment["RSEARCH_REQUIRE_TOOLS"] == "1" }

    /// Nil when every tool is there; else what to install. Under
    /// `RSEARCH_REQUIRE_TOOLS=1`, a missing tool is a failure here.
    static func missing(poppler: Bool = true, reportlab: Bool = false, libreOffice: Bool = false,
                        scan: Bool = false, ocr: Bool = false) -> String? {
        var missing: [String] = []
        if poppler && !hasPoppler { missing.append("poppler-utils") }
        if reportlab && !hasReportLab { missing.append("python3-reportlab") }
        if libreOffice && soffice == nil { missing.append("libreoffice-writer-nogui") }
        if scan && img2pdf == nil { missing.append("img2pdf") }
        if ocr && !hasOCR { missing.append("tesseract-ocr-chi-sim") }
        guard !missing.isEmpty else { return nil }
        return "needs \(missing.joined(separator: ", ")) (apt-get install \(missing.joined(separator: " ")))"
    }

    /// Records a skip (or, in CI, a failure) and returns true when a tool is missing.
    static func skipped(_ reason: String?) -> Bool {
        guard let reason else { return false }
        if required { Issue.record("required tool missing: \(reason)") } else { print("skipped: \(reason)") }
        return true
    }

    @discardableResult
    static func run(_ program: String, _ arguments: [String], timeLimit: Double = 300) throws -> Data {
        try ExternalProgram(name: program, path: program).run(arguments, timeLimit: timeLimit)
    }

    struct Options {
        var bold = false
        /// Opening it needs this password.
        var password: String?
        /// The info dictionary's title.
        var title: String?
        /// This many pages with nothing on them, instead of the text.
        var blankPages: Int?
    }

    /// A PDF of `text` (one paragraph per line) by reportlab: A4, 16 pt
    /// STSong-Light, lines filled to the text width, paragraphs indented
    /// two characters, the running header above and `- N -` below.
    static func reportlab(text: URL, to pdf: URL, _ options: Options = Options()) throws {
        let script = pdf.deletingPathExtension().appendingPathExtension("py")
        try reportlabScript.write(to: script, atomically: true, encoding: .utf8)
        let arguments = [script.path, text.path, pdf.path, runningHeader, options.bold ? "1" : "0",
                         options.password ?? "", options.title ?? "", String(options.blankPages ?? 0)]
        try run(python, arguments)
    }

    private static let reportlabScript = #"""
        import sys
        from reportlab.pdfgen import canvas
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.lib.pagesizes import A4
        from reportlab.lib import pdfencrypt
        src, out, header, bold, password, title, blank = sys.argv[1:8]
        pdfmetrics.registerFont(UnicodeCIDFont('STSong-Light'))
        W, H = A4
        encrypt = pdfencrypt.StandardEncryption(password, ownerPassword='owner') if password else None
        c = canvas.Canvas(out, pagesize=A4, encrypt=encrypt)
        if title:
            c.setTitle(title)
        size, left, right, top, bottom = 16, 72, W - 72, H - 100, 90
        page = [1]
        def furniture():
            c.setFont('STSong-Light', 10)
            c.drawCentredString(W / 2, H - 50, header)
            c.drawCentredString(W / 2, 45, '- %d -' % page[0])
            c.setFont('STSong-Light', size)
        if int(blank):
            for i in range(int(blank)):
                c.showPage()
            c.save()
            sys.exit(0)
        y = [top]
        furniture()
        def draw(s, x):
            if y[0] < bottom:
                c.showPage(); page[0] += 1; furniture(); y[0] = top
            c.drawString(x, y[0], s)
            if bold == '1':
                c.drawString(x + 0.4, y[0], s)
            y[0] -= size * 1.5
        for para in open(src, encoding='utf-8').read().split('\n'):
            para = para.strip()
            if not para:
                continue
            x = left + 2 * size
            line = ''
            for ch in para:
                if pdfmetrics.stringWidth(line + ch, 'STSong-Light', size) > right - x:
                    draw(line, x); x = left; line = ''
                line += ch
            draw(line, x)
        c.save()
        """#

    /// PDFs of text files by LibreOffice, one process for all of them, with
    /// a private profile (never a user's running LibreOffice).
    static func libreOffice(_ texts: [URL], into folder: URL) throws {
        try libreOffice(texts, to: "pdf", into: folder)
    }

    /// Files converted by LibreOffice to `format` (`doc`, `odt`, `rtf`,
    /// `docx`, `pdf` …), one process for all of them; text files are read
    /// as UTF-8, one paragraph per line.
    static func libreOffice(_ files: [URL], to format: String, into folder: URL) throws {
        let soffice = try #require(soffice)
        let profile = Fixtures.temporaryDirectory("rsearch-lo-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let text = files.allSatisfy { $0.pathExtension == "txt" }
        _ = try soffice.run(["-env:UserInstallation=file://" + profile.path, "--headless"]
                            + (text ? ["--infilter=Text (encoded):UTF8,LF,,,"] : [])
                            + ["--convert-to", format, "--outdir", folder.path] + files.map(\.path), timeLimit: 300)
    }

    /// A flat OpenDocument text (.fodt) of `paragraphs`: those with a level
    /// are headings of that outline level (LibreOffice's Heading N styles,
    /// Word's Heading N when saved as .doc or .docx).
    static func flatODT(_ paragraphs: [(level: Int?, text: String)]) -> String {
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        let body = paragraphs.map { p in
            p.level.map { #"<text:h text:style-name="Heading_20_\#($0)" text:outline-level="\#($0)">\#(escaped(p.text))</text:h>"# }
                ?? "<text:p>\(escaped(p.text))</text:p>"
        }.joined(separator: "\n")
        return #"""
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
              xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
              xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
              office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
            <office:styles>
            <style:style style:name="Heading" style:family="paragraph" style:class="text"/>
            <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
              style:parent-style-name="Heading" style:default-outline-level="1" style:class="text"/>
            <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
              style:parent-style-name="Heading" style:default-outline-level="2" style:class="text"/>
            </office:styles>
            <office:body><office:text>
            \#(body)
            </office:text></office:body></office:document>
            """#
    }

    /// A scan of `pdf`'s pages: each rendered at 150 dpi, the images made
    /// into a PDF with no text layer.
    static func scan(_ pdf: URL, pages: ClosedRange<Int>, to output: URL) throws {
        let pdftoppm = try #require(PDFReader.Tools.onPath.pdftoppm)
        let img2pdf = try #require(img2pdf)
        let folder = Fixtures.temporaryDirectory("rsearch-scan")
        defer { try? FileManager.default.removeItem(at: folder) }
        var images: [String] = []
        for page in pages {
            let base = folder.appendingPathComponent("p\(page)").path
            _ = try pdftoppm.run(["-r", "150", "-gray", "-singlefile", "-f", "\(page)", "-l", "\(page)", "-png", pdf.path, base],
                                 timeLimit: 120)
            images.append(base + ".png")
        }
        _ = try img2pdf.run(images + ["-o", output.path], timeLimit: 120)
    }

    /// Poppler's own text of one page (`pdftotext -f N -l N`), the truth a
    /// page number is checked against.
    static func popplerText(_ pdf: URL, page: Int) throws -> String {
        let pdftotext = try #require(PDFReader.Tools.onPath.pdftotext)
        return String(decoding: try pdftotext.run(["-enc", "UTF-8", "-f", "\(page)", "-l", "\(page)", pdf.path, "-"],
                                                  timeLimit: 60), as: UTF8.self)
    }
}
