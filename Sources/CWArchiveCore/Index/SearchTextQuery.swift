/// How a search term becomes a lookup in the index: the other half of ``SearchText``, kept
/// beside the tokenizer because the two must agree token for token.
extension SearchText {
    /// What one term of a query looks up.
    enum Lookup: Equatable {
        /// One n-gram character: its unigram in the `chars` column.
        case character(String)
        /// Consecutive tokens in the `terms` column; with `prefix`, the last one is a prefix.
        case phrase([String], prefix: Bool)
    }

    /// The lookup for a term made of `runs` (separator runs left out), or nil when there is
    /// nothing to look up.
    ///
    /// The text of a term may sit anywhere in a message: its first run may end an indexed run
    /// and its last run may begin one. So a term's runs give the same tokens as the index's
    /// (``termTokens(_:)``), except that the last run gives no tail (in the message the run may
    /// go on) and a last run of one n-gram character is a prefix (`3月` → `3 月*`, found in
    /// `3月末`, indexed `3 月末 末`). The first run needs nothing special: an n-gram run's bigrams
    /// and tail are the end of the longer indexed run's (`題#1234` → `題# # 1234`, found in
    /// `課題#1234`, indexed `課題 題# # 1234`), and a word or number is whole anyway.
    static func lookup(_ runs: [Run]) -> Lookup? {
        let runs = runs.filter { $0.cls != .separator }
        guard let last = runs.last else { return nil }
        if runs.count == 1, last.cls == .gram {
            return last.scalars.count == 1 ? .character(String(last.scalars[0])) : .phrase(bigrams(last.scalars), prefix: false)
        }
        var tokens: [String] = []
        for (i, run) in runs.enumerated() {
            if i == runs.count - 1, run.cls == .gram, run.scalars.count > 1 {
                tokens += bigrams(run.scalars)
            } else {
                tokens += termTokens(run)
            }
        }
        return .phrase(tokens, prefix: last.cls == .gram && last.scalars.count == 1)
    }
}
