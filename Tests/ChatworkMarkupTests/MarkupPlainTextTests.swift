import Testing
@testable import ChatworkMarkup

/// Search reads bodies through ``MarkupPlainText``; the exports through ``MarkupParser``. Both
/// must agree on what is a tag, because there is one scanner.
@Suite("The text a reader sees: the parser's tags become spaces, everything else stays")
struct MarkupPlainTextTests {
    @Test func tagsTheParserKnowsGoAndEverythingElseStays() {
        #expect(MarkupPlainText.withoutTags("[To:1]田中さん") == " 田中さん")
        #expect(MarkupPlainText.withoutTags("[draft] 見積 [WIP] [x]") == "[draft] 見積 [WIP] [x]")
        #expect(MarkupPlainText.withoutTags("[qt]引用の途中") == "[qt]引用の途中") // unclosed: text
        #expect(MarkupPlainText.withoutTags("[code][To:1] a[/code]") == " [To:1] a ") // verbatim inside code
        #expect(MarkupPlainText.withoutTags("[info][title]議事録[/title]本日[/info]") == " 議事録 本日 ")
        #expect(MarkupPlainText.withoutTags("[download:4]見積.pdf (1 KB)[/download]") == " 見積.pdf (1 KB) ")
        #expect(MarkupPlainText.withoutTags("a[1]b (bow) :)") == "a[1]b (bow) :)")
        #expect(MarkupPlainText.withoutTags("") == "")
    }

    @Test func personNamesAreTheParsersTagsToo() {
        let body = "[pname:12] さんと[piconname:7]、[pname:99]、[pname:]、[pname:1x]、[pnamex:3]"
        #expect(MarkupPlainText.personNameIDs(in: body) == [12, 7, 99])
        #expect(MarkupPlainText.personNameIDs(in: "[qt][pname:5][/qt][code][pname:6][/code]") == [5])
        #expect(MarkupPlainText.personNameIDs(in: "[pname:123456789012345678901]").isEmpty) // too long for an id
        let out = MarkupPlainText.withoutTags(body, personName: { [12: "山田", 7: "Emily"][$0] })
        #expect(out == " 山田  さんと Emily 、 、[pname:]、[pname:1x]、[pnamex:3]")
    }

    /// On random and hostile bodies: the result is exactly the text the parser reads (text,
    /// emoticons, the verbatim insides of `[code]` and `[download]`), in order, with spaces where
    /// tags were, and nothing of any tag; a body without tags comes back unchanged.
    @Test func randomBodiesKeepExactlyTheirText() {
        var random = XorShift(seed: 2026_12_04)
        for _ in 0..<5_000 {
            let body = RandomBodies.body(using: &random)
            let nodes = MarkupParser.parse(body)
            let out = MarkupPlainText.withoutTags(body)
            let text = Self.texts(nodes).joined()
            #expect(out.unicodeScalars.filter { $0 != " " }.map(String.init).joined()
                    == text.unicodeScalars.filter { $0 != " " }.map(String.init).joined(), "\(body.debugDescription)")
            if nodes.allSatisfy(Self.isText) {
                #expect(out == body, "\(body.debugDescription)")
            }
        }
    }

    /// The shortcut that skips the parse for bodies without `[d`/`[p` gives the parse's answer.
    @Test func fileReferencesWithoutAParseAgreeWithTheParse() {
        var random = XorShift(seed: 77)
        for _ in 0..<5_000 {
            let body = RandomBodies.body(using: &random)
            #expect(MarkupParser.referencedFileIDs(in: body) == MarkupParser.referencedFileIDs(in: MarkupParser.parse(body)), "\(body.debugDescription)")
        }
        #expect(MarkupParser.referencedFileIDs(in: "[DOWNLOAD:4]a (1 KB)[/download] [Preview id=5]") == [4, 5])
        #expect(!MarkupParser.mayReferToFiles("[To:1] 資料です"))
    }

    private static func isText(_ node: MarkupNode) -> Bool {
        switch node {
        case .text, .emoticon: return true
        default: return false
        }
    }

    private static func texts(_ nodes: [MarkupNode]) -> [String] {
        nodes.flatMap { node -> [String] in
            switch node {
            case .text(let t), .emoticon(let t), .code(let t, _), .download(_, let t, _): return [t]
            case .quote(_, _, let c, _), .task(_, _, _, _, let c, _): return texts(c)
            case .info(let t, let c, _): return texts(t ?? []) + texts(c)
            default: return []
            }
        }
    }
}

@Suite("Person-name tags: the byte scan finds name: where String.contains does")
struct PersonNameScanTests {
    @Test func theByteScanAgreesWithContains() {
        var random = XorShift(seed: 5)
        for _ in 0..<3_000 {
            let body = RandomBodies.body(using: &random) + (Bool.random(using: &random) ? "[pname:1]" : "nname:")
            #expect(MarkupPlainText.hasPersonNameTag(body) == body.utf8.elementsEqualSubsequence("name:"), "\(body.debugDescription)")
        }
        #expect(MarkupPlainText.hasPersonNameTag("nnname:"))
        #expect(!MarkupPlainText.hasPersonNameTag("nam e:"))
        #expect(MarkupPlainText.hasPersonNameTag("[piconname:3]"))
    }
}

extension String.UTF8View {
    /// Whether `needle` occurs in these bytes (a plain reference for the test).
    func elementsEqualSubsequence(_ needle: String) -> Bool {
        let h = Array(self), n = Array(needle.utf8)
        guard n.count <= h.count else { return false }
        for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n { return true }
        return false
    }
}
