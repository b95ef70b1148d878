import Foundation
import Testing
@testable import ChatworkMarkup

/// Renderer output on random and hostile bodies: no raw HTML, only safe links, intact fences,
/// and no text lost when a body has no tags.
@Suite struct MarkupRendererSafetyTests {
    let html = HTMLMarkupRenderer(context: RendererFixtures.context)
    let markdown = MarkdownMarkupRenderer(context: RendererFixtures.context)
    let plain = PlainTextMarkupRenderer(context: RendererFixtures.context)

    /// The elements the HTML renderer writes; anything else after a `<` is a leak.
    static let allowedTags: Set<String> = [
        "span", "/span", "a", "/a", "blockquote", "/blockquote", "div", "/div", "pre", "/pre", "code", "/code",
        "hr", "br", "img", "time", "/time",
    ]

    /// Problems in an HTML fragment: a `<` that does not start an allowed tag, or an unsafe href/src.
    /// Works on Unicode scalars, as an HTML parser does (a `<` followed by a combining mark is
    /// still a `<`).
    static func htmlProblems(_ output: String) -> [String] {
        let scalars = Array(output.unicodeScalars)
        var problems: [String] = []
        for (index, scalar) in scalars.enumerated() where scalar == "<" {
            let name = scalars[(index + 1)...].prefix { $0 != " " && $0 != ">" }
            let text = String(String.UnicodeScalarView(name))
            if !allowedTags.contains(text) { problems.append("tag <\(text.prefix(20))") }
        }
        for attribute in ["href=\"", "src=\""] {
            for range in ranges(of: Array(attribute.unicodeScalars), in: scalars) {
                let value = String(String.UnicodeScalarView(scalars[range.upperBound...].prefix { $0 != "\"" }))
                let lower = value.lowercased()
                let firstSegment = lower.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
                if firstSegment.contains(":") && !lower.hasPrefix("https://") { problems.append("link \(value)") }
                if lower.hasPrefix("//") || value.contains("\\") { problems.append("link \(value)") }
            }
        }
        return problems
    }

    static func ranges(of pattern: [Unicode.Scalar], in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return [] }
        return (0...(scalars.count - pattern.count)).filter { start in
            pattern.indices.allSatisfy { scalars[start + $0] == pattern[$0] }
        }.map { $0..<($0 + pattern.count) }
    }

    /// `replacingOccurrences` on Unicode scalars (String's own works on grapheme clusters).
    static func replacing(_ pattern: String, with replacement: String, in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let target = Array(pattern.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + target.count <= scalars.count, scalars[index] == target[0],
                scalars[index..<(index + target.count)].elementsEqual(target)
            {
                output.append(contentsOf: replacement.unicodeScalars)
                index += target.count
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    @Test func htmlCheckerCatchesLeaks() {
        #expect(!Self.htmlProblems("<script>x</script>").isEmpty)
        #expect(!Self.htmlProblems("<a href=\"javascript:alert(1)\">").isEmpty)
        #expect(!Self.htmlProblems("<img src=\"data:x\">").isEmpty)
        #expect(Self.htmlProblems("<span class=\"cw-x\">a &lt;b&gt;</span><br>").isEmpty)
    }

    @Test func randomBodiesRenderSafely() throws {
        var random = XorShift(seed: 0xBADC0DE)
        for _ in 0..<3000 {
            let body = RandomBodies.body(using: &random)
            let nodes = MarkupParser.parse(body)
            let htmlOutput = html.render(nodes)
            let problems = Self.htmlProblems(htmlOutput)
            #expect(problems.isEmpty, "\(body.debugDescription) → \(problems)")
            #expect(!htmlOutput.contains("\u{0}"))
            let markdownOutput = markdown.render(nodes)
            expectFencesHold(nodes, markdownOutput, body)
            #expect(!markdownOutput.contains("](javascript"), "\(body.debugDescription)")
            _ = plain.render(nodes)
        }
    }

    /// Every code block's content sits between fences longer than its backtick runs.
    private func expectFencesHold(_ nodes: [MarkupNode], _ output: String, _ body: String) {
        MarkupParser.walk(nodes) { node in
            guard case .code(let content, _) = node else { return }
            let fence = MarkdownEscaping.fence(for: content)
            #expect(fence.count >= 3 && !content.contains(fence), "\(body.debugDescription)")
            #expect(output.contains(fence + "\n"), "\(body.debugDescription)")
        }
    }

    @Test func fenceIsLongerThanAnyBacktickRun() {
        var random = XorShift(seed: 7)
        for _ in 0..<2000 {
            var content = ""
            for _ in 0..<Int.random(in: 0...20, using: &random) {
                content += ["`", "``", "```", "````````", "a", "\n", " ", "~~~"][Int.random(in: 0..<8, using: &random)]
            }
            let fence = MarkdownEscaping.fence(for: content)
            #expect(!content.contains(fence))
            #expect(fence.count >= 3 && fence.allSatisfy { $0 == "`" })
        }
    }

    @Test(arguments: [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[download:1]\"><script>[/download]",
        "[qt][qtmeta aid=1 time=abc]", "[qt][qtmeta aid=1 time=abc]<b>[/qt]", "[info][title]<i>[/title]<u>[/info]",
        "[code]</code></pre><script>[/code]", "[task aid=1 st=\"><x lt=1 ltype=date]t[/task]",
        "[dtext:x\"y]", "[preview id=13 ht=99999999999]", "[preview id=14]", "[download:13]a[/download]",
        "[rp aid=1 to=100-666]", "[qt][qtmeta aid=1 time=999999999999999999]x[/qt]",
        "javascript:alert(1) data:text/html,<b>",
    ])
    func hostileBodies(body: String) {
        let nodes = MarkupParser.parse(body)
        let output = html.render(nodes)
        #expect(Self.htmlProblems(output).isEmpty, "\(output)")
        let scalars = Array(output.unicodeScalars)
        #expect(Self.ranges(of: Array("<script".unicodeScalars), in: scalars).isEmpty)
        #expect(Self.ranges(of: Array("<img src=x".unicodeScalars), in: scalars).isEmpty)
        #expect(!markdown.render(nodes).isEmpty)
        #expect(!plain.render(nodes).isEmpty)
    }

    @Test func tenThousandNestedQuotesRender() {
        let body = String(repeating: "[qt][qtmeta aid=1 time=1]", count: 10_000) + "x" + String(repeating: "[/qt]", count: 10_000)
        let nodes = MarkupParser.parse(body)
        #expect(html.render(nodes).components(separatedBy: "<blockquote").count - 1 <= MarkupParser.maxDepth)
        #expect(markdown.render(nodes).contains("x"))
        #expect(plain.render(nodes).contains("x"))
    }

    @Test func longBodiesRender() {
        let body = String(repeating: "<a>&\"[To:1]Bob Smith:)\n", count: 2_850)
        #expect(body.utf16.count > 65_000)
        let nodes = MarkupParser.parse(body)
        let output = html.render(nodes)
        #expect(Self.htmlProblems(output).isEmpty)
        #expect(output.components(separatedBy: "<br>").count == 2_851)
        #expect(markdown.render(nodes).count > 65_000)
        #expect(plain.render(nodes) == String(repeating: "<a>&\"@Bob Smith:)\n", count: 2_850))
    }

    // MARK: No text lost on bodies without tags

    /// Random texts without `[`: each renderer keeps every character (after undoing its escaping).
    @Test func textIsKeptByEveryRenderer() {
        var random = XorShift(seed: 99)
        let pieces = RandomBodies.fragments.filter { !$0.contains("[") && !$0.contains("]") }
        for _ in 0..<2000 {
            var body = ""
            for _ in 0..<Int.random(in: 0...30, using: &random) {
                body += pieces[Int.random(in: 0..<pieces.count, using: &random)]
            }
            let nodes = MarkupParser.parse(body)
            let lines = normalizeBreaks(body)
            #expect(plain.render(nodes) == body, "\(body.debugDescription)")
            #expect(unescapeHTML(html.render(nodes)) == Self.replacing("\u{0}", with: "\u{FFFD}", in: lines),
                    "\(body.debugDescription)")
            #expect(unescapeMarkdown(markdown.render(nodes)) == lines, "\(body.debugDescription)")
        }
    }

    private func normalizeBreaks(_ s: String) -> String {
        Self.replacing("\r", with: "\n", in: Self.replacing("\r\n", with: "\n", in: s))
    }

    /// Reverses HTMLMarkupRenderer's text output (emoticon spans included).
    private func unescapeHTML(_ s: String) -> String {
        var text = Self.replacing("<br>\n", with: "\n", in: s)
        for code in Emoticons.codes {
            let open = "<span class=\"cw-emoticon\" title=\"\(HTMLEscaping.escapeAttribute(Emoticons.names[code] ?? code))\">"
            text = Self.replacing(open, with: "", in: text)
        }
        text = Self.replacing("</span>", with: "", in: text)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = Self.replacing(entity, with: character, in: text)
        }
        return text
    }

    /// Reverses Markdown escaping: backslash escapes, `&#32;`/`&#9;`, hard breaks. Also checks that
    /// no special character is left unescaped.
    private func unescapeMarkdown(_ s: String) -> String {
        let text = Self.replacing(
            "&#9;", with: "\t", in: Self.replacing("&#32;", with: " ", in: Self.replacing("  \n", with: "\n", in: s)))
        var output = ""
        var escaped = false
        for scalar in text.unicodeScalars {
            if !escaped && scalar == "\\" { escaped = true; continue }
            if !escaped && "`*_<>|~$&".unicodeScalars.contains(scalar) {
                Issue.record("unescaped \(scalar) in \(s.debugDescription)")
            }
            escaped = false
            output.unicodeScalars.append(scalar)
        }
        return output
    }
}
