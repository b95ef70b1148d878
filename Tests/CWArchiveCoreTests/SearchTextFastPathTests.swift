import Foundation
import Testing
@testable import CWArchiveCore

@Suite("SearchText: the fast normalisation path equals Foundation's NFKC + NFC + lower case")
struct SearchTextFastPathTests {
    @Test func everyCharacterOfTheFastPathNormalisesLikeFoundation() {
        var checked = 0
        for v in 0...0xFFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let text = String(Character(u)) + "Aア" + String(Character(u))
            guard let fast = SearchText.normalizeCommon(text) else { continue }
            let slow = text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
            #expect(fast == slow, "U+\(String(v, radix: 16))")
            checked += 1
        }
        #expect(checked > 20_000)
    }

    @Test func otherTextTakesFoundationsPath() {
        #expect(SearchText.normalizeCommon("ｶﾞ") == nil)
        #expect(SearchText.normalizeCommon("카") == nil)
        #expect(SearchText.normalize("ＡＢＣ 会議ＯＫ！") == "abc 会議ok!")
        #expect(SearchText.normalize("ｶﾞｷﾞ") == "ガギ")
    }
}

/// The snippet's shortcuts give what the slow paths give, for every scalar.
@Suite("Snippets: the per-character fast paths equal the general ones")
struct SnippetFastPathTests {
    @Test func everyScalarIsSpaceAndNormalisedLikeTheGeneralRule() {
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let ch = Character(s)
            #expect(SnippetBuilder.isSpace(ch) == (ch.isWhitespace || ch.isNewline), "U+\(String(v, radix: 16))")
            if let fast = SearchText.normalizedCommon(s) {
                #expect(String(fast) == SearchText.normalize(String(s)), "U+\(String(v, radix: 16))")
            }
        }
        #expect(SnippetBuilder.isSpace("\r\n"))
    }
}
