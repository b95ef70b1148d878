import Foundation
import Testing
@testable import CWArchiveCore

/// ``CSVWriter/cell(_:)`` skips work with byte scans; it must decide exactly as the per-character
/// version it replaced (kept here as the reference).
@Suite("Export: CSV cells")
struct CSVCellTests {
    static func reference(_ value: String) -> String {
        var v = value
        if let first = v.first, CSVWriter.formulaStarts.contains(first) || first == "\r\n" { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    @Test(arguments: [
        "", "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\ronly", "crlf\r\nend", "\r\nfirst", "=SUM(A1)", "+1", "-2", "@x",
        "\tTab", "\rCR", ",\u{301} joined comma", "\"\u{301} joined quote", "=\u{301}joined", "\u{301}=x", "長い,テキスト",
        "\"\"", "a\u{0}b", "-", "é,\"\n",
    ])
    func sameAsPerCharacter(_ value: String) {
        #expect(CSVWriter.cell(value) == Self.reference(value))
    }
}
