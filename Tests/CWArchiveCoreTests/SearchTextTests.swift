import Testing
@testable import CWArchiveCore

@Suite("Search tokens: bigrams for Japanese, symbols and emoji, words and numbers for the rest")
struct SearchTextTests {
    @Test func japaneseBecomesBigramsAndUnigrams() {
        let c = SearchText.columns(forText: "会議室を予約")
        #expect(c.terms == "会議 議室 室を を予 予約 約")
        #expect(c.chars == "会 議 室 を 予 約")
    }

    @Test func widthAndCaseAreFolded() {
        #expect(SearchText.columns(forText: "ＡＢＣ Meeting").terms == "abc meeting")
        #expect(SearchText.columns(forText: "ｶﾀｶﾅ").terms == SearchText.columns(forText: "カタカナ").terms)
    }

    @Test func tagsAreStrippedButTextKept() {
        let body = "[To:123]田中さん\n[info][title]議事録[/title]本日の会議[/info]"
        let stripped = SearchText.stripTags(body)
        #expect(!stripped.contains("To:123"))
        #expect(stripped.contains("田中さん") && stripped.contains("議事録") && stripped.contains("本日の会議"))
        #expect(SearchText.stripTags("[not a tag") == "[not a tag")
        #expect(SearchText.stripTags("a[1]b") == "a[1]b")
    }

    /// Export shows `[draft]` as text, so search finds it and its snippet shows it (one scanner).
    @Test func bracketsTheExportShowsAsTextAreSearchable() {
        #expect(SearchText.stripTags("[draft] 見積 [To:1]") == "[draft] 見積  ")
        #expect(SearchText.columns(forBody: "[draft] 見積").terms.contains("draft"))
        #expect(SnippetBuilder.displayText("[draft] 見積 [code][To:9][/code]") == "[draft] 見積 [To:9]")
    }
}
