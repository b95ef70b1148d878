/// A full-text query as the index runs it: which of the two full-text tables drives it, and the
/// FTS5 MATCH expression for that table (built by the search layer from the query with the
/// index's tokenizer, ``SearchText``; bound as a parameter, never spliced into SQL).
public struct FullTextMatch: Sendable, Equatable, CustomStringConvertible {
    /// The full-text tables (``IndexSchema``).
    public enum Table: Sendable, Equatable {
        /// `message_fts(terms)`: words, numbers, bigrams and tails, with positions.
        case terms
        /// `message_chars(chars)`: n-gram characters one by one, without positions; used when
        /// every term of a query is one such character.
        case chars

        /// The table's name in SQL (a fixed string).
        var sqlName: String {
            switch self {
            case .terms: return "message_fts"
            case .chars: return "message_chars"
            }
        }
    }

    public var table: Table
    public var expression: String

    public init(table: Table, expression: String) {
        self.table = table; self.expression = expression
    }

    public var description: String { "\(table.sqlName) MATCH \(expression)" }
}
