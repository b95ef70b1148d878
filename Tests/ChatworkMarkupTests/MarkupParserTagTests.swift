import Testing
@testable import ChatworkMarkup

/// Each tag from the Chatwork markup table parses into the right node.
@Suite struct MarkupParserTagTests {
    private func parse(_ body: String) -> [MarkupNode] { MarkupParser.parse(body) }

    @Test func plainTextIsOneTextNode() {
        #expect(parse("こんにちは\nworld") == [.text("こんにちは\nworld")])
        #expect(parse("") == [])
    }

    @Test func mentionWithNameAfterIt() {
        #expect(parse("[To:123]Bob さん\nhello") == [.mention(accountID: 123), .text("Bob さん\nhello")])
    }

    @Test func mentionIsCaseInsensitiveAndKeepsItsSpelling() {
        let nodes = parse("[to:42]")
        #expect(nodes == [.mention(accountID: 42, spelling: MarkupSpelling(tags: ["[to:42]"]))])
        #expect(nodes.sourceText == "[to:42]")
    }

    @Test func toAll() {
        #expect(parse("[toall] 全員") == [.toAll(), .text(" 全員")])
        #expect(parse("[TOALL]") == [.toAll(spelling: MarkupSpelling(tags: ["[TOALL]"]))])
    }

    @Test func reply() {
        #expect(
            parse("[rp aid=11 to=22-1234567890123456789]Ann") == [
                .reply(accountID: 11, roomID: 22, messageID: "1234567890123456789"), .text("Ann"),
            ])
        #expect(parse("[rp aid=11]") == [.reply(accountID: 11, roomID: nil, messageID: nil)])
        // A bad target keeps the tag as a reply without a target, spelled as written.
        let bad = parse("[rp aid=11 to=x]")
        #expect(bad == [.reply(accountID: 11, roomID: nil, messageID: nil, spelling: MarkupSpelling(tags: ["[rp aid=11 to=x]"]))])
        // Without aid it is not a reply.
        #expect(parse("[rp to=1-2]") == [.text("[rp to=1-2]")])
    }

    @Test func quoteWithMeta() {
        #expect(
            parse("[qt][qtmeta aid=5 time=1700000000]引用文[/qt]後") == [
                .quote(accountID: 5, time: 1_700_000_000, children: [.text("引用文")]), .text("後"),
            ])
    }

    @Test func quoteWithoutTimeOrMeta() {
        #expect(parse("[qt][qtmeta aid=5]a[/qt]") == [.quote(accountID: 5, time: nil, children: [.text("a")])])
        #expect(parse("[qt]a[/qt]") == [.quote(accountID: nil, time: nil, children: [.text("a")])])
    }

    @Test func quoteWithBadTimeKeepsAccount() {
        let body = "[qt][qtmeta aid=1 time=abc]x[/qt]"
        let nodes = parse(body)
        #expect(nodes.count == 1)
        guard case .quote(let aid, let time, let children, _)? = nodes.first else {
            Issue.record("not a quote: \(nodes)")
            return
        }
        #expect(aid == 1 && time == nil && children == [.text("x")])
        #expect(nodes.sourceText == body)
    }

    @Test func nestedQuote() {
        #expect(
            parse("[qt][qtmeta aid=1 time=2]a[qt][qtmeta aid=3 time=4]b[/qt]c[/qt]") == [
                .quote(
                    accountID: 1, time: 2,
                    children: [.text("a"), .quote(accountID: 3, time: 4, children: [.text("b")]), .text("c")])
            ])
    }

    @Test func infoWithAndWithoutTitle() {
        #expect(parse("[info]本文[/info]") == [.info(title: nil, children: [.text("本文")])])
        #expect(
            parse("[info][title]件名[/title]本文[/info]") == [
                .info(title: [.text("件名")], children: [.text("本文")])
            ])
    }

    @Test func fileUploadedSystemMessage() {
        let body = "[info][title][dtext:file_uploaded][/title][download:1234]report.pdf (1.20 MB)[/download][/info]"
        #expect(
            parse(body) == [
                .info(
                    title: [.systemText(key: "file_uploaded")],
                    children: [.download(fileID: 1234, label: "report.pdf (1.20 MB)")])
            ])
    }

    @Test func titleOnlyCountsAtTheStartOfAnInfo() {
        #expect(parse("[title]x[/title]") == [.text("[title]x[/title]")])
        #expect(parse("[info]a[title]x[/title][/info]") == [.info(title: nil, children: [.text("a[title]x[/title]")])])
    }

    @Test func codeIsVerbatim() {
        #expect(parse("[code][To:1] :) <b>\n[/code]") == [.code("[To:1] :) <b>\n")])
        #expect(parse("[CODE]x[/Code]") == [.code("x", spelling: MarkupSpelling(tags: ["[CODE]", "[/Code]"]))])
    }

    @Test func ruleAndPeople() {
        #expect(
            parse("[hr][picon:1][pname:2][piconname:3]") == [
                .rule(), .personIcon(accountID: 1), .personName(accountID: 2), .personIconName(accountID: 3),
            ])
    }

    @Test func preview() {
        #expect(parse("[preview id=77 ht=150]") == [.preview(fileID: 77, height: 150)])
        #expect(parse("[preview id=77]") == [.preview(fileID: 77, height: nil)])
        #expect(parse("[preview ht=1]") == [.text("[preview ht=1]")])
    }

    @Test func task() {
        #expect(
            parse("[task aid=9 st=open lt=1700000000 ltype=date]資料作成[/task]") == [
                .task(accountID: 9, status: "open", limitTime: 1_700_000_000, limitType: "date", children: [.text("資料作成")])
            ])
        // Attributes in another order parse the same and keep their spelling.
        let nodes = parse("[task st=done aid=9]x[/task]")
        guard case .task(let aid, let status, nil, nil, let children, let spelling)? = nodes.first else {
            Issue.record("not a task: \(nodes)")
            return
        }
        #expect(aid == 9 && status == "done" && children == [.text("x")])
        #expect(spelling.tags == ["[task st=done aid=9]", "[/task]"])
    }

    @Test func systemTextsAndDeleted() {
        #expect(
            parse("[dtext:chatroom_member_is][piconname:1][dtext:chatroom_added]") == [
                .systemText(key: "chatroom_member_is"), .personIconName(accountID: 1),
                .systemText(key: "chatroom_added"),
            ])
        #expect(parse("[deleted]") == [.deleted()])
        #expect(parse("[dtext:<x>]") == [.text("[dtext:<x>]")])
    }

    @Test func emoticons() {
        #expect(parse("了解です(bow):)") == [.text("了解です"), .emoticon("(bow)"), .emoticon(":)")])
        #expect(parse("ok (y)") == [.text("ok "), .emoticon("(y)")])
        #expect(parse("(handshake)(F)") == [.emoticon("(handshake)"), .emoticon("(F)")])
        for code in Emoticons.codes {
            #expect(parse(" \(code) ") == [.text(" "), .emoticon(code), .text(" ")], "code \(code)")
        }
        // The byte test that comes before a match accepts exactly the codes' first bytes.
        let firsts = Set(Emoticons.codes.compactMap(\.utf8.first))
        #expect((0...255).filter { Emoticons.mayStart(UInt8($0)) }.map(UInt8.init) == firsts.sorted())
    }

    @Test func emoticonLookalikesInUrlsAndWordsStayText() {
        #expect(parse("http://a:p/b") == [.text("http://a:p/b")])
        #expect(parse("C:Data") == [.text("C:Data")])
        #expect(parse("(f)") == [.text("(f)")])
        #expect(parse("[code]:)[/code]") == [.code(":)")])
    }

    @Test func downloadNeedsItsCloseOnTheSameLine() {
        #expect(parse("[download:1]a\nb[/download]") == [.text("[download:1]a\nb[/download]")])
    }

    @Test func unknownUnclosedAndMisnestedTagsStayText() {
        #expect(parse("[foo]bar[/foo]") == [.text("[foo]bar[/foo]")])
        #expect(parse("[qt]unclosed") == [.text("[qt]unclosed")])
        #expect(parse("[/qt][/info]") == [.text("[/qt][/info]")])
        #expect(
            parse("[qt]a[info]b[/qt]c[/info]") == [
                .quote(accountID: nil, time: nil, children: [.text("a[info]b")]), .text("c[/info]"),
            ])
        #expect(parse("[To:abc][To:][To:99999999999999999999]") == [.text("[To:abc][To:][To:99999999999999999999]")])
        #expect(parse("[[To:1]]") == [.text("["), .mention(accountID: 1), .text("]")])
    }

    @Test func queries() {
        let body = """
            [rp aid=1 to=10-100][To:2][To:1][toall]
            [info][title][dtext:file_uploaded][/title][download:5]a (1 KB)[/download][/info]
            [qt][qtmeta aid=3 time=4][preview id=6 ht=100][download:5]a (1 KB)[/download][rp aid=4 to=10-101][/qt]
            [code][download:7]x[/download][/code]
            """
        #expect(MarkupParser.referencedFileIDs(in: body) == [5, 6])
        #expect(MarkupParser.mentionedAccountIDs(in: body) == [1, 2, 4])
        let messages = MarkupParser.referencedMessages(in: body)
        #expect(messages.map { "\($0.roomID)-\($0.messageID)" } == ["10-100", "10-101"])
        #expect(MarkupParser.mentionsAll(in: MarkupParser.parse(body)))
    }
}
