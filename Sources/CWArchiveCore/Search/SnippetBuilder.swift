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
/// The body's markup tags are removed, line breaks and runs of spaces become one space, and
/// control characters and bidirectional overrides are dropped (text from the API must not drive
/// a terminal). Each character is normalised like the index (``SearchText/normalize(_:)``) and
/// remembers where it came from, so a match found in normalised text (`abc` for `ＡＢＣ`) is
/// highlighted on the original characters.
public enum SnippetBuilder {
    /// The excerpt for `body` with the terms of `query` marked, about `width` characters long.
    /// `names`: what `[pname:ID]` tags stand for (``SearchHit/personNames``).
    public static func snippet(body: String, query: SearchQuery?, width: Int = 100, names: [Int: String] = [:]) -> Snippet {
        let chars = Array(displayText(PersonNames.substitute(in: body, names: names)))
        var marked = [Bool](repeating: false, count: chars.count)
        if let query {
            let (scalars, owner) = normalizedScalars(chars)
            for needle in needles(query) {
                for range in occurrences(of: needle.scalars, in: scalars, wholeWord: needle.wholeWord) {
                    for k in range { marked[owner[k]] = true }
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
            var text = ""
            while k < end, marked[k] == m { text.append(chars[k]); k += 1 }
            pieces.append(.init(text: text, isMatch: m))
        }
        if end < chars.count { pieces.append(.init(text: "…", isMatch: false)) }
        return Snippet(pieces: pieces)
    }

    /// The body as one line of safe, tag-free text.
    public static func displayText(_ body: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in SearchText.stripTags(body) {
            if ch.isWhitespace || ch.isNewline {
                pendingSpace = !out.isEmpty
                continue
            }
            let clean = sanitize(String(ch))
            guard !clean.isEmpty else { continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(clean)
        }
        return out
    }

    /// Removes control characters (C0, DEL, C1) and bidirectional controls from `text`
    /// (``TerminalText/sanitize(_:replacement:)``, the rule of every terminal output).
    public static func sanitize(_ text: String) -> String {
        TerminalText.sanitize(text, replacement: "")
    }

    // MARK: - Matching

    struct Needle { var scalars: [Unicode.Scalar]; var wholeWord: Bool }

    /// Every searchable run of every wanted term: words match whole words, Japanese anywhere.
    static func needles(_ query: SearchQuery) -> [Needle] {
        query.groups.flatMap { $0 }.flatMap(\.runs).map { Needle(scalars: $0.scalars, wholeWord: $0.cls == .word) }
    }

    /// The normalised scalars of `chars` and, for each, the index of the character it came from.
    static func normalizedScalars(_ chars: [Character]) -> ([Unicode.Scalar], [Int]) {
        var scalars: [Unicode.Scalar] = []
        var owner: [Int] = []
        scalars.reserveCapacity(chars.count)
        owner.reserveCapacity(chars.count)
        for (i, ch) in chars.enumerated() {
            for s in SearchText.normalize(String(ch)).unicodeScalars {
                scalars.append(s)
                owner.append(i)
            }
        }
        return (scalars, owner)
    }

    /// Ranges of `needle` in `haystack` (at most 64).
    static func occurrences(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], wholeWord: Bool) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var out: [Range<Int>] = []
        var i = 0
        while i + needle.count <= haystack.count, out.count < 64 {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle {
                let end = i + needle.count
                let boundaryBefore = i == 0 || SearchText.classify(haystack[i - 1]) != .word
                let boundaryAfter = end == haystack.count || SearchText.classify(haystack[end]) != .word
                if !wholeWord || (boundaryBefore && boundaryAfter) {
                    out.append(i..<end)
                    i = end
                    continue
                }
            }
            i += 1
        }
        return out
    }
}
