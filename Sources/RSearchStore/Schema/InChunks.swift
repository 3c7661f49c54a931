import Foundation
import GRDB

extension Row {
    /// The rows of `sql` for every value in `values`, where `sql` holds one
    /// `IN (%@)` that receives the placeholders, followed by `arguments`
    /// for any placeholders after it: one statement per 500 values, under
    /// SQLite's limit on a statement's parameters.
    static func fetchAll(_ db: Database, sql: String, in values: [some DatabaseValueConvertible],
                         arguments: [DatabaseValueConvertible?] = []) throws -> [Row] {
        var rows: [Row] = []
        for start in stride(from: 0, to: values.count, by: 500) {
            let chunk = Array(values[start..<Swift.min(start + 500, values.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            rows += try Row.fetchAll(db, sql: sql.replacingOccurrences(of: "%@", with: marks),
                                     arguments: StatementArguments(chunk) + StatementArguments(arguments))
        }
        return rows
    }
}
