import Foundation
import RSearchText

/// Parses the query language:
///
///     意识形态 党建          both terms (AND is implied; `AND` may be written)
///     意识形态 OR 舆情       either term
///     -舆情   NOT 舆情      excluding a term
///     (A OR B) C            grouping
///     "a OR b"              one literal term: spaces, OR and - included
///                           (\" and \\ inside it stand for " and \)
///     A NEAR/20 B           both within 20 characters (NEAR alone: 10)
///     year:2022  year:2018..2022  kind:述职报告  title:…  author:…  unit:…
///     in:heading            every term must occur in a heading
///
/// Only ASCII `"` and `(` `)` are syntax: Chinese quotes and full-width
/// brackets are text to be found (`“两个确立”`, `（一）`). Errors name the
/// problem and its 1-based column (in characters).
public struct QueryParser {
    public init() {}

    enum Token: Equatable {
        case word(String, quoted: Bool)
        case open, close, or, and, not
        case near(Int)
    }

    struct Lexeme: Equatable {
        var token: Token
        var column: Int
    }

    public func parse(_ input: String) throws -> Query {
        let lexemes = try lex(input)
        var filters = Filters()
        var p = Parser(lexemes: lexemes, filters: filters, end: input.unicodeScalars.count + 1)
        let expression = try p.parseOr()
        if p.position < lexemes.count {
            let l = lexemes[p.position]
            throw QueryError.syntax(message: l.token == .close ? "unbalanced ')'" : "unexpected input", column: l.column)
        }
        filters = p.filters
        if expression == nil && filters.isEmpty { throw QueryError.empty }
        return Query(expression: expression, filters: filters)
    }

    private func lex(_ input: String) throws -> [Lexeme] {
        let s = Array(input.unicodeScalars)
        var out: [Lexeme] = []
        var i = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.isBlank || c.properties.generalCategory == .control }
        while i < s.count {
            let c = s[i]
            if isSpace(c) { i += 1; continue }
            let column = i + 1
            if c == "-", i + 1 < s.count, !isSpace(s[i + 1]), s[i + 1] != ")" {
                out.append(Lexeme(token: .not, column: column)); i += 1; continue
            }
            if c == "(" { out.append(Lexeme(token: .open, column: column)); i += 1; continue }
            if c == ")" { out.append(Lexeme(token: .close, column: column)); i += 1; continue }
            if c == "\"" {
                var j = i + 1
                var text = String.UnicodeScalarView()
                while j < s.count, s[j] != "\"" {
                    // \" and \\ inside quotes stand for " and \.
                    if s[j] == "\\", j + 1 < s.count, s[j + 1] == "\"" || s[j + 1] == "\\" { j += 1 }
                    text.append(s[j]); j += 1
                }
                guard j < s.count else { throw QueryError.syntax(message: "unclosed '\"'", column: column) }
                out.append(Lexeme(token: .word(String(text), quoted: true), column: column))
                i = j + 1
                continue
            }
            var j = i
            var text = String.UnicodeScalarView()
            while j < s.count, !isSpace(s[j]), s[j] != "(", s[j] != ")" {
                // A quote inside a word starts a quoted part of the same word: kind:"述职 报告".
                if s[j] == "\"" {
                    var k = j + 1
                    while k < s.count, s[k] != "\"" { text.append(s[k]); k += 1 }
                    guard k < s.count else { throw QueryError.syntax(message: "unclosed '\"'", column: j + 1) }
                    j = k + 1
                    continue
                }
                text.append(s[j]); j += 1
            }
            let word = String(text)
            switch word {
            case "OR": out.append(Lexeme(token: .or, column: column))
            case "AND": out.append(Lexeme(token: .and, column: column))
            case "NOT": out.append(Lexeme(token: .not, column: column))
            case "NEAR": out.append(Lexeme(token: .near(10), column: column))
            default:
                if word.hasPrefix("NEAR/") {
                    guard let n = Int(word.dropFirst(5)), n >= 0, n <= 100_000 else {
                        throw QueryError.syntax(message: "NEAR/ needs a distance in characters, e.g. NEAR/20", column: column)
                    }
                    out.append(Lexeme(token: .near(n), column: column))
                } else {
                    out.append(Lexeme(token: .word(word, quoted: false), column: column))
                }
            }
            i = j
        }
        return out
    }

    private struct Parser {
        var lexemes: [Lexeme]
        var filters: Filters
        var end: Int
        var position = 0
        var depth = 0
        static let maxDepth = 64

        var current: Lexeme? { position < lexemes.count ? lexemes[position] : nil }

        mutating func parseOr() throws -> QueryExpression? {
            var parts: [QueryExpression] = []
            guard let first = try parseAnd() else {
                if let l = current, l.token == .or { throw QueryError.syntax(message: "OR needs a term on its left", column: l.column) }
                return nil
            }
            parts.append(first)
            while let l = current, l.token == .or {
                position += 1
                guard let next = try parseAnd() else {
                    throw QueryError.syntax(message: "OR needs a term on its right", column: l.column)
                }
                parts.append(next)
            }
            return parts.count == 1 ? parts[0] : .or(parts)
        }

        mutating func parseAnd() throws -> QueryExpression? {
            var parts: [QueryExpression] = []
            while let l = current {
                switch l.token {
                case .close, .or:
                    return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .and(parts)
                case .and:
                    position += 1
                default:
                    if let x = try parseUnary() { parts.append(x) }
                }
            }
            return parts.isEmpty ? nil : parts.count == 1 ? parts[0] : .and(parts)
        }

        mutating func parseUnary() throws -> QueryExpression? {
            guard let l = current else { return nil }
            if l.token == .not {
                position += 1
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maxDepth else {
                    throw QueryError.syntax(message: "NOT nested more than \(Self.maxDepth) deep", column: l.column)
                }
                guard let x = try parseUnary() else {
                    throw QueryError.syntax(message: "NOT needs a term after it", column: l.column)
                }
                return .not(x)
            }
            return try parsePrimary()
        }

        mutating func parsePrimary() throws -> QueryExpression? {
            guard let l = current else { return nil }
            switch l.token {
            case .open:
                position += 1
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maxDepth else {
                    throw QueryError.syntax(message: "parentheses nested more than \(Self.maxDepth) deep", column: l.column)
                }
                let inner = try parseOr()
                guard let c = current, c.token == .close else {
                    throw QueryError.syntax(message: "unbalanced '('", column: l.column)
                }
                position += 1
                guard let inner else {
                    throw QueryError.syntax(message: "empty parentheses", column: l.column)
                }
                return inner
            case .near:
                throw QueryError.syntax(message: "NEAR needs a term on its left", column: l.column)
            case .word(let text, let quoted):
                position += 1
                if !quoted, try applyFilter(text, column: l.column) { return nil }
                if let n = current, case .near(let distance) = n.token {
                    position += 1
                    guard let r = current, case .word(let right, _) = r.token else {
                        throw QueryError.syntax(message: "NEAR needs a term on its right", column: n.column)
                    }
                    position += 1
                    return .near(text, right, distance: distance)
                }
                guard !text.isEmpty else {
                    throw QueryError.syntax(message: "empty quoted term", column: l.column)
                }
                return .term(text)
            default:
                return nil
            }
        }

        /// `key:value` filters. A word with a colon that is not a known key
        /// is an ordinary term (`10:30`, `https://…`).
        mutating func applyFilter(_ word: String, column: Int) throws -> Bool {
            guard let colon = word.firstIndex(of: ":") else { return false }
            let key = String(word[..<colon]).lowercased()
            let value = String(word[word.index(after: colon)...])
            let keys = ["year", "enacted", "kind", "title", "author", "unit", "in"]
            guard keys.contains(key) else { return false }
            let valueColumn = column + key.unicodeScalars.count + 1
            guard !value.isEmpty else {
                throw QueryError.syntax(message: "\(key): needs a value", column: valueColumn)
            }
            switch key {
            case "year":
                guard let range = QueryParser.years(value) else {
                    throw QueryError.syntax(message: "year: takes a year or a range such as 2018..2022, not '\(value)'", column: valueColumn)
                }
                filters.years = range
            case "enacted":
                guard let range = QueryParser.years(value) else {
                    throw QueryError.syntax(message: "enacted: takes a year or a range such as 1990..2000, not '\(value)'", column: valueColumn)
                }
                filters.enacted = range
            case "kind": filters.kind.append(value)
            case "title": filters.title.append(value)
            case "author": filters.author.append(value)
            case "unit": filters.unit.append(value)
            default:
                guard value == "heading" else {
                    throw QueryError.syntax(message: "in: takes 'heading', not '\(value)'", column: valueColumn)
                }
                filters.inHeading = true
            }
            return true
        }
    }

    /// A year (`2022`) or a range (`2018..2022`, `2018..`, `..2022`), as
    /// `year:` takes it; nil if it is neither.
    public static func years(_ value: String) -> ClosedRange<Int>? {
        let parts = value.components(separatedBy: "..")
        func year(_ s: String) -> Int? {
            guard s.count == 4, s.allSatisfy(\.isASCII), let y = Int(s) else { return nil }
            return y
        }
        if parts.count == 1, let y = year(parts[0]) { return y...y }
        if parts.count == 2 {
            let lo = parts[0].isEmpty ? 0 : year(parts[0])
            let hi = parts[1].isEmpty ? 9999 : year(parts[1])
            if let lo, let hi, lo <= hi { return lo...hi }
        }
        return nil
    }
}
