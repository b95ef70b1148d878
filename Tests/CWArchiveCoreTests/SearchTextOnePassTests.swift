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
        "C++", "#1234", "3/15", "¥10,000", "※", "【重要】", "→", "foo@example.com", "v1.2.3", "a_b", "(bow)", ":)",
        "👍🏻", "👨\u{200D}👩\u{200D}👧", "🇯🇵", "1\u{FE0F}\u{20E3}", "\u{FE0F}", "\u{200D}", "\u{301}", "\u{200C}",
        "안녕하세요", "简体", "繁體", "ภาษาไทย", "Привет", "مَرحبا", "café", "Excel2024年度", "iPhone15", "ＦＹ２０２５",
        "\u{1B}", "\u{7F}", "\u{85}", "\u{202E}", "\u{200B}", "\u{3000}", "\u{A0}", "\u{FFFD}", "\u{E0067}",
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
        #expect(c.terms == "会議 議室 室を を予 予約 約 ok 字")
        #expect(c.chars == "会 議 室 を 予 約 字")
        #expect(SearchText.columns(forText: "").terms == "")
        #expect(SearchText.columns(forText: "a字b").terms == "a 字 b")
        #expect(SearchText.columns(forText: "C++で iPhone15").terms == "c ++ +で で iphone 15")
        #expect(SearchText.columns(forText: "C++で iPhone15").chars == "+ + で")
        #expect(SearchText.columns(forText: "👍🏻\u{FE0F} (bow)").terms == "👍🏻 🏻 ( bow )")
    }

    /// The classes decided without property look-ups (ASCII, the CJK and other fast ranges)
    /// agree with what the Unicode properties say: letters are words, digits numbers, white space
    /// and controls separators, everything else (punctuation, symbols, scripts without spaces) n-grams.
    @Test func fastClassesMatchUnicodeProperties() throws {
        for v in 0..<0x80 {
            let s = Unicode.Scalar(UInt8(v))
            let p = s.properties
            let expected: SearchText.CharClass = p.isAlphabetic || s == "_" ? .word
                : p.numericType != nil ? .number : p.isWhitespace || p.generalCategory == .control ? .separator : .gram
            #expect(SearchText.classify(s) == expected, "U+\(String(v, radix: 16))")
        }
        for v in [0x3042, 0x30A2, 0x4E00, 0x9FFF, 0xAC00, 0x0E01, 0x20000, 0x3001, 0x30FC, 0x1F363, 0x2192, 0x203B, 0x00A5] {
            let s = try #require(Unicode.Scalar(v))
            #expect(SearchText.classify(s) == .gram, "U+\(String(v, radix: 16))")
        }
        for v in [0x00E9, 0x0436, 0x0645, 0x05D0, 0x0915] { // é ж م א क
            #expect(SearchText.classify(try #require(Unicode.Scalar(v))) == .word, "U+\(String(v, radix: 16))")
        }
        #expect(SearchText.classify("\u{0663}") == .number) // Arabic-Indic 3
        #expect(SearchText.classify("\u{202E}") == .separator)
        #expect(SearchText.kind("\u{AD}") == .ignored)
        #expect(SearchText.kind("\u{FE0F}") == .ignored)
        #expect(SearchText.kind("\u{301}") == .joining)
        for v in [0x00A0, 0x2028, 0x0085, 0xE000, 0x200B, 0x3000] {
            #expect(SearchText.classify(try #require(Unicode.Scalar(v))) == .separator, "U+\(String(v, radix: 16))")
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
            case .word, .number: terms.append(contentsOf: termTokens(run))
            case .gram:
                terms.append(contentsOf: termTokens(run))
                chars.append(contentsOf: run.scalars.map { String($0) })
            }
        }
        return (terms.joined(separator: " "), chars.joined(separator: " "))
    }
}
