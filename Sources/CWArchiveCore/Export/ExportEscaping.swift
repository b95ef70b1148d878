/// Escaping for text the API supplied (names, bodies, file names) in each output format.
enum ExportEscaping {
    /// A single-line version of `s` (newlines and tabs become spaces).
    static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
    }

    /// Text for display on one line: newlines and tabs become spaces, other control characters
    /// become U+FFFD (names and file names supplied by the API).
    static func display(_ s: String) -> String {
        // Fast path: no byte that could start a control character, tab or line break.
        var bytes = s
        guard bytes.withUTF8({ $0.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 } }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            if u == "\n" || u == "\r" || u == "\t" { return " " }
            return UnicodeRules.isControl(u) ? "\u{FFFD}" : u
        }))
    }
}
