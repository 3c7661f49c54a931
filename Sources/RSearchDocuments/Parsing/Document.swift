
/// A report: what a file is, as opposed to what it says.
public struct ReportMetadata: Codable, Sendable, Equatable {
    /// The report's own title, or the file name when it states none.
    public var title: String
    public var year: Int?
    /// ISO `yyyy-mm-dd`, when the text states a full date.
    public var date: String?
    /// The genre the title ends with: 述职报告, 政府工作报告, 通知, 条例, 法 …
    public var kind: String?
    /// The speaker or the role in the title (`国务院总理 李强`, `局机关党委书记`).
    public var author: String?
    public var unit: String?
    /// ISO `yyyy-mm-dd` of a law's first version (the first line of its
    /// history), where `date` is its own version's.
    public var enacted: String?

    public init(title: String, year: Int? = nil, date: String? = nil, kind: String? = nil,
                author: String? = nil, unit: String? = nil, enacted: String? = nil) {
        self.title = title
        self.year = year
        self.date = date
        self.kind = kind
        self.author = author
        self.unit = unit
        self.enacted = enacted
    }
}

/// The unit rsearch indexes, ranks and shows.
public struct Section: Sendable, Equatable {
    /// Headings from the outermost down to this section's own; empty for the
    /// text before the first heading.
    public var path: [String]
    /// 1-based line of the section's first character in the file.
    public var line: Int
    /// The section's text, its own heading included. The texts of a
    /// document's sections, in order, reproduce the document (whitespace
    /// between them aside).
    public var text: String
    /// The 1-based page the section starts on, in a paged document (PDF).
    public var page: Int?

    public var heading: String { path.last ?? "" }

    public init(path: [String], line: Int, text: String, page: Int? = nil) {
        self.path = path
        self.line = line
        self.text = text
        self.page = page
    }
}

/// A parsed file.
public struct Document: Sendable {
    public var metadata: ReportMetadata
    public var sections: [Section]
    /// Nil when no page of it is an image of text; true when such pages
    /// were recognised (their text may hold recognition errors); false when
    /// they wait for `rsearch index --ocr`.
    public var ocr: Bool?

    public init(metadata: ReportMetadata, sections: [Section], ocr: Bool? = nil) {
        self.metadata = metadata
        self.sections = sections
        self.ocr = ocr
    }
}
