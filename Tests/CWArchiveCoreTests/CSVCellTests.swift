import Foundation
import Testing
@testable import CWArchiveCore

/// ``CSVWriter/cell(_:)`` decides on bytes; it must decide exactly as the per-scalar definition
/// (kept here as the reference): control characters become U+FFFD, a first scalar that starts a
/// formula gets an apostrophe, and `,`, `"`, CR or LF anywhere (a combining mark after it too)
/// quotes the cell with every `"` doubled.
@Suite("Export: CSV cells")
struct CSVCellTests {
    static func reference(_ value: String) -> String {
        var v = String.UnicodeScalarView(value.unicodeScalars.map { UnicodeRules.isControl($0) ? "\u{FFFD}" : $0 })
        if let first = v.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { v.insert("'", at: v.startIndex) }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return String(v) }
        var out = String.UnicodeScalarView(["\""])
        for u in v {
            out.append(u)
            if u == "\"" { out.append("\"") }
        }
        out.append("\"")
        return String(out)
    }

    @Test(arguments: [
        "", "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\ronly", "crlf\r\nend", "\r\nfirst", "=SUM(A1)", "+1", "-2", "@x",
        "\tTab", "\rCR", ",\u{301} joined comma", "\"\u{301} joined quote", "=\u{301}joined", "\u{301}=x", "長い,テキスト",
        "\"\"", "a\u{0}b", "-", "é,\"\n", "NUL>\u{0}<NUL after", "\u{1B}[31m\u{7F}\u{85}", "\u{0}=x", "\"\u{301},\u{301}",
    ])
    func sameAsPerCharacter(_ value: String) {
        #expect(CSVCell.encode(value) == Self.reference(value))
    }
}
