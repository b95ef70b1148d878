import Foundation

/// Turns text into the tokens of the full-text index, and queries into the same tokens: it alone
/// decides what search can find.
///
/// Text is normalised (NFKC: full-width and half-width forms become one; lower case; emoji
/// variation selectors dropped), then cut into runs of one class (``CharClass``), and every
/// character a user can type belongs to a run except white space and control characters:
/// - **words** (letters of scripts written with spaces: Latin, Cyrillic, Greek, Arabic, Hebrew,
///   Indic…, and `_`) and **numbers** (digits) are one token each in the `terms` column; a word
///   and a number side by side are two runs (`iphone15` → `iphone 15`);
/// - every other character (kanji, kana, hangul, Thai and other scripts without spaces, emoji,
///   symbols, punctuation) is an **n-gram** character: its run becomes the overlapping
///   **bigrams** of the run and then the run's last character (the *tail*) in `terms`
///   (会議室 → `会議 議室 室`; `C++` → `c ++ +`), so any substring of two or more characters is a
///   phrase of consecutive bigrams, and text that follows a run is found behind its tail. Each
///   n-gram character is also a **unigram** in the `chars` column of a second table that keeps
///   no positions, for one-character searches (a character is also every `terms` token it
///   begins: the prefix query that a one-character term mixed with other terms becomes).
///
/// Diacritics are kept: `café` finds `café` and `CAFÉ`, `cafe` does not find `café`.
/// Marks join the run before them (`é` written as `e` + U+0301 is one word).
public enum SearchText {
    /// The class of a run.
    enum CharClass: UInt8 { case separator, word, number, gram }

    /// What one scalar is to the tokenizer.
    enum Kind: UInt8 {
        case separator, word, number, gram
        /// A combining mark: it belongs to the run before it (an n-gram run at the start).
        case joining
        /// Skipped as if absent (variation selectors, invisible format characters).
        case ignored
    }

    /// The kind of a normalised scalar. ASCII and the common Japanese ranges are decided without
    /// Unicode property look-ups (the hot path of indexing).
    @inline(__always)
    static func kind(_ s: Unicode.Scalar) -> Kind {
        let v = s.value
        if v < 0x80 {
            switch v {
            case 0x30...0x39: return .number
            case 0x41...0x5A, 0x61...0x7A, 0x5F: return .word // letters, _
            case 0x21...0x7E: return .gram // punctuation and symbols
            default: return .separator // space and control characters
            }
        }
        switch v {
        case 0x3001...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, // CJK punctuation, kana, ideographs
             0x20000...0x3FFFF, 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xD7B0...0xD7FF, // hangul
             0x0E00...0x0EFF, 0x0F00...0x0FFF, 0x1000...0x109F, 0x1780...0x17FF, 0x19E0...0x19FF, // Thai, Lao, Tibetan, Myanmar, Khmer
             0x2E80...0x2FDF, 0x3100...0x312F, 0x31A0...0x31BF, 0x3200...0x33FF, 0xA000...0xA4CF, 0x1B000...0x1B16F,
             0x200D, 0x20E3, 0xE0020...0xE007F: // zero-width joiner, keycap, emoji tags
            return .gram
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF: return .ignored // variation selectors
        case 0x200C: return .joining // zero-width non-joiner (inside Persian and Indic words)
        case 0x200B, 0x3000: return .separator // zero-width space, ideographic space
        default: break
        }
        let p = s.properties
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark: return .joining
        case .enclosingMark: return .gram
        case .control, .spaceSeparator, .lineSeparator, .paragraphSeparator, .surrogate: return .separator
        case .privateUse: return .separator // keeps the filter tokens (U+E000…) out of every query
        case .format: return UnicodeRules.isBidiControl(s) ? .separator : .ignored // overrides part words; soft hyphens do not
        case .decimalNumber, .letterNumber, .otherNumber: return p.isAlphabetic ? .word : .number
        default: return p.isAlphabetic ? .word : .gram
        }
    }

    /// The class of a scalar of `kind` after a run of `current`; nil when it is skipped.
    @inline(__always)
    static func resolve(_ kind: Kind, after current: CharClass) -> CharClass? {
        switch kind {
        case .separator: return .separator
        case .word: return .word
        case .number: return .number
        case .gram: return .gram
        case .joining: return current == .separator ? .gram : current
        case .ignored: return nil
        }
    }

    /// The class of a lone scalar (no run before it).
    static func classify(_ s: Unicode.Scalar) -> CharClass {
        resolve(kind(s), after: .separator) ?? .separator
    }

    /// NFKC and lower case. An NFC pass follows because Foundation's NFKC on Linux leaves
    /// half-width voiced marks uncomposed (ｶﾞ → カ + U+3099 instead of ガ).
    public static func normalize(_ text: String) -> String {
        if let fast = normalizeCommon(text) { return fast }
        return text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// The same result for text made only of characters whose NFKC form is known and that never
    /// combine (ASCII, full-width ASCII, kana, CJK unified ideographs, common CJK punctuation):
    /// nearly every chat message, without Foundation's normalisers (the hot path of indexing).
    /// nil for anything else.
    static func normalizeCommon(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            guard let n = normalizedCommon(s) else { return nil }
            appendUTF8(n, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One scalar of ``normalizeCommon(_:)``'s set, normalised (ASCII and full-width ASCII
    /// folded to lower-case ASCII; kana, CJK ideographs and common CJK punctuation as they are),
    /// or nil for a scalar outside it. A character that is this one scalar normalises to it.
    @inline(__always)
    static func normalizedCommon(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        let v = s.value
        switch v {
        case 0x41...0x5A: return Unicode.Scalar(UInt8(v + 0x20))
        case 0...0x7F: return s
        case 0xFF01...0xFF5E: // full-width ASCII → ASCII
            let a = v - 0xFEE0
            return Unicode.Scalar(UInt8((0x41...0x5A).contains(a) ? a + 0x20 : a))
        case 0x3001...0x3003, 0x3008...0x3011, 0x301C, 0x3041...0x3096, 0x30A1...0x30FC, 0x4E00...0x9FFF:
            return s
        default:
            return nil
        }
    }

    /// A run of characters of one class.
    struct Run: Equatable { var cls: CharClass; var scalars: [Unicode.Scalar] }

    /// The runs of normalised text; runs of separators between them are kept (as empty runs).
    static func runs(_ normalized: String) -> [Run] {
        var out: [Run] = []
        var current = CharClass.separator
        for s in normalized.unicodeScalars {
            guard let c = resolve(kind(s), after: current) else { continue }
            defer { current = c }
            if c == .separator {
                if current != .separator, !out.isEmpty { out.append(Run(cls: .separator, scalars: [])) }
                continue
            }
            if c == current, !out.isEmpty { out[out.count - 1].scalars.append(s) } else { out.append(Run(cls: c, scalars: [s])) }
        }
        return out
    }

    /// The tokens of a run in the `terms` column of the index: a word or number whole; for an
    /// n-gram run its bigrams, then its last character (a run of one character: that character).
    static func termTokens(_ run: Run) -> [String] {
        switch run.cls {
        case .separator: return []
        case .word, .number: return [String(String.UnicodeScalarView(run.scalars))]
        case .gram:
            var out = bigrams(run.scalars)
            if let last = run.scalars.last { out.append(String(last)) }
            return out
        }
    }

    /// The overlapping pairs of `scalars`.
    static func bigrams(_ scalars: [Unicode.Scalar]) -> [String] {
        guard scalars.count > 1 else { return [] }
        var out: [String] = []
        out.reserveCapacity(scalars.count - 1)
        for i in 0..<(scalars.count - 1) {
            var v = String.UnicodeScalarView()
            v.append(scalars[i]); v.append(scalars[i + 1])
            out.append(String(v))
        }
        return out
    }

    /// The values of a message's two full-text columns: `terms` (``FullTextMatch/Table/terms``)
    /// and `chars` (``FullTextMatch/Table/chars``).
    public typealias Columns = (terms: String, chars: String)

    /// The two column values to index for a message body (markup tags removed first).
    public static func columns(forBody body: String) -> (terms: String, chars: String) {
        columns(forText: stripTags(body))
    }

    /// The column values for a message: the body's tokens plus, at the end of each column,
    /// tokens for its room and author (``filterToken(room:)``, ``filterToken(account:)``), so
    /// that `--room` and `--account` become part of the FTS5 query on either table (fast even
    /// for a small room).
    public static func columns(forBody body: String, roomID: Int, accountID: Int) -> (terms: String, chars: String) {
        let c = columns(forBody: body)
        let filters = filterToken(room: roomID) + " " + filterToken(account: accountID)
        return (c.terms.isEmpty ? filters : c.terms + " " + filters, c.chars.isEmpty ? filters : c.chars + " " + filters)
    }

    /// One FTS5 string: tokens separated by spaces, inside double quotes, with `"` doubled, so
    /// no text becomes FTS5 syntax.
    /// The doubling works on bytes: a `"` that a combining mark joins (`"\u{301}`, one Swift
    /// `Character`) is still a `"` to FTS5.
    public static func ftsString(_ tokens: [String]) -> String {
        var out: [UInt8] = [0x22]
        for (i, token) in tokens.enumerated() {
            if i > 0 { out.append(0x20) }
            for b in token.utf8 {
                out.append(b)
                if b == 0x22 { out.append(0x22) }
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// The token for a room. It starts with a private-use character, which FTS5's unicode61
    /// keeps in tokens but ``classify(_:)`` treats as a separator, so no query text can produce it.
    public static func filterToken(room: Int) -> String { "\u{E000}r" + idText(room) }

    /// The token for an author (see ``filterToken(room:)``).
    public static func filterToken(account: Int) -> String { "\u{E000}a" + idText(account) }

    /// An ID as token characters only (a minus sign would split the token).
    private static func idText(_ id: Int) -> String { id < 0 ? "n\(id.magnitude)" : String(id) }
}
