import ChatworkMarkup
import Foundation
import Testing
@testable import CWArchiveCore

/// The snippet of common text (scalars taken one by one) is the snippet the general,
/// character-by-character path makes.
@Suite("Snippets: the common-text path equals the general one")
struct SnippetCommonTextTests {
    static let common: [Unicode.Scalar] = ["会", "議", "室", "の", "カ", "ー", "、", "「", "」", "Ａ", "ｂ", "A", "b", "1", "#", "+", "/", "\"",
                                           " ", " ", "\n", "\r", "\t", "稟", "打", "ち", "合", "わ", "せ"]
    static let rare: [Unicode.Scalar] = ["🍣", "\u{3099}", "ｶ", "\u{FE0F}", "\u{200D}", "é", "\u{301}", "\u{1B}", "\u{202E}", "\u{7F}", "\u{3000}", "\u{85}"]

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomTextAndQueries(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let queries = ["会議", "稟", "打ち合わせ", "ab", "A1", "カー", "#1", "\"a\"", "+", "🍣", "会 室"]
        var fast = 0
        for round in 0..<400 {
            let alphabet = round % 4 == 0 ? Self.common + Self.rare : Self.common
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 160) { text.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let plain = String(text)
            if SnippetBuilder.commonDisplayScalars(plain) != nil { fast += 1 }
            let query = try SearchQuery.parse(queries[Int(rng.next() % UInt64(queries.count))])
            for q in [query, nil] as [SearchQuery?] {
                let width = [100, 20, 1][Int(rng.next() % 3)]
                #expect(SnippetBuilder.snippet(body: plain, query: q, width: width)
                        == SnippetBuilder.generalSnippet(plain: MarkupPlainText.withoutTags(plain), query: q, width: width),
                        "\(plain.debugDescription)")
            }
        }
        #expect(fast > 200, "the common path was taken for most texts")
    }

    @Test func textOutsideTheCommonSetTakesTheGeneralPath() {
        for text in ["ｶﾞ", "e\u{301}", "🍣", "\u{1B}[31m", "a\u{3000}b", "👍🏻"] {
            #expect(SnippetBuilder.commonDisplayScalars(text) == nil, "\(text.debugDescription)")
        }
        #expect(SnippetBuilder.commonDisplayScalars("  会議\r\n は  Ａ ") == Array("会議 は Ａ".unicodeScalars))
    }
}
