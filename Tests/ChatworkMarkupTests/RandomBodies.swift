/// A tiny seeded xorshift64* generator, so fuzz runs are repeatable.
struct XorShift: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

/// Random message bodies built from tag fragments, brackets, attributes and awkward Unicode.
enum RandomBodies {
    static let fragments: [String] = [
        "[To:123]", "[to:7]", "[To:]", "[To:x]", "[toall]", "[TOALL]", "[rp aid=1 to=2-3]", "[rp aid=1]",
        "[rp aid=x to=2-3]", "[qt]", "[/qt]", "[qtmeta aid=1 time=1700000000]", "[qtmeta aid=1 time=abc]",
        "[qtmeta]", "[info]", "[/info]", "[title]", "[/title]", "[code]", "[/code]", "[CODE]", "[hr]",
        "[picon:1]", "[pname:2]", "[piconname:3]", "[download:4]", "[/download]", "file (1 KB)",
        "[preview id=5 ht=100]", "[preview id=5]", "[task aid=1 st=open lt=1700000000 ltype=date]",
        "[task st=done aid=2 ltype=time lt=1]", "[/task]", "[dtext:file_uploaded]", "[dtext:chatroom_member_is]",
        "[deleted]", ":)", ":p", "(bow)", "(F)", "]:)", "8-)", "(^^;)", "(:/)", "http://a:p/", "[", "]", "[[",
        "]]", "[/", "=", " ", "  ", "\n", "\r\n", "\t", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"", "'", "&", "&amp;", "javascript:alert(1)", "data:text/html,x", "`", "```", "````", "*", "_", "#",
        "|", ">", "~", "\\", "!", "(", ")", "日本語", "メッセージ", "😀", "👨‍👩‍👧", "e\u{301}", "\u{301}",
        "\u{202E}", "\u{200B}", "\u{0}", "\u{7}", "\u{1B}[31m", "\u{FEFF}", "\u{FFFD}", "-", "aid=", "to=",
    ]

    static func body<G: RandomNumberGenerator>(using random: inout G, maxParts: Int = 40) -> String {
        let count = Int.random(in: 0...maxParts, using: &random)
        var body = ""
        for _ in 0..<count {
            switch Int.random(in: 0..<10, using: &random) {
            case 0:
                // A random scalar, control characters included.
                let value = UInt32.random(in: 0...0x2FFF, using: &random)
                if let scalar = Unicode.Scalar(value) { body.unicodeScalars.append(scalar) }
            case 1:
                body += String(Int.random(in: 0...99999, using: &random))
            default:
                body += fragments[Int.random(in: 0..<fragments.count, using: &random)]
            }
        }
        return body
    }
}
