/// One CSV cell, by one rule for every CSV cwarchive writes (the export, `search --format csv`)
/// and reads back (the import of a cwarchive CSV): RFC 4180 quoting, visible control characters,
/// and formula cells neutralised.
///
/// Formula injection: a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and some
/// treat a leading tab or carriage return the same way) as a formula. Every cell that begins with
/// one of these characters is written with a leading apostrophe (`'=SUM(A1)`), which spreadsheets
/// show as text. The raw value stays available elsewhere (the archive itself, or the JSON Lines data).
enum CSVCell {
    /// The first bytes that make a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, tab, CR
    /// (``isFormulaStart(_:)``).
    static let formulaStartBytes: Set<UInt8> = Set((0...255).map(UInt8.init).filter(isFormulaStart))
    /// The same, as characters (the import of a cwarchive CSV undoes the apostrophe by this rule).
    static let formulaStarts: Set<Character> = Set(formulaStartBytes.map { Character(Unicode.Scalar($0)) })

    /// One cell: control characters other than tab and line breaks made visible as U+FFFD (a
    /// NUL or an escape sequence would cut or garble the cell in a spreadsheet; the rest of the
    /// text stays), neutralised against formulas, then quoted if it holds `,`, `"`, CR or LF.
    /// Decided on bytes, as a CSV reader reads them: a `"` or `,` that a combining mark joins
    /// (`"\u{301}`) is still one, and a cell that begins with `=` then a mark still begins with `=`.
    static func encode(_ value: String) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the cell ``encode(_:)`` makes of `value` to UTF-8 bytes (a CSV row is written so,
    /// cell after cell, without a string per cell).
    static func append(_ value: String, to out: inout [UInt8]) {
        var v = visibleControls(value)
        v.withUTF8 { buf in
            let formula = buf.first.map(isFormulaStart) ?? false
            var quote = false, hasQuote = false
            for b in buf {
                if b == 0x22 { quote = true; hasQuote = true } else if b == 0x0A || b == 0x0D || b == 0x2C { quote = true }
            }
            if quote { out.append(0x22) }
            if formula { out.append(UInt8(ascii: "'")) }
            if hasQuote {
                var run = 0
                for i in 0..<buf.count where buf[i] == 0x22 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run...i]))
                    out.append(0x22)
                    run = i + 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run...]))
            } else {
                out.append(contentsOf: buf)
            }
            if quote { out.append(0x22) }
        }
    }

    /// Whether a cell beginning with the byte is a formula to a spreadsheet: `=`, `+`, `-`, `@`,
    /// tab or CR (the one list; ``formulaStartBytes`` is made from it).
    @inline(__always)
    static func isFormulaStart(_ b: UInt8) -> Bool {
        switch b {
        case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: return true
        default: return false
        }
    }

    /// `s` with each control character other than tab, LF and CR replaced by U+FFFD
    /// (``UnicodeRules/replacingControls(_:)``).
    static func visibleControls(_ s: String) -> String { UnicodeRules.replacingControls(s) }
}
