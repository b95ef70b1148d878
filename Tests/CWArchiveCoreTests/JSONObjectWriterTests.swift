import Foundation
import Testing
@testable import CWArchiveCore

/// The hand-written JSON of search hits is byte for byte what `JSONEncoder` wrote before.
@Suite("JSON: the object writer equals JSONEncoder with sorted keys and unescaped slashes")
struct JSONObjectWriterTests {
    struct Pair: Encodable {
        var a_number: Int
        var b_text: String
        var c_more: String
    }

    static func encoder(_ value: Pair) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func writer(_ value: Pair) -> String {
        var out: [UInt8] = Array("[".utf8)
        var w = JSONObjectWriter(opening: &out)
        w.add("a_number", value.a_number, to: &out)
        w.add("b_text", value.b_text, to: &out)
        w.add("c_more", value.c_more, to: &out)
        w.close(&out)
        return String(decoding: out.dropFirst(), as: UTF8.self)
    }

    @Test func everyASCIIByteAndHostileText() throws {
        var all = ""
        for v in 0..<0x80 { all.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        for text in [all, "", "\"quoted\" \\ back / slash", "\u{2028}\u{2029}\u{FEFF}\u{7F}\u{85}", "会議🍣👨‍👩‍👧\r\n\t", "\u{1B}[31mred"] {
            let pair = Pair(a_number: -42, b_text: text, c_more: String(text.reversed()))
            #expect(Self.writer(pair) == (try Self.encoder(pair)), "\(text.debugDescription)")
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomText(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let alphabet: [Unicode.Scalar] = (0..<0x80).map { Unicode.Scalar(UInt8($0)) } + ["会", "ｶ", "\u{3099}", "🍣", "\u{200D}", "\u{FE0F}", "é", "\u{301}", "\u{202E}", "\u{FFFD}", "\u{10FFFF}"]
        for _ in 0..<300 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 40) { text.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let pair = Pair(a_number: Int(truncatingIfNeeded: rng.next()), b_text: String(text), c_more: "x")
            #expect(Self.writer(pair) == (try Self.encoder(pair)))
        }
    }
}
