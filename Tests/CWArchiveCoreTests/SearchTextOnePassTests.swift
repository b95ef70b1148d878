import Foundation
import Testing
@testable import CWArchiveCore

/// The one-pass tokenizer and tag stripper of the index's hot path must give exactly what their
/// straightforward definitions give, on random and hostile text.
@Suite("SearchText: one-pass columns and tag stripping equal their definitions")
struct SearchTextOnePassTests {
    /// Pieces that random text is made of: every character class, tag-like and broken tags,
    /// half-width kana (Foundation's path), combining marks, emoji, surrogate-plane CJK.
    static let pieces = [
        "会議", "室", "を", "予約", "カタカナ", "ｶﾞｷﾞ", "ＡＢＣ", "Meeting", "abc_def", "42", "・", "、", "。",
        " ", "\n", "\t", "[To:123]", "[/qt]", "[info]", "[qtmeta aid=1 time=2]", "[", "]", "[a:", "[toall]",
        "[title]", "e\u{301}", "🎉", "𠮷", "한국어", "々", "〆", "-", "'", "\"", "<b>", "&amp;", "x[1]y",
        "Ａ", "ｱ", "(", "ⅰ", "①", "ß", "İ", "\u{E000}", "\u{0}", "[rp aid=1 to=2-3]", "[/code]", "[hr]",
    ]

    static func randomText(_ rng: inout SeededGenerator) -> String {
        (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }

    @Test func columnsEqualTheRunsDefinition() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let text = Self.randomText(&rng)
            let fast = SearchText.columns(forText: text)
            let slow = SearchText.columnsByRuns(forText: text)
            #expect(fast.terms == slow.terms, "\(text.debugDescription)")
            #expect(fast.chars == slow.chars, "\(text.debugDescription)")
        }
    }

    @Test func columnsOfKnownText() {
        let c = SearchText.columns(forText: "会議室を予約 ok 字")
        #expect(c.terms == "会議 議室 室を を予 予約 ok 字")
        #expect(c.chars == "会 議 室 を 予 約 字")
        #expect(SearchText.columns(forText: "").terms == "")
        #expect(SearchText.columns(forText: "a字b").terms == "a 字 b")
    }

    @Test func stripTagsEqualsTheScalarDefinition() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<20_000 {
            let text = Self.randomText(&rng)
            #expect(SearchText.stripTags(text) == SearchText.stripTagsByScalars(text), "\(text.debugDescription)")
        }
        let long = "[info:" + String(repeating: "字", count: 198) + "]x"
        #expect(SearchText.stripTags(long) == SearchText.stripTagsByScalars(long))
        let tooLong = "[info:" + String(repeating: "字", count: 200) + "]x"
        #expect(SearchText.stripTags(tooLong) == tooLong)
    }

    @Test func asciiClassesMatchUnicodeProperties() {
        for v in 0..<0x80 {
            let s = Unicode.Scalar(UInt8(v))
            let p = s.properties
            let expected: SearchText.CharClass = p.isAlphabetic || p.numericType != nil || s == "_" ? .word : .separator
            #expect(SearchText.classify(s) == expected, "U+\(String(v, radix: 16))")
        }
    }
}
