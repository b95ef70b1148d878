import Foundation
import Testing
@testable import ChatworkMarkup

/// Hostile and random bodies: the parser never crashes, never loses text and stays bounded.
@Suite struct MarkupParserRobustnessTests {
    /// Byte-exact round trip (String `==` would also accept canonically equivalent text).
    private func expectRoundTrip(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let nodes = MarkupParser.parse(body)
        #expect(Array(MarkupSerializer.serialize(nodes).utf8) == Array(body.utf8), "\(body.debugDescription)",
                sourceLocation: sourceLocation)
    }

    @Test func randomBodiesRoundTrip() {
        var random = XorShift(seed: 0xC0FFEE)
        var structured = 0
        for _ in 0..<5000 {
            let body = RandomBodies.body(using: &random)
            expectRoundTrip(body)
            if MarkupParser.parse(body).contains(where: { if case .text = $0 { false } else { true } }) {
                structured += 1
            }
        }
        // The generator really exercises tags, not just text.
        #expect(structured > 2500)
    }

    @Test func randomNestedBodiesRoundTrip() {
        // Well-nested skeletons with random damage: dropped, doubled and swapped tags.
        var random = XorShift(seed: 42)
        let opens = ["[qt][qtmeta aid=1 time=2]", "[info]", "[info][title]t[/title]", "[task aid=1 st=open]", "[qt]"]
        let closes = ["[/qt]", "[/info]", "[/info]", "[/task]", "[/qt]"]
        var quotes = 0
        for _ in 0..<2000 {
            var body = ""
            var open: [Int] = []
            for _ in 0..<Int.random(in: 1...60, using: &random) {
                let roll = Int.random(in: 0..<10, using: &random)
                if roll < 3 {
                    let kind = Int.random(in: 0..<opens.count, using: &random)
                    body += opens[kind]
                    open.append(kind)
                } else if roll < 5, let kind = open.popLast() {
                    body += closes[kind]
                } else if roll == 5 {
                    body += closes[Int.random(in: 0..<closes.count, using: &random)]
                } else {
                    body += RandomBodies.fragments[Int.random(in: 0..<RandomBodies.fragments.count, using: &random)]
                }
            }
            expectRoundTrip(body)
            if MarkupParser.parse(body).contains(where: { if case .quote = $0 { true } else { false } }) {
                quotes += 1
            }
        }
        #expect(quotes > 100)
    }

    @Test(arguments: [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[download:1]\"><script>[/download]",
        "[qt][qtmeta aid=1 time=abc]", "[qt][qtmeta aid=1 time=abc]x[/qt]", "[", "]", "[]", "[/]", "[:]",
        "[To:1", "[info][title][/info]", "[info][title]a[/title]", "[code]", "[/code][code]",
        "\u{0}[To:1]\u{0}", "e\u{301}[hr]\u{301}", "[hr]\u{202E}[hr]",
    ])
    func hostileBodiesRoundTrip(body: String) {
        expectRoundTrip(body)
    }

    @Test func hostileDownloadLabelIsKeptVerbatim() {
        #expect(MarkupParser.parse("[download:1]\"><script>[/download]") == [.download(fileID: 1, label: "\"><script>")])
    }

    @Test func tenThousandNestedQuotesDegradeToText() throws {
        let body = String(repeating: "[qt]", count: 10_000) + "x" + String(repeating: "[/qt]", count: 10_000)
        let nodes = MarkupParser.parse(body)
        #expect(MarkupSerializer.serialize(nodes) == body)
        // Depth of the tree is bounded by the parser's limit.
        #expect(depth(of: nodes) <= MarkupParser.maxDepth)
        #expect(depth(of: nodes) >= 2)
    }

    @Test func tenThousandUnclosedOpeningTags() {
        let body = String(repeating: "[qt][info][task][title]", count: 2_500)
        expectRoundTrip(body)
    }

    @Test func longBodiesFinish() {
        // 65,535-character bodies of several adversarial shapes; no timing assertions.
        let shapes = [
            String(repeating: "[", count: 65_535),
            String(repeating: "[qt]", count: 16_383) + "[q",
            String(repeating: "[code]", count: 10_922) + "[c1",
            String(repeating: "[download:1]", count: 5_461) + "[dow",
            String(repeating: "[To:1]あ", count: 9_362) + "[To:",
            String(repeating: ":):p(bow)", count: 7_281) + ":)",
            String(repeating: "a", count: 65_535),
            String(repeating: "[info]x[/qt]", count: 5_461) + "[inf",
        ]
        for body in shapes {
            #expect(body.count >= 65_000)
            expectRoundTrip(body)
        }
    }

    @Test func longBodyWithManyTagsIsParsedFully() {
        let body = String(repeating: "[To:1]", count: 10_000)
        #expect(MarkupParser.parse(body).count == 10_000)
    }

    private func depth(of nodes: [MarkupNode]) -> Int {
        var deepest = 0
        for node in nodes {
            switch node {
            case .quote(_, _, let children, _), .task(_, _, _, _, let children, _):
                deepest = max(deepest, 1 + depth(of: children))
            case .info(let title, let children, _):
                deepest = max(deepest, 1 + max(depth(of: children), depth(of: title ?? [])))
            default: break
            }
        }
        return deepest
    }
}
