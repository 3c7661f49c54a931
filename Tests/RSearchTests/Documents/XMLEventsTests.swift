import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import RSearchDocuments

/// `XMLEvents` replaces Foundation's XMLParser for .docx bodies; XMLParser
/// (libxml2) is the independent truth it is compared with, here in the test
/// binary only.
@Suite struct XMLEventsTests {
    final class Recorder: NSObject, XMLParserDelegate {
        var events: [XMLEvents.Event] = []
        private var text = ""

        private func flush() {
            if !text.isEmpty { events.append(.text(text)) }
            text = ""
        }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            flush()
            events.append(.start(name, attributes: attributes))
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            flush()
            events.append(.end(name))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }
    }

    static func libxml(_ xml: String) -> [XMLEvents.Event]? {
        let recorder = Recorder()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = recorder
        return parser.parse() ? recorder.events : nil
    }

    /// Ours, with adjacent text pieces merged as XMLParser's are here.
    static func ours(_ xml: String) -> [XMLEvents.Event]? {
        var events: [XMLEvents.Event] = []
        do {
            try XMLEvents.scan(Data(xml.utf8)) { event in
                if case .text(let more) = event, case .text(let text)? = events.last {
                    events[events.count - 1] = .text(text + more)
                } else if case .text(let text) = event, text.isEmpty {
                } else {
                    events.append(event)
                }
            }
        } catch {
            return nil
        }
        return events
    }

    /// Random Word-like documents: nested elements with prefixed names,
    /// attributes in either quote, text with CJK, entities and character
    /// references, CDATA, comments, empty-element tags.
    static func document(_ rng: inout SeededGenerator) -> String {
        let names = ["w:p", "w:r", "w:t", "w:pPr", "w:pStyle", "w:tab", "w:br", "w:body"]
        let texts = ["意识形态", "A&amp;B", "&lt;x&gt;", "&#20013;&#x6587;", "tab\there", "行\r\n尾\r", "&#9;&#10;", " 空 格 ", "&quot;引&apos;", "1 < 2".replacingOccurrences(of: "<", with: "&lt;")]
        func element(_ depth: Int, _ rng: inout SeededGenerator) -> String {
            let name = names.randomElement(using: &rng)!
            var attributes = ""
            for n in 0..<Int.random(in: 0...2, using: &rng) {
                let quote = Bool.random(using: &rng) ? "\"" : "'"
                attributes += " w:a\(n)=\(quote)\(texts.randomElement(using: &rng)!.replacingOccurrences(of: quote, with: ""))\(quote)"
            }
            if depth > 3 || Int.random(in: 0..<4, using: &rng) == 0 { return "<\(name)\(attributes)/>" }
            var body = ""
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: body += texts.randomElement(using: &rng)!
                case 1: body += "<![CDATA[<不是标签> & 也不是实体]]>"
                case 2: body += "<!-- 注释 -->"
                default: body += element(depth + 1, &rng)
                }
            }
            return "<\(name)\(attributes)>\(body)</\(name)>"
        }
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n" + element(0, &rng)
    }

    @Test func agreesWithLibxml2OnGeneratedDocuments() throws {
        var rng = SeededGenerator(seed: 20261129)
        for _ in 0..<500 {
            let xml = Self.document(&rng)
            let expected = try #require(Self.libxml(xml), "libxml2 accepts \(xml)")
            #expect(Self.ours(xml) == expected, "\(xml)")
        }
    }

    @Test func rejectsWhatIsNotWellFormed() {
        for xml in ["", "just text", "<a>", "<a></b>", "<a><b></a></b>", "<a>&nope;</a>", "<a>&amp</a>",
                    "<a b=c/>", "<a b/>", "<a><!-- open </a>", "<a><![CDATA[ open</a>", "<a/><b/>", "<a",
                    "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"] {
            #expect(Self.ours(xml) == nil, "\(xml)")
        }
    }
}
