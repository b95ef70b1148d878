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

    /// One cell: neutralised against formulas, then quoted if it holds `,`, `"`, CR or LF.
    static func cell(_ value: String) -> String {
        var v = value
        if let first = v.first, formulaStarts.contains(first) || first == "\r\n" { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
