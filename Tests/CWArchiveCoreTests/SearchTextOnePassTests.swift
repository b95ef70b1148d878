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

/// The straightforward definitions the one-pass code must match (runs then tokens; scalars).
extension SearchText {
    /// The two column values for plain text, by runs and then tokens.
    static func columnsByRuns(forText text: String) -> (terms: String, chars: String) {
        var terms: [String] = []
        var chars: [String] = []
        for run in runs(normalize(text)) {
            switch run.cls {
            case .separator: break
            case .word: terms.append(contentsOf: termTokens(run))
            case .cjk:
                terms.append(contentsOf: termTokens(run))
                chars.append(contentsOf: run.scalars.map { String($0) })
            }
        }
        return (terms.joined(separator: " "), chars.joined(separator: " "))
    }

    /// The definition of ``stripTags(_:)`` over scalars; tests compare it with the byte-level one.
    static func stripTagsByScalars(_ body: String) -> String {
        guard body.contains("[") else { return body }
        var out = String.UnicodeScalarView()
        let scalars = Array(body.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "[", let end = scalarTagEnd(scalars, from: i) {
                out.append(" ")
                i = end + 1
                continue
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    /// If a tag starts at `start` (`[` then an optional `/`, ASCII letters, then `]`, `:` or a space …), its closing index.
    private static func scalarTagEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start + 1
        if i < s.count, s[i] == "/" { i += 1 }
        let nameStart = i
        while i < s.count, s[i].isASCII, s[i].properties.isAlphabetic { i += 1 }
        guard i > nameStart, i < s.count, i - nameStart <= 16 else { return nil }
        if s[i] == "]" { return i }
        guard s[i] == ":" || s[i] == " " else { return nil }
        var j = i
        while j < s.count, j - i < 200 {
            if s[j] == "]" { return j }
            if s[j] == "[" || s[j] == "\n" { return nil }
            j += 1
        }
        return nil
    }
}
