/// Chatwork's emoticon codes and how they are found in text.
public enum Emoticons {
    /// Every emoticon code Chatwork converts, exactly as written (case-sensitive).
    public static let codes: [String] = [
        ":)", ":(", ":D", "8-)", ":o", ";)", ";(", "(sweat)", ":|", ":*", ":p", "(blush)", ":^)", "|-)",
        "(inlove)", "]:)", "(talk)", "(yawn)", "(puke)", "(emo)", "8-|", ":#)", "(nod)", "(shake)",
        "(^^;)", "(whew)", "(clap)", "(bow)", "(roger)", "(flex)", "(dance)", "(:/)", "(devil)", "(*)",
        "(h)", "(F)", "(cracker)", "(^)", "(coffee)", "(beer)", "(handshake)", "(y)",
    ]

    /// A short English name for each code, used as a readable label (e.g. `title` in HTML).
    public static let names: [String: String] = [
        ":)": "smile", ":(": "sad", ":D": "more smile", "8-)": "lucky", ":o": "surprise", ";)": "wink",
        ";(": "tears", "(sweat)": "sweat", ":|": "mumu", ":*": "kiss", ":p": "tongue out", "(blush)": "blush",
        ":^)": "wonder", "|-)": "snooze", "(inlove)": "love", "]:)": "grin", "(talk)": "talk", "(yawn)": "yawn",
        "(puke)": "puke", "(emo)": "ikemen", "8-|": "otaku", ":#)": "ninmari", "(nod)": "nod", "(shake)": "shake",
        "(^^;)": "wry smile", "(whew)": "whew", "(clap)": "clap", "(bow)": "bow", "(roger)": "roger",
        "(flex)": "muscle", "(dance)": "dance", "(:/)": "komanechi", "(devil)": "devil", "(*)": "star",
        "(h)": "heart", "(F)": "flower", "(cracker)": "cracker", "(^)": "cake", "(coffee)": "coffee",
        "(beer)": "beer", "(handshake)": "handshake", "(y)": "yes",
    ]

    /// Codes as bytes, longest first, so the longest code at a position wins.
    private static let byteCodes: [[UInt8]] = codes.map { Array($0.utf8) }.sorted { $0.count > $1.count }

    /// ASCII punctuation that appears inside URLs and paths; a face code (`:p`, `8-)`, ...) right
    /// after one of these, or after a letter or digit, is not an emoticon (`http://a:p`, `C:D`).
    private static let wordBytes: Set<UInt8> = Set(":/=.?&%#@_~+-'\"".utf8)

    /// Whether an emoticon code may start with the byte: `(`, `8`, `:`, `;`, `]` or `|` (the test
    /// every byte of a text goes through, so bit masks rather than a set).
    @inline(__always)
    static func mayStart(_ b: UInt8) -> Bool {
        if b < 64 { return (lowStarts >> UInt64(b)) & 1 != 0 }
        return b < 128 && (highStarts >> UInt64(b - 64)) & 1 != 0
    }

    /// Bit `b` for a first byte `b` below 64, bit `b - 64` for one from 64 to 127 (constant
    /// expressions, folded at compile time).
    private static let lowStarts: UInt64 = 1 << 0x28 | 1 << 0x38 | 1 << 0x3A | 1 << 0x3B
    private static let highStarts: UInt64 = 1 << (0x5D - 64) | 1 << (0x7C - 64)

    /// The length of the emoticon that starts at `index` in `bytes`, or `nil`.
    /// Codes in parentheses match anywhere; face codes need a boundary on both sides.
    static func match(in bytes: [UInt8], at index: Int, end: Int) -> Int? {
        let first = bytes[index]
        guard first == UInt8(ascii: "(") || first == UInt8(ascii: ":") || first == UInt8(ascii: ";")
            || first == UInt8(ascii: "8") || first == UInt8(ascii: "|") || first == UInt8(ascii: "]")
        else { return nil }
        for code in byteCodes where code[0] == first && index + code.count <= end {
            var equal = true
            for offset in 1..<code.count where bytes[index + offset] != code[offset] {
                equal = false
                break
            }
            guard equal else { continue }
            if first == UInt8(ascii: "(") { return code.count }
            if index > 0 {
                let before = bytes[index - 1]
                if MarkupTagReader.isAlphanumeric(before) || wordBytes.contains(before) { continue }
            }
            let after = index + code.count
            if after < bytes.count, MarkupTagReader.isAlphanumeric(bytes[after]) { continue }
            return code.count
        }
        return nil
    }
}
