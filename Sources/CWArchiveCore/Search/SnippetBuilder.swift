import ChatworkMarkup

/// A short excerpt of a message around the first match, in pieces marked as matching or not.
public struct Snippet: Sendable, Equatable {
    /// A run of text; `isMatch` when it is (part of) a search term.
    public struct Piece: Sendable, Equatable {
        public var text: String
        public var isMatch: Bool
    }

    public var pieces: [Piece]

    /// The excerpt without markings.
    public var plainText: String { pieces.map(\.text).joined() }
}

/// Builds snippets from the message body in Swift (the full-text table stores no text).
///
/// The body's markup tags are removed, line breaks and runs of spaces become one space,
/// control characters become U+FFFD (shown, never dropped with what follows them) and
/// bidirectional overrides are dropped (text from the API must not drive a terminal). Each
/// character is normalised like the index (``SearchText/normalize(_:)``) and remembers where it
/// came from, so a match found in normalised text (`abc` for `ＡＢＣ`) is highlighted on the
/// original characters.
public enum SnippetBuilder {
    /// The excerpt for `body` with the terms of `query` marked, about `width` characters long.
    /// `names`: what `[pname:ID]` tags stand for (``SearchHit/personNames``).
    public static func snippet(body: String, query: SearchQuery?, width: Int = 100, names: [Int: String] = [:]) -> Snippet {
        let plain = MarkupPlainText.withoutTags(body, personName: { names[$0] })
        if let scalars = commonDisplayScalars(plain) {
            return excerpt(scalars, haystack: query.map { _ in Haystack(common: scalars) }, query: query, width: width) { slice in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(slice.count * 3)
                for s in slice { SearchText.appendUTF8(s, to: &bytes) }
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        return generalSnippet(plain: plain, query: query, width: width)
    }

    /// ``snippet(body:query:width:names:)`` for any tag-free text, character by character.
    static func generalSnippet(plain: String, query: SearchQuery?, width: Int) -> Snippet {
        let chars = Array(displayText(plain, tagsRemoved: true))
        return excerpt(chars, haystack: query.map { _ in Haystack(chars) }, query: query, width: width) { String($0) }
    }

    /// The display text of tag-free text made only of white space and the scalars that
    /// ``SearchText/normalizedCommon(_:)`` knows (printable ASCII, full-width ASCII, kana, CJK
    /// ideographs, common CJK punctuation: nearly all of chat), as scalars; nil for any other
    /// text. None of these scalars joins a neighbour into one character (none is a mark, a
    /// joiner, a variation selector or a regional indicator; CR LF is white space either way), so
    /// each is one `Character`, and none is a control: the result is what ``displayText(_:tagsRemoved:)``
    /// gives, without its grapheme breaking, which was a third of a search server's CPU.
    static func commonDisplayScalars(_ plain: String) -> [Unicode.Scalar]? {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(plain.utf8.count)
        var pendingSpace = false
        for s in plain.unicodeScalars {
            let v = s.value
            if isASCIISpace(v) {
                pendingSpace = !out.isEmpty
                continue
            }
            guard v > 0x20, v != 0x7F, SearchText.normalizedCommon(s) != nil else { return nil }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(s)
        }
        return out
    }

    /// The excerpt of display characters `chars` (one `Character` or one scalar each) around the
    /// first match of `query` in `haystack`; `text` makes a piece of them.
    private static func excerpt<C>(_ chars: [C], haystack: Haystack?, query: SearchQuery?, width: Int,
                                   text: (ArraySlice<C>) -> String) -> Snippet {
        var marked = [Bool](repeating: false, count: chars.count)
        if let query, let haystack {
            for needle in needles(query) {
                for range in haystack.occurrences(of: needle) {
                    for k in range { marked[haystack.owner[k]] = true }
                }
            }
        }
        let first = marked.firstIndex(of: true) ?? 0
        var start = max(0, first - width / 3)
        let end = min(chars.count, start + max(1, width))
        start = max(0, min(start, end - width))
        var pieces: [Snippet.Piece] = []
        if start > 0 { pieces.append(.init(text: "…", isMatch: false)) }
        var k = start
        while k < end {
            let m = marked[k]
            let from = k
            while k < end, marked[k] == m { k += 1 }
            pieces.append(.init(text: text(chars[from..<k]), isMatch: m))
        }
        if end < chars.count { pieces.append(.init(text: "…", isMatch: false)) }
        return Snippet(pieces: pieces)
    }

    /// The body as one line of safe, tag-free text (`tagsRemoved`: the caller already took the
    /// markup tags out, ``MarkupPlainText/withoutTags(_:personName:)``).
    public static func displayText(_ body: String, tagsRemoved: Bool = false) -> String {
        var out = ""
        var pendingSpace = false
        for ch in tagsRemoved ? body : SearchText.stripTags(body) {
            if isSpace(ch) {
                pendingSpace = !out.isEmpty
                continue
            }
            // One scalar that a terminal shows as it is (nearly all of chat): no String per character.
            let units = ch.unicodeScalars
            if units.count == 1, !UnicodeRules.isUnsafeForTerminal(units[units.startIndex]), !UnicodeRules.isBidiControl(units[units.startIndex]) {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(ch)
                continue
            }
            let clean = sanitize(String(ch))
            guard !clean.isEmpty else { continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(clean)
        }
        return out
    }

    /// White space or a line break; decided without Unicode property look-ups for ASCII, kana,
    /// CJK ideographs and full-width forms (nearly all of chat).
    @inline(__always)
    static func isSpace(_ ch: Character) -> Bool {
        let units = ch.unicodeScalars
        if units.count == 1 {
            let v = units[units.startIndex].value
            if v < 0x80 { return isASCIISpace(v) }
            if (0x3001...0x9FFF).contains(v) || (0xFF01...0xFF5E).contains(v) { return false }
        }
        return ch.isWhitespace || ch.isNewline
    }

    /// The ASCII white space of ``isSpace(_:)``: space, tab and the line breaks.
    @inline(__always)
    static func isASCIISpace(_ v: UInt32) -> Bool { v == 0x20 || (0x09...0x0D).contains(v) }

    /// `text` safe for a terminal line (``UnicodeRules``): control characters become U+FFFD, so
    /// the reader sees that something was there; bidirectional controls are dropped.
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: UnicodeRules.isUnsafeForTerminal) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if UnicodeRules.isBidiControl(u) { continue }
            out.append(UnicodeRules.isUnsafeForTerminal(u) ? "\u{FFFD}" : u)
        }
        return String(out)
    }

    // MARK: - Matching

    /// The runs of every wanted term, each term a needle.
    static func needles(_ query: SearchQuery) -> [[SearchText.Run]] {
        query.groups.flatMap { $0 }.map(\.runs).filter { !$0.isEmpty }
    }

    /// Normalised display text: its scalars as ``SearchText`` classes them (skipped ones left
    /// out) and, for each, the index of the character it came from.
    struct Haystack {
        var scalars: [Unicode.Scalar] = []
        var classes: [SearchText.CharClass] = []
        var owner: [Int] = []

        /// Of display scalars that ``commonDisplayScalars(_:)`` gave: one character each, each
        /// normalised by ``SearchText/normalizedCommon(_:)``.
        init(common: [Unicode.Scalar]) {
            scalars.reserveCapacity(common.count)
            var current = SearchText.CharClass.separator
            for (i, u) in common.enumerated() {
                let s = SearchText.normalizedCommon(u) ?? u
                guard let c = SearchText.resolve(SearchText.kind(s), after: current) else { continue }
                current = c
                scalars.append(s); classes.append(c); owner.append(i)
            }
        }

        init(_ chars: [Character]) {
            scalars.reserveCapacity(chars.count)
            var current = SearchText.CharClass.separator
            for (i, ch) in chars.enumerated() {
                // A character of one common scalar (nearly all of chat) normalises without a String.
                let units = ch.unicodeScalars
                if units.count == 1, let s = SearchText.normalizedCommon(units[units.startIndex]) {
                    guard let c = SearchText.resolve(SearchText.kind(s), after: current) else { continue }
                    current = c
                    scalars.append(s); classes.append(c); owner.append(i)
                    continue
                }
                for s in SearchText.normalize(String(ch)).unicodeScalars {
                    guard let c = SearchText.resolve(SearchText.kind(s), after: current) else { continue }
                    current = c
                    scalars.append(s); classes.append(c); owner.append(i)
                }
            }
        }

        /// Where the term of `runs` occurs (at most 64), as the index finds it (``SearchText/lookup(_:)``):
        /// the runs in order, each of its class, with only separators between them (at least one
        /// between two runs of one class, which would otherwise be one run), a word or number
        /// never part of a longer one.
        func occurrences(of runs: [SearchText.Run]) -> [Range<Int>] {
            guard let first = runs.first?.scalars.first else { return [] }
            var out: [Range<Int>] = []
            var i = 0
            while i < scalars.count, out.count < 64 {
                if scalars[i] == first, let end = match(runs, at: i) {
                    out.append(i..<end)
                    i = end
                } else {
                    i += 1
                }
            }
            return out
        }

        /// The end of a match of `runs` starting at `start`, or nil.
        private func match(_ runs: [SearchText.Run], at start: Int) -> Int? {
            var k = start
            for (r, run) in runs.enumerated() {
                if r > 0 {
                    let gapStart = k
                    while k < scalars.count, classes[k] == .separator { k += 1 }
                    if k == gapStart, runs[r - 1].cls == run.cls { return nil }
                }
                let runStart = k
                for s in run.scalars {
                    guard k < scalars.count, scalars[k] == s, classes[k] == run.cls else { return nil }
                    k += 1
                }
                if run.cls == .word || run.cls == .number {
                    if runStart > 0, classes[runStart - 1] == run.cls { return nil }
                    if k < scalars.count, classes[k] == run.cls { return nil }
                }
            }
            return k
        }
    }
}
