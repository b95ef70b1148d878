/// Which characters of text from outside (the API, webhooks, imports, the command line) may
/// not reach a terminal, a one-line display or a file name as they are: the one definition
/// that the console, `status`, search snippets, error messages, export names and safe file
/// names all use.
public enum UnicodeRules {
    /// C0 controls other than tab, line feed and carriage return; DEL; C1 controls.
    @inline(__always)
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v)
    }

    /// `s` with each control character (``isControl(_:)``) replaced by U+FFFD: how the export's
    /// bodies (HTML forbids them) and CSV cells show them. A byte scan skips the work for text
    /// that has none (C1 controls begin with the byte 0xC2).
    public static func replacingControls(_ s: String) -> String {
        var bytes = s
        guard bytes.withUTF8({ $0.contains(where: mayBeginControl) }), s.unicodeScalars.contains(where: isControl) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { isControl($0) ? "\u{FFFD}" : $0 }))
    }

    /// Whether a UTF-8 byte may begin a control character (``isControl(_:)``): a C0 control
    /// other than tab and line breaks, DEL, or 0xC2 (which begins U+0080–U+00BF).
    @inline(__always)
    static func mayBeginControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F || b == 0xC2
    }

    /// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
    /// directional marks (U+200E, U+200F, U+061C), which can make text read in another order
    /// than it is stored (`x\u{202E}gnp.exe`).
    @inline(__always)
    public static func isBidiControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// Zero-width and invisible format characters that make two names look alike: U+200B–U+200F
    /// (zero-width space, joiners, directional marks) and U+FEFF (a byte order mark).
    @inline(__always)
    public static func isInvisibleFormat(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (0x200B...0x200F).contains(v) || v == 0xFEFF
    }

    /// What must not reach a terminal: every control character (tab and line breaks included,
    /// since a terminal line must stay one line) and every bidirectional control.
    @inline(__always)
    public static func isUnsafeForTerminal(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value) || isBidiControl(u)
    }
}

/// Text for a terminal, built on ``UnicodeRules``: what the console, `status`, search output and
/// error messages print of text they did not write themselves.
public enum TerminalText {
    /// `s` with every character that is unsafe for a terminal replaced by `replacement`
    /// (a space keeps words apart; an empty string drops them).
    public static func sanitize(_ s: String, replacement: String = " ") -> String {
        guard s.unicodeScalars.contains(where: UnicodeRules.isUnsafeForTerminal) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if UnicodeRules.isUnsafeForTerminal(u) { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(u) }
        }
        return String(out)
    }

    /// `s` on one line with its unsafe characters made visible (`\n`, `\t`, `\u{202E}`), cut to
    /// `limit` characters and quoted: how an error message shows a value a user typed.
    public static func quoted(_ s: String, limit: Int = 80) -> String {
        var out = ""
        var count = 0
        for u in s.unicodeScalars {
            guard count < limit else { out += "…"; break }
            count += 1
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where UnicodeRules.isUnsafeForTerminal(u) || UnicodeRules.isInvisibleFormat(u):
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return "'" + out + "'"
    }
}
