/// Turns a ``SearchQuery`` into an FTS5 MATCH expression for `message_fts(terms, chars)`.
///
/// The expression is built only from column names, the operators `AND`, `OR`, `NOT`, parentheses,
/// the prefix mark `*` and double-quoted strings whose tokens come from ``SearchText`` (with any
/// `"` doubled), so no user text can be read by FTS5 as syntax. The string is then bound as a
/// parameter, never spliced into SQL.
///
/// How a term maps to the index is ``SearchText/lookup(_:)``'s decision:
/// - one n-gram character (`会`, `🍣`, `※`) → its unigram in `chars`: `chars : "会"`;
/// - anything longer → the term's tokens as one phrase in `terms`: `terms : "会議 議室"`,
///   `terms : "c ++"`, `terms : "foo @ example . com"`; when it ends in a single n-gram
///   character, that last token is a prefix (`terms : "3 月" *`), because in the text the
///   character may begin a longer run (`3月末`).
public enum FTSQueryBuilder {
    /// The MATCH expression for `query`.
    ///
    /// With `roomIDs` or `accountIDs`, the message must also carry one of those rooms' and one of
    /// those authors' filter tokens (``SearchText/filterToken(room:)``); pass them only when the
    /// index has these tokens.
    public static func matchExpression(for query: SearchQuery, roomIDs: [Int] = [], accountIDs: [Int] = []) -> String {
        var groups = query.groups.map { group -> String in
            let parts = group.map(clause(for:))
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
        }
        for tokens in [roomIDs.map(SearchText.filterToken(room:)), accountIDs.map(SearchText.filterToken(account:))] where !tokens.isEmpty {
            let parts = tokens.map { "(terms : " + quoted([$0]) + ")" }
            groups.append(parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")")
        }
        let positive = groups.joined(separator: " AND ")
        guard !query.excluded.isEmpty else { return positive }
        let negative = query.excluded.map(clause(for:)).joined(separator: " OR ")
        return "(" + positive + ") NOT (" + negative + ")"
    }

    /// The expression for one term (always parenthesised); "" when it has nothing to look up.
    static func clause(for term: SearchQuery.Term) -> String {
        switch SearchText.lookup(term.runs) {
        case nil: return ""
        case .character(let c): return "(chars : " + quoted([c]) + ")"
        case .phrase(let tokens, let prefix): return "(terms : " + quoted(tokens) + (prefix ? " *" : "") + ")"
        }
    }

    /// One FTS5 string (``SearchText/ftsString(_:)``).
    static func quoted(_ tokens: [String]) -> String { SearchText.ftsString(tokens) }
}
