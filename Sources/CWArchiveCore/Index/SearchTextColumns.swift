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

    /// Removes markup tags (`[To:1]`, `[info]`, `[/qt]`, `[qtmeta aid=1 time=2]` …) but keeps the
    /// text between them; each tag becomes one space. Works on UTF-8 bytes: tags are ASCII.
    public static func stripTags(_ body: String) -> String {
        guard body.utf8.contains(0x5B) else { return body }
        var text = body
        return text.withUTF8 { b -> String in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var i = 0
            while i < b.count {
                if b[i] == 0x5B, let end = tagEnd(b, from: i) {
                    out.append(0x20)
                    i = end + 1
                    continue
                }
                out.append(b[i])
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// If a tag starts at `start` (`[` then an optional `/`, at most 16 ASCII letters, then `]`,
    /// or `:` or a space and then `]` within 200 characters on the line), the index of its `]`.
    private static func tagEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start + 1
        if i < b.count, b[i] == 0x2F { i += 1 }
        let nameStart = i
        while i < b.count, (0x41...0x5A).contains(b[i]) || (0x61...0x7A).contains(b[i]) { i += 1 }
        guard i > nameStart, i < b.count, i - nameStart <= 16 else { return nil }
        if b[i] == 0x5D { return i }
        guard b[i] == 0x3A || b[i] == 0x20 else { return nil }
        var j = i
        var characters = 0
        while j < b.count, characters < 200 {
            if b[j] == 0x5D { return j }
            if b[j] == 0x5B || b[j] == 0x0A { return nil }
            j += 1
            while j < b.count, b[j] & 0xC0 == 0x80 { j += 1 } // the rest of a multi-byte character
            characters += 1
        }
        return nil
    }
}
