import Foundation
import Testing
@testable import ChatworkMarkup

/// Small pieces of the renderers: escaping, link safety, times, names.
@Suite struct MarkupRendererUnitTests {
    @Test func htmlEscaping() {
        #expect(HTMLEscaping.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLEscaping.escape("a\u{0}b") == "a\u{FFFD}b")
        #expect(HTMLEscaping.escapeAttribute("a\nb\t\"") == "a&#10;b&#9;&quot;")
        // The byte test behind every escape accepts exactly the bytes it replaces.
        let special = Set("&<>\"'\u{0}".utf8)
        #expect((0...255).filter { HTMLEscaping.needsEscape(UInt8($0)) }.map(UInt8.init) == special.sorted())
    }

    @Test(arguments: [
        ("files/1/a.pdf", true), ("../rooms/1.html#m2", true), ("https://www.chatwork.com/#!rid1-2", true),
        ("HTTPS://x", true), ("a.html?x=1:2", true), ("javascript:alert(1)", false), ("JavaScript:x", false),
        ("data:text/html,x", false), ("http://x", false), ("//evil.com/x", false), ("/\\evil.com", false),
        (" javascript:x", false), ("java\tscript:x", false), ("\u{202E}x", false), ("vbscript:x", false), ("", false),
    ])
    func safeHref(href: String, allowed: Bool) {
        #expect((MarkupRendering.safeHref(href) != nil) == allowed)
    }

    @Test func markdownEscaping() {
        #expect(MarkdownEscaping.escape("# a") == "\\# a")
        #expect(MarkdownEscaping.escape("12. a") == "12\\. a")
        #expect(MarkdownEscaping.escape("    code") == "&#32;&#32;&#32;&#32;code")
        #expect(MarkdownEscaping.escape("a\n- b") == "a  \n\\- b")
        #expect(MarkdownEscaping.escape("x # y", atLineStart: false) == "x # y")
        #expect(MarkdownEscaping.escape("[a](javascript:x) <b> *c* _d_ |e| `f` ~g~") ==
                "\\[a\\](javascript:x) \\<b\\> \\*c\\* \\_d\\_ \\|e\\| \\`f\\` \\~g\\~")
    }

    @Test func timesUseTheContextTimeZone() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(MarkupRendering.time(1_704_157_200, tokyo) == "2024-01-02 10:00")
        #expect(MarkupRendering.time(1_704_157_200, utc) == "2024-01-02 01:00")
        #expect(MarkupRendering.time(1_704_157_200, utc, dateOnly: true) == "2024-01-02")
        #expect(MarkupRendering.isoTime(1_704_157_200, tokyo) == "2024-01-02T10:00:00+09:00")
        #expect(MarkupRendering.time(999_999_999_999_999, utc) == "999999999999999")
        #expect(MarkupRendering.taskDue(limitTime: 0, limitType: "date", utc) == nil)
    }

    @Test func mentionNames() {
        let context = RendererFixtures.context
        let plain = PlainTextMarkupRenderer(context: context)
        #expect(plain.render(body: "[To:1]Bob Smithさん") == "@Bob Smithさん")
        #expect(plain.render(body: "[To:1]Bobさん") == "@Bob Smith Bobさん")
        #expect(plain.render(body: "[To:1]\nhi") == "@Bob Smith\nhi")
        #expect(plain.render(body: "[To:99]Carolさん") == "@Carolさん")
        #expect(plain.render(body: "[To:99]") == "@user 99")
        #expect(plain.render(body: "[toall]") == "@all")
    }

    @Test func htmlPieces() {
        let html = HTMLMarkupRenderer(context: RendererFixtures.context)
        #expect(html.render(body: "[hr]") == "<hr class=\"cw-rule\">")
        #expect(html.render(body: "[deleted]") == "<span class=\"cw-deleted\">This message was deleted.</span>")
        #expect(html.render(body: "a\r\nb\rc\nd") == "a<br>\nb<br>\nc<br>\nd")
        #expect(html.render(body: "[code]<b>[/code]") == "<pre class=\"cw-code\"><code>&lt;b&gt;</code></pre>")
        #expect(html.render(body: "[preview id=11 ht=150]")
            == "<img class=\"cw-preview\" src=\"files/11/photo.png\" alt=\"photo.png\" loading=\"lazy\" height=\"150\">")
        #expect(html.render(body: "[download:99]x.zip (1 KB)[/download]")
            == "<span class=\"cw-download cw-not-archived\" data-file-id=\"99\">x.zip (1 KB) (not archived)</span>")
    }

    @Test func markdownCodeFenceInsideQuote() {
        let markdown = MarkdownMarkupRenderer(context: RendererFixtures.context)
        #expect(markdown.render(body: "[qt][code]a\r\n```\r\nb[/code][/qt]") == "> ````\n> a\n> ```\n> b\n> ````")
    }

    @Test func markdownTaskStartingWithBlockStaysAList() {
        let markdown = MarkdownMarkupRenderer(context: RendererFixtures.context)
        #expect(markdown.render(body: "[task][code]x[/code][/task]") == "- [ ] *task*: \n\n  ```\n  x\n  ```")
    }

    @Test func systemTextDefaultsAndFallback() {
        let plain = PlainTextMarkupRenderer(context: StaticMarkupContext(systemTexts: MarkupSystemTexts.japanese))
        #expect(plain.render(body: "[dtext:file_uploaded]") == "ファイルをアップロードしました")
        #expect(plain.render(body: "[dtext:brand_new_key]") == "brand new key")
    }

    @Test func markdownTitlesAndNamesNeverBreakTheBlock() {
        let markdown = MarkdownMarkupRenderer(context: StaticMarkupContext(accountNames: [5: ""]))
        #expect(markdown.render(body: "[info][title][/title]x[/info]") == "> x")
        #expect(markdown.render(body: "[info][title][code]t[/code][/title]x[/info]") == "> ```\n> t\n> ```\n>\n> x")
        #expect(markdown.render(body: "[qt][qtmeta aid=5]x[/qt]") == "> **user 5**\n>\n> x")
    }
}
