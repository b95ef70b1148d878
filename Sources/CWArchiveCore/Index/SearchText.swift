import Foundation

/// Turns text into the tokens of the full-text index, and queries into the same tokens.
///
/// Japanese and Chinese have no spaces between words, and people search for words of one,
/// two or more characters. So text is normalised (NFKC: full-width and half-width forms become
/// one; Latin letters lower-cased), then:
/// - runs of CJK characters (kanji, hiragana, katakana, hangul) become overlapping **bigrams** in the
///   `terms` column (会議室 → 会議 議室), so any substring of two or more characters is a phrase
///   of consecutive bigrams; each CJK character is also a **unigram** in the `chars` column, for
///   one-character searches;
/// - other letters and digits form **words** in the `terms` column (English word matching).
public enum SearchText {
    /// Character classes for tokenizing.
    enum CharClass { case cjk, word, separator }

    static func classify(_ s: Unicode.Scalar) -> CharClass {
        let v = s.value
        if v < 0x80 {
            switch v {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: return .word // digits, letters, _
            default: return .separator
            }
        }
        switch v {
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, // hiragana, katakana, small katakana
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F, // CJK ideographs
             0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F, // hangul
             0x3005, 0x3006, 0x3007, 0x303B: // 々 〆 〇 〻
            return v == 0x30FB ? .separator : .cjk // ・ separates
        default:
            let p = s.properties
            if p.isAlphabetic || p.numericType != nil || s == "_" || p.generalCategory == .nonspacingMark { return .word }
            return .separator
        }
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
            let v = s.value
            switch v {
            case 0x41...0x5A: out.append(UInt8(v + 0x20))
            case 0...0x7F: out.append(UInt8(v))
            case 0xFF01...0xFF5E: // full-width ASCII → ASCII
                let a = v - 0xFEE0
                out.append(UInt8((0x41...0x5A).contains(a) ? a + 0x20 : a))
            case 0x3001...0x3003, 0x3008...0x3011, 0x301C, 0x3041...0x3096, 0x30A1...0x30FC, 0x4E00...0x9FFF:
                appendUTF8(s, to: &out)
            default:
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A run of characters of one class.
    struct Run { var cls: CharClass; var scalars: [Unicode.Scalar] }

    static func runs(_ normalized: String) -> [Run] {
        var out: [Run] = []
        for s in normalized.unicodeScalars {
            let c = classify(s)
            if c == .separator {
                if let last = out.last, last.cls != .separator { out.append(Run(cls: .separator, scalars: [])) }
                continue
            }
            if let last = out.last, last.cls == c { out[out.count - 1].scalars.append(s) } else { out.append(Run(cls: c, scalars: [s])) }
        }
        return out
    }

    /// Tokens for a run in the `terms` column.
    static func termTokens(_ run: Run) -> [String] {
        switch run.cls {
        case .separator: return []
        case .word: return [String(String.UnicodeScalarView(run.scalars))]
        case .cjk:
            if run.scalars.count == 1 { return [String(run.scalars[0])] }
            var out: [String] = []
            out.reserveCapacity(run.scalars.count - 1)
            for i in 0..<(run.scalars.count - 1) {
                var v = String.UnicodeScalarView()
                v.append(run.scalars[i]); v.append(run.scalars[i + 1])
                out.append(String(v))
            }
            return out
        }
    }

    /// The two column values to index for a message body (markup tags removed first).
    public static func columns(forBody body: String) -> (terms: String, chars: String) {
        columns(forText: stripTags(body))
    }

    /// The column values for a message: the body's tokens plus, at the end of `terms`, tokens
    /// for its room and author (``filterToken(room:)``, ``filterToken(account:)``), so that
    /// `--room` and `--account` become part of the FTS5 query (fast even for a small room).
    public static func columns(forBody body: String, roomID: Int, accountID: Int) -> (terms: String, chars: String) {
        let c = columns(forBody: body)
        let filters = filterToken(room: roomID) + " " + filterToken(account: accountID)
        return (c.terms.isEmpty ? filters : c.terms + " " + filters, c.chars)
    }

    /// One FTS5 string: tokens separated by spaces, inside double quotes, with `"` doubled, so
    /// no text becomes FTS5 syntax.
    public static func ftsString(_ tokens: [String]) -> String {
        "\"" + tokens.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The token for a room. It starts with a private-use character, which FTS5's unicode61
    /// keeps in tokens but ``classify(_:)`` treats as a separator, so no query text can produce it.
    public static func filterToken(room: Int) -> String { "\u{E000}r" + idText(room) }

    /// The token for an author (see ``filterToken(room:)``).
    public static func filterToken(account: Int) -> String { "\u{E000}a" + idText(account) }

    /// An ID as token characters only (a minus sign would split the token).
    private static func idText(_ id: Int) -> String { id < 0 ? "n\(id.magnitude)" : String(id) }
}
