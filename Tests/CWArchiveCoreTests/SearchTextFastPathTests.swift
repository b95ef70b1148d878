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
