import Foundation
import ZIPFoundation

/// An OFD file (GB/T 33190-2016, the national format for electronic
/// official documents): a ZIP of XML parts. `OFD.xml` names the document
/// (`DocBody/DocRoot`) and its `DocInfo` (title, author); the document's
/// `Document.xml` lists its pages (`Pages/Page@BaseLoc`) and the default
/// page size (`CommonData/PageArea/PhysicalBox`, in millimetres); each
/// page's `Content.xml` holds `TextObject`s (a `Boundary` box, a font
/// `Size`) whose `TextCode`s place text at `X`, `Y` (the baseline, relative
/// to the box) with `DeltaX` advances. Read with ZIPFoundation and
/// `XMLEvents`, like .docx; the text codes of a page are rebuilt into lines
/// by their baselines, and the pages into paragraphs as a PDF's are
/// (`PagedText`).
enum OFDDocument {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Contents {
        var pages: [PageLayout]
        var title: String?
        var author: String?
    }

    static func read(_ data: Data) throws -> Contents {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Failure(description: "not a valid .ofd (not a zip archive)")
        }
        func part(_ path: String) throws -> Data {
            let key = path.hasPrefix("/") ? String(path.dropFirst()) : path
            guard let entry = archive[key] else { throw Failure(description: "not a valid .ofd (no \(key))") }
            var xml = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { xml.append($0) }
            } catch {
                throw Failure(description: "not a valid .ofd (damaged archive)")
            }
            return xml
        }
        func scan(_ xml: Data, _ path: String, _ handle: (XMLEvents.Event) -> Void) throws {
            do { try XMLEvents.scan(xml, handle) } catch { throw Failure(description: "not a valid .ofd (malformed \(path))") }
        }

        // OFD.xml: the document's root and its DocInfo.
        var root: String?
        var title = ""
        var author = ""
        var text = ""
        try scan(try part("OFD.xml"), "OFD.xml") { event in
            switch event {
            case .start:
                text = ""
            case .text(let s):
                text += s
            case .end(let name):
                switch local(name) {
                case "DocRoot": if root == nil { root = text.trimmingBlanks() }
                case "Title": title = text.trimmingBlanks()
                case "Author": author = text.trimmingBlanks()
                default: break
                }
            }
        }
        guard let root, !root.isEmpty else { throw Failure(description: "not a valid .ofd (OFD.xml names no DocRoot)") }
        let folder = root.contains("/") ? String(root[..<root.lastIndex(of: "/")!]) : ""

        // Document.xml: the page size and the pages, in order.
        var pageBox = [0.0, 0.0, 210.0, 297.0]
        var pagePaths: [String] = []
        var inPageArea = false
        text = ""
        try scan(try part(root), root) { event in
            switch event {
            case .start(let name, let attributes):
                text = ""
                switch local(name) {
                case "PageArea": inPageArea = true
                case "Page": if let location = attributes["BaseLoc"] { pagePaths.append(location) }
                default: break
                }
            case .text(let s):
                text += s
            case .end(let name):
                switch local(name) {
                case "PageArea": inPageArea = false
                case "PhysicalBox" where inPageArea:
                    let box = numbers(text)
                    if box.count == 4 { pageBox = box }
                default: break
                }
            }
        }
        var pages: [PageLayout] = []
        for location in pagePaths {
            let path = location.hasPrefix("/") ? location : (folder.isEmpty ? location : folder + "/" + location)
            pages.append(try page(try part(path), path: path, box: pageBox, scan: scan))
        }
        return Contents(pages: pages, title: title.isEmpty ? nil : title, author: author.isEmpty ? nil : author)
    }

    /// One page's text codes as lines: codes on one baseline (within a
    /// third of the font size) make a line, left to right.
    static func page(_ xml: Data, path: String, box: [Double],
                     scan: (Data, String, (XMLEvents.Event) -> Void) throws -> Void) throws -> PageLayout {
        struct Run { var x: Double; var y: Double; var end: Double; var size: Double; var text: String }
        var runs: [Run] = []
        var boundary = [0.0, 0.0, 0.0, 0.0]
        var size = 3.5
        var code: (x: Double, y: Double, advances: [Double])?
        var text = ""
        var pageBox = box
        var inArea = false
        var areaText = ""
        try scan(xml, path) { event in
            switch event {
            case .start(let name, let attributes):
                switch local(name) {
                case "Area": inArea = true
                case "PhysicalBox" where inArea: areaText = ""
                case "TextObject":
                    boundary = numbers(attributes["Boundary"] ?? "")
                    if boundary.count != 4 { boundary = [0, 0, 0, 0] }
                    size = attributes["Size"].flatMap(Double.init) ?? 3.5
                case "TextCode":
                    code = (attributes["X"].flatMap(Double.init) ?? 0, attributes["Y"].flatMap(Double.init) ?? 0,
                            advances(attributes["DeltaX"] ?? ""))
                    text = ""
                default: break
                }
            case .text(let s):
                if code != nil { text += s } else if inArea { areaText += s }
            case .end(let name):
                switch local(name) {
                case "Area": inArea = false
                case "PhysicalBox" where inArea:
                    let found = numbers(areaText)
                    if found.count == 4 { pageBox = found }
                case "TextCode":
                    if let c = code, !text.isEmpty {
                        let x = boundary[0] + c.x
                        let count = text.unicodeScalars.count
                        let width = c.advances.prefix(max(count - 1, 0)).reduce(0, +) + size
                        runs.append(Run(x: x, y: boundary[1] + c.y, end: x + width, size: size, text: text))
                    }
                    code = nil
                default: break
                }
            }
        }
        runs.sort { $0.y < $1.y || ($0.y == $1.y && $0.x < $1.x) }
        var lines: [[Run]] = []
        for run in runs {
            if let last = lines.last?.last, abs(run.y - last.y) <= last.size / 3 {
                lines[lines.count - 1].append(run)
            } else {
                lines.append([run])
            }
        }
        let layoutLines = lines.map { line -> PageLayout.Line in
            let ordered = line.sorted { $0.x < $1.x }
            let size = ordered.map(\.size).max() ?? 3.5
            let y = ordered[0].y
            return PageLayout.Line(text: PageLayout.join(words: ordered.map(\.text)), xMin: ordered[0].x, yMin: y - size,
                                   xMax: ordered.map(\.end).max() ?? ordered[0].x, yMax: y)
        }
        return PageLayout(width: pageBox[2], height: pageBox[3], lines: layoutLines)
    }

    /// `DeltaX`: advances, where `g N D` stands for N advances of D.
    static func advances(_ text: String) -> [Double] {
        var values: [Double] = []
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })[...]
        while let token = tokens.first {
            tokens = tokens.dropFirst()
            if token == "g", tokens.count >= 2, let n = Int(tokens[tokens.startIndex]),
               let d = Double(tokens[tokens.index(after: tokens.startIndex)]) {
                values += Array(repeating: d, count: min(max(n, 0), 100_000))
                tokens = tokens.dropFirst(2)
            } else if let d = Double(token) {
                values.append(d)
            }
        }
        return values
    }

    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
    }

    /// A name without its namespace prefix (`ofd:Page` → `Page`).
    static func local(_ name: String) -> String {
        name.firstIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
    }
}
