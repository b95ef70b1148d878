import ChatworkMarkup

/// The hot path of indexing: a message's column values computed in one pass over bytes, without
/// the intermediate runs and token arrays of ``SearchText/runs(_:)`` and
/// ``SearchText/termTokens(_:)``, whose result it equals (tests compare the two on random and
/// hostile text).
extension SearchText {
    /// The two column values for plain text: `terms` (words, numbers, and for each n-gram run
    /// its bigrams and its last character) and `chars` (every n-gram character), each
    /// space-separated.
    public static func columns(forText text: String) -> (terms: String, chars: String) {
        let normalized = normalize(text)
        var terms: [UInt8] = []
        var chars: [UInt8] = []
        terms.reserveCapacity(normalized.utf8.count * 2 + 16)
        chars.reserveCapacity(normalized.utf8.count + 16)
        var current = CharClass.separator
        var previous: Unicode.Scalar = " "
        var runLength = 0
        for s in normalized.unicodeScalars {
            guard let cls = resolve(kind(s), after: current) else { continue }
            if cls != current {
                // An n-gram run ends with its last character (a run of one: that character alone).
                if current == .gram { space(&terms); appendUTF8(previous, to: &terms) }
                current = cls
                runLength = 0
                if cls == .word || cls == .number { space(&terms) }
            }
            switch cls {
            case .separator: break
            case .word, .number: appendUTF8(s, to: &terms)
            case .gram:
                space(&chars); appendUTF8(s, to: &chars)
                if runLength >= 1 { space(&terms); appendUTF8(previous, to: &terms); appendUTF8(s, to: &terms) }
                previous = s
                runLength += 1
            }
        }
        if current == .gram { space(&terms); appendUTF8(previous, to: &terms) }
        return (String(decoding: terms, as: UTF8.self), String(decoding: chars, as: UTF8.self))
    }

    @inline(__always)
    private static func space(_ buffer: inout [UInt8]) {
        if !buffer.isEmpty { buffer.append(0x20) }
    }

    /// Appends a scalar's UTF-8 bytes.
    @inline(__always)
    static func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        let v = s.value
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// The body without its markup tags: each tag the parser recognises (`[To:1]`, `[info]`,
    /// `[/qt]`, `[qtmeta aid=1 time=2]` …) becomes one space and the text between them stays.
    /// The parser is the one tag scanner (``MarkupPlainText``), so search finds what the exports
    /// show as text (`[draft]`, the inside of `[code]`) and nothing they show as a tag.
    public static func stripTags(_ body: String) -> String {
        MarkupPlainText.withoutTags(body)
    }
}
