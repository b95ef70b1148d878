import Foundation
@testable import ChatworkMarkup

/// A context and a set of representative bodies shared by the renderer tests.
enum RendererFixtures {
    static let context = StaticMarkupContext(
        accountNames: [1: "Bob Smith", 2: "Alice <Admin>", 3: "*Star* _Under_"],
        files: [
            10: MarkupFileInfo(name: "report.pdf", size: 1_258_291, href: "files/10/report.pdf"),
            11: MarkupFileInfo(name: "photo.png", size: 20_480, href: "files/11/photo.png", isImage: true),
            12: MarkupFileInfo(name: "old.png", size: 10, href: nil, isImage: true),
            13: MarkupFileInfo(name: "\"><img src=x onerror=alert(1)>", href: "javascript:alert(1)", isImage: true),
            14: MarkupFileInfo(name: "x.svg", href: "data:image/svg+xml,<svg onload=alert(1)>", isImage: true),
        ],
        messageLinks: ["100-1234567890": "../rooms/100.html#m1234567890", "100-666": "javascript:alert(1)"],
        timeZone: TimeZone(identifier: "Asia/Tokyo") ?? .current)

    /// (name, body) pairs; each gets a golden file per renderer.
    static let bodies: [(String, String)] = [
        ("mention", "[To:1]Bob Smithさん\nお疲れ様です。資料を確認しました:)"),
        ("mention-unknown", "[To:99]Carolさん [toall] 全員へ"),
        ("reply", "[rp aid=2 to=100-1234567890]Alice <Admin>さん\n了解です(bow)"),
        ("reply-unsafe-link", "[rp aid=1 to=100-666]x [rp aid=1 to=200-7] [rp aid=1]"),
        ("quote", "[qt][qtmeta aid=1 time=1704157200]明日の会議は10時からです。\n場所は3F[/qt]\n承知しました"),
        ("quote-nested", "[qt][qtmeta aid=2 time=1704157200][qt][qtmeta aid=1]inner[/qt]outer[/qt]"),
        ("info-file", "[info][title][dtext:file_uploaded][/title][download:10]report.pdf (1.20 MB)[/download][/info]"),
        ("info-untitled", "[info]お知らせ\n# 見出しではない[/info]"),
        ("code", "見てください[code]if a < b && c {\n  print(\"```\")\n}[/code]\nどう?"),
        ("task", "[task aid=1 st=open lt=1704153600 ltype=date]資料作成[/task][task aid=3 st=done lt=1704157200 ltype=time]レビュー\n2行目[/task]"),
        ("system", "[dtext:chatroom_groupchat_created]\n[dtext:chatroom_member_is][piconname:1][piconname:2][dtext:chatroom_added][dtext:unknown_key]"),
        ("preview", "[preview id=11 ht=150][download:11]photo.png (20 KB)[/download]\n[preview id=12 ht=100][download:12]old.png (10 B)[/download]"),
        ("hostile", "<script>alert(1)</script> *bold* _x_ `y` ~z~ $m$\n# head\n1. list\n- item\n    indented\n| a | b |\n---\n[download:13]\"><script>[/download][preview id=13][preview id=14 ht=1]"),
        ("rule-deleted", "上[hr]下\n[deleted]"),
        ("malformed", "[qt]unclosed [To:abc] [info]x[/qt] [/info] [foo] [pname:3]"),
    ]
}
