/// Turns a ``SearchQuery`` into a ``FullTextMatch``: the full-text table to ask and its FTS5
/// MATCH expression.
///
/// The expression is built only from column names, the operators `AND`, `OR`, `NOT`, parentheses,
/// the prefix mark `*` and double-quoted strings whose tokens come from ``SearchText`` (with any
/// `"` doubled), so no user text can be read by FTS5 as syntax. The string is then bound as a
/// parameter, never spliced into SQL.
///
/// How a term maps to the index is ``SearchText/lookup(_:)``'s decision:
/// - one n-gram character (`会`, `🍣`, `※`) → its unigram in `message_chars`: `"会"`,
///   when every term of the query is one such character; mixed with longer terms, the prefix of
///   the `terms` tokens it begins (its bigrams and its tail): `terms : "会" *`, so that the whole
///   query is one expression on one table;
/// - anything longer → the term's tokens as one phrase in `terms`: `terms : "会議 議室"`,
///   `terms : "c ++"`, `terms : "foo @ example . com"`; when it ends in a single n-gram
///   character, that last token is a prefix (`terms : "3 月" *`), because in the text the
///   character may begin a longer run (`3月末`).
public enum FTSQueryBuilder {
    /// The full-text query for `query`.
    ///
    /// With `roomIDs` or `accountIDs`, the message must also carry one of those rooms' and one of
    /// those authors' filter tokens (``SearchText/filterToken(room:)``); pass them only when the
    /// index has these tokens. `ranked` (a best-match order) asks `message_fts` always: BM25
    /// needs the counts of each token, which `message_chars` does not keep.
    public static func match(for query: SearchQuery, roomIDs: [Int] = [], accountIDs: [Int] = [], ranked: Bool = false) -> FullTextMatch {
        let lookups = query.groups.map { $0.map { SearchText.lookup($0.runs) } }
        let excluded = query.excluded.map { SearchText.lookup($0.runs) }
        let table: FullTextMatch.Table = !ranked && (lookups.joined() + excluded).allSatisfy(isCharacter) ? .chars : .terms
        // `message_chars` has one column and keeps no column numbers (detail=none), so its
        // expressions name none.
        let column = table == .chars ? "" : "terms : "
        var groups = lookups.map { group -> String in
            let parts = group.map { clause(for: $0, in: table) }
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
        }
        for tokens in [roomIDs.map(SearchText.filterToken(room:)), accountIDs.map(SearchText.filterToken(account:))] where !tokens.isEmpty {
            let parts = tokens.map { "(" + column + quoted([$0]) + ")" }
            groups.append(parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")")
        }
        let positive = groups.joined(separator: " AND ")
        guard !excluded.isEmpty else { return FullTextMatch(table: table, expression: positive) }
        let negative = excluded.map { clause(for: $0, in: table) }.joined(separator: " OR ")
        return FullTextMatch(table: table, expression: "(" + positive + ") NOT (" + negative + ")")
    }

    /// The MATCH expression of ``match(for:roomIDs:accountIDs:)`` alone.
    public static func matchExpression(for query: SearchQuery, roomIDs: [Int] = [], accountIDs: [Int] = []) -> String {
        match(for: query, roomIDs: roomIDs, accountIDs: accountIDs).expression
    }

    private static func isCharacter(_ lookup: SearchText.Lookup?) -> Bool {
        if case .character = lookup { return true }
        return false
    }

    /// The expression for one term's lookup in `table` (always parenthesised); "" when it has
    /// nothing to look up.
    static func clause(for lookup: SearchText.Lookup?, in table: FullTextMatch.Table) -> String {
        switch lookup {
        case nil: return ""
        case .character(let c):
            return table == .chars ? "(" + quoted([c]) + ")" : "(terms : " + quoted([c]) + " *)"
        case .phrase(let tokens, let prefix): return "(terms : " + quoted(tokens) + (prefix ? " *" : "") + ")"
        }
    }

    /// One FTS5 string (``SearchText/ftsString(_:)``).
    static func quoted(_ tokens: [String]) -> String { SearchText.ftsString(tokens) }
}
