import Foundation

/// A search query as the user typed it, parsed into terms:
///
/// - words separated by spaces (half-width or full-width) must all match (AND);
/// - `"a quoted phrase"` matches those words in that order;
/// - `A OR B` (upper-case `OR`) matches either; OR binds tighter than AND, so `x a OR b` is x AND (a OR b);
/// - `-term` or `-"phrase"` excludes messages that contain it.
///
/// Text is compared after NFKC normalisation and lower-casing (``SearchText/normalize(_:)``), so
/// `ＡＢＣ` finds `abc` and `ｶﾀｶﾅ` finds `カタカナ`. Every character a user can type is searched
/// for (emoji, symbols and punctuation too: `C++`, `#1234`, `(bow)`); only white space and
/// control characters are not, and a query with nothing else is "nothing to search for".
public struct SearchQuery: Sendable, Equatable {
    /// One term or phrase.
    public struct Term: Sendable, Equatable {
        /// The text as typed (after NFKC), without quotes or the leading `-`.
        public var text: String { didSet { runs = Self.runs(text) } }
        /// Whether it was written in double quotes.
        public var isPhrase: Bool

        public init(text: String, isPhrase: Bool = false) {
            self.text = text
            self.isPhrase = isPhrase
            runs = Self.runs(text)
        }

        /// The normalised runs of searchable characters (no separators), as ``SearchText`` cuts
        /// them: computed once (every hit's snippet reads them).
        private(set) var runs: [SearchText.Run]

        private static func runs(_ text: String) -> [SearchText.Run] {
            SearchText.runs(SearchText.normalize(text)).filter { $0.cls != .separator }
        }

        /// Whether the term has anything to search for.
        var isSearchable: Bool { !runs.isEmpty }
    }

    /// Every group must match; a group matches when any of its terms does (`OR`).
    public var groups: [[Term]]
    /// No excluded term may match.
    public var excluded: [Term]

    /// Limits that keep a query cheap and its FTS expression small.
    static let maxLength = 1000
    static let maxTerms = 64

    public init(groups: [[Term]], excluded: [Term] = []) {
        self.groups = groups
        self.excluded = excluded
    }

    /// Parses `raw`; throws a ``SearchError`` that says what is wrong in one line.
    public static func parse(_ raw: String) throws -> SearchQuery {
        guard raw.count <= maxLength else {
            throw SearchError("the query is too long (\(raw.count) characters; at most \(maxLength))")
        }
        let items = lex(raw.precomposedStringWithCompatibilityMapping)
        guard items.count <= maxTerms else {
            throw SearchError("the query has too many terms (\(items.count); at most \(maxTerms))")
        }

        var groups: [[Term]] = []
        var excluded: [Term] = []
        var pendingOr = false
        var previousWasPositive = false
        for item in items {
            switch item {
            case .or:
                guard previousWasPositive, !pendingOr else { throw orError }
                pendingOr = true
            case .term(let term, let negated):
                if negated {
                    if pendingOr { throw orError }
                    excluded.append(term)
                    previousWasPositive = false
                } else {
                    if pendingOr, !groups.isEmpty {
                        groups[groups.count - 1].append(term)
                    } else {
                        groups.append([term])
                    }
                    pendingOr = false
                    previousWasPositive = true
                }
            }
        }
        if pendingOr { throw orError }

        let searchableGroups = groups.map { $0.filter(\.isSearchable) }.filter { !$0.isEmpty }
        let searchableExcluded = excluded.filter(\.isSearchable)
        guard !searchableGroups.isEmpty else {
            if !searchableExcluded.isEmpty {
                throw SearchError("nothing to search for: the query only excludes terms (-term); add a term to find")
            }
            throw SearchError("nothing to search for: the query holds only spaces, quotes or control characters; give the text to find")
        }
        return SearchQuery(groups: searchableGroups, excluded: searchableExcluded)
    }

    private static let orError = SearchError("OR must stand between two search terms, as in `会議 OR 打ち合わせ`")

    // MARK: - Lexing

    enum Item: Equatable { case term(Term, negated: Bool), or }

    private static let openQuotes: Set<Character> = ["\"", "\u{201C}", "\u{201D}", "\u{201E}"]

    /// Splits into terms, honouring double quotes; an unclosed quote runs to the end.
    static func lex(_ s: String) -> [Item] {
        let chars = Array(s)
        var items: [Item] = []
        var i = 0
        while i < chars.count {
            if chars[i].isWhitespace { i += 1; continue }
            var negated = false
            if chars[i] == "-" {
                // A lone `-` (followed by a space or the end) is not an operator.
                guard i + 1 < chars.count, !chars[i + 1].isWhitespace else { i += 1; continue }
                negated = true
                i += 1
            }
            if openQuotes.contains(chars[i]) {
                i += 1
                var text = ""
                while i < chars.count, !openQuotes.contains(chars[i]) { text.append(chars[i]); i += 1 }
                i += 1 // the closing quote, if any
                items.append(.term(Term(text: text, isPhrase: true), negated: negated))
                continue
            }
            var text = ""
            while i < chars.count, !chars[i].isWhitespace { text.append(chars[i]); i += 1 }
            if !negated, text == "OR" {
                items.append(.or)
            } else {
                items.append(.term(Term(text: text), negated: negated))
            }
        }
        return items
    }
}

/// A search that cannot be run as asked (a bad query, date or option). Its description is one
/// line that says what is wrong.
public struct SearchError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
