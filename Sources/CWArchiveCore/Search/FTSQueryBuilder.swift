/// Turns a ``SearchQuery`` into an FTS5 MATCH expression for `message_fts(terms, chars)`.
///
/// The expression is built only from column names, the operators `AND`, `OR`, `NOT`, parentheses,
/// the prefix mark `*` and double-quoted strings whose tokens come from ``SearchText`` (with any
/// `"` doubled), so no user text can be read by FTS5 as syntax. The string is then bound as a
/// parameter, never spliced into SQL.
///
/// How a term maps to the index (see ``SearchText``):
/// - one Japanese character → the unigram in `chars`: `chars : "会"`;
/// - Japanese text of two or more characters → its overlapping bigrams as a phrase in `terms`:
///   `terms : "会議 議室"` (any substring of an indexed run);
/// - words → the words as a phrase in `terms`: `terms : "meeting"`;
/// - mixed text (`3月`, `PRレビュー`) → one phrase of its tokens; when it ends in a single
///   Japanese character, that last token is a prefix (`terms : "3 月"*`) because in the text the
///   character may begin a longer run (`3月末` is indexed as `3 月末`). When it starts with a
///   single Japanese character followed by more, that character is required in `chars` and the
///   rest as a phrase (a slightly wider match: the index cannot say what a run ends with).
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

    /// The expression for one term (always parenthesised or a single column filter).
    static func clause(for term: SearchQuery.Term) -> String {
        let runs = term.runs
        guard let first = runs.first else { return "" }
        if runs.count == 1, first.cls == .cjk, first.scalars.count == 1 {
            return "(chars : " + quoted([String(first.scalars[0])]) + ")"
        }
        if runs.count > 1, first.cls == .cjk, first.scalars.count == 1 {
            let rest = Array(runs.dropFirst())
            return "(chars : " + quoted([String(first.scalars[0])]) + " AND " + phrase(rest) + ")"
        }
        return phrase(runs)
    }

    /// A phrase of the runs' tokens in `terms`; a final single Japanese character is a prefix.
    private static func phrase(_ runs: [SearchText.Run]) -> String {
        let tokens = runs.flatMap(SearchText.termTokens)
        let last = runs.last
        let prefix = runs.count > 1 && last?.cls == .cjk && last?.scalars.count == 1
        return "(terms : " + quoted(tokens) + (prefix ? " *" : "") + ")"
    }

    /// One FTS5 string (``SearchText/ftsString(_:)``).
    static func quoted(_ tokens: [String]) -> String { SearchText.ftsString(tokens) }
}
