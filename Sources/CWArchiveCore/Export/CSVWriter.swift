/// Writes RFC 4180 CSV: fields quoted when needed (`"` doubled), CRLF line ends, optionally a
/// UTF-8 byte order mark first so that Excel (notably in Japan) reads the file as UTF-8.
///
/// Formula injection: a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and some
/// treat a leading tab or carriage return the same way) as a formula. Every cell that begins with
/// one of these characters is written with a leading apostrophe (`'=SUM(A1)`), which spreadsheets
/// show as text. The raw value stays available elsewhere (the archive itself, or the JSON Lines data).
struct CSVWriter {
    private let out: BufferedWriter
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    init(out: BufferedWriter, bom: Bool) throws {
        self.out = out
        if bom { try out.write(bytes: Self.bom) }
    }

    func writeRow(_ fields: [String]) throws {
        try out.write(fields.map(Self.cell).joined(separator: ",") + "\r\n")
    }

    /// One cell: control characters other than tab and line breaks made visible as U+FFFD (a
    /// NUL or an escape sequence would cut or garble the cell in a spreadsheet; the rest of the
    /// text stays), neutralised against formulas, then quoted if it holds `,`, `"`, CR or LF.
    /// Decided per character as before; byte scans skip the work for cells that cannot need it.
    /// A CR or LF is always a character of its own (or one `\r\n`), so its byte decides alone;
    /// a `,` or `"` counts only when no combining mark joins it, which needs the character check.
    static func cell(_ value: String) -> String {
        var v = visibleControls(value)
        if let b = v.utf8.first, b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D,
           let first = v.first, formulaStarts.contains(first) || first == "\r\n" {
            v = "'" + v
        }
        var hasBreak = false, hasQuote = false, hasComma = false
        for b in v.utf8 {
            if b == 0x0A || b == 0x0D { hasBreak = true } else if b == 0x22 { hasQuote = true } else if b == 0x2C { hasComma = true }
        }
        guard hasBreak || ((hasQuote || hasComma) && v.contains(where: { $0 == "," || $0 == "\"" })) else { return v }
        guard hasQuote else { return "\"" + v + "\"" }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `s` with each control character other than tab, LF and CR (``UnicodeRules/isControl(_:)``)
    /// replaced by U+FFFD. A byte scan skips the work for text that has none.
    static func visibleControls(_ s: String) -> String {
        guard s.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F || $0 == 0xC2 }),
              s.unicodeScalars.contains(where: UnicodeRules.isControl) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { UnicodeRules.isControl($0) ? "\u{FFFD}" : $0 }))
    }
}
