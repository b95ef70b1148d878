import Foundation
import GRDB

/// Text columns read whole. SQLite keeps a TEXT value's every byte, NUL characters included
/// (the ingestor binds bodies with their length), but reading one as a C string stops at the
/// first NUL, and so does GRDB's `String` conversion: a body `NUL>\0<NUL after` came back as
/// `NUL>`. Queries select such a column as a BLOB (``select(_:as:)``) and read it as bytes
/// (``read(_:_:)``, or ``RawStatement/text(_:)`` where a statement is stepped through SQLite's C
/// API), so every reader gets the whole text; each output then shows or escapes control
/// characters as its format needs.
enum WholeText {
    /// The SQL that selects `column` as bytes under the name `name`.
    static func select(_ column: String, as name: String) -> String {
        "CAST(\(column) AS BLOB) AS \(name)"
    }

    /// The text of the column `name` selected by ``select(_:as:)``; "" for NULL.
    static func read(_ row: Row, _ name: String) -> String {
        guard let bytes = row[name] as Data? else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same for the column at `index` (no look-up by name, which lower-cases the name).
    static func read(_ row: Row, at index: Int) -> String {
        guard let bytes = row[index] as Data? else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }
}
