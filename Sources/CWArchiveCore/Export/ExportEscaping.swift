/// Escaping for text the API supplied (names, bodies, file names) in each output format.
enum ExportEscaping {
    /// Markdown inline text: `< > &` become entities (so no HTML tag survives, even to a naive
    /// search), other punctuation that Markdown would act on is backslash-escaped.
    static func markdown(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if u == "<" { out += "&lt;" } else if u == ">" { out += "&gt;" } else if u == "&" { out += "&amp;" }
            else if markdownSpecial.contains(u) {
                out += "\\"
                out.unicodeScalars.append(u)
            } else if isControl(u) {
                out += "\u{FFFD}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A single-line version of `s` (newlines and tabs become spaces).
    static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
    }

    static let markdownSpecial: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "{", "}", "[", "]", "#", "!", "|", "~"]

    /// Text for display on one line: newlines and tabs become spaces, other control characters
    /// become U+FFFD (names and file names supplied by the API).
    static func display(_ s: String) -> String {
        // Fast path: no byte that could start a control character, tab or line break.
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            if u == "\n" || u == "\r" || u == "\t" { return " " }
            return isControl(u) ? "\u{FFFD}" : u
        }))
    }

    /// C0 and C1 controls except tab, newline and carriage return.
    static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v)
    }
}
