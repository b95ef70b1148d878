@testable import CWArchiveCore

/// Values shaped like those the exporters give the templates (see ``MessageViewBuilder``).
enum MustacheFixtures {
    static let hostile = MustacheDifferentialTests.hostile

    static func file(_ id: Int, _ name: String, archived: Bool, image: Bool) -> MustacheValue {
        ExportFileView(id: id, name: name, href: archived ? "files/\(id)-\(name)" : "", path: archived ? "files/\(id)" : "",
                       size: "1.2 KB", image: image, archived: archived).mustacheValue
    }

    static func message(_ i: Int, dayStart: String?, edited: Bool, deleted: Bool, earlier: Bool, files: [MustacheValue]) -> MustacheObject {
        var o: MustacheObject = [
            "anchor": .string("m\(i)"), "messageID": .string("\(i)"), "version": .int(i % 3 + 1),
            "author": .string(i % 2 == 0 ? "Alice <b>Smith</b>" : hostile), "authorID": .int(i),
            "time": .string("09:3\(i % 10)"), "dateTime": .string("2024-05-01 09:30"), "iso": .string("2024-05-01T09:30:00+09:00"),
            "day": .string("2024-05-01"), "edited": .bool(edited), "earlierVersion": .bool(earlier), "deleted": .bool(deleted),
            "statusLabel": .string(deleted ? "deleted" : ""), "classes": .string("cw-message"),
            "body": .string("<p>body \(i) &amp; more</p>\n<blockquote>x</blockquote>"), "url": .string("https://www.chatwork.com/#!rid1-\(i)"),
            "files": .list(files), "hasFiles": .bool(!files.isEmpty),
        ]
        if edited { o["editedAt"] = .string("2024-05-02 10:00") }
        if let dayStart { o["dayStart"] = .string(dayStart) }
        return o
    }

    static let messages: [MustacheObject] = [
        message(1, dayStart: "2024-05-01 Wed", edited: false, deleted: false, earlier: false, files: []),
        message(2, dayStart: nil, edited: true, deleted: false, earlier: false,
                files: [file(1, "a<b>.png", archived: true, image: true), file(2, "doc_*1*.pdf", archived: true, image: false),
                        file(3, "gone [x].txt", archived: false, image: false)]),
        message(3, dayStart: "2024-05-02 Thu", edited: true, deleted: true, earlier: true, files: [file(4, hostile, archived: false, image: true)]),
    ]

    static let page: MustacheObject = {
        var c: MustacheObject = [
            "toolVersion": .string("1.0"), "headHash": .string("abc123"), "timeZone": .string("Asia/Tokyo"), "roomID": .int(1),
            "roomName": .string(hostile), "roomType": .string("group"), "messageCount": .int(0), "range": .string("no messages"),
            "history": .bool(true), "url": .string("https://www.chatwork.com/#!rid1"), "firstTime": .string("2024-05-01 09:00"),
            "lastTime": .string("2024-05-31 18:12"), "description": .string(hostile), "page": .int(2), "pageCount": .int(3),
            "paged": .bool(true), "title": .string("T (2/3)"), "prevHref": .string("r.html"), "nextHref": .string("r-3.html"),
            "indexHref": .string("index.html"), "empty": .bool(true), "messages": .string("<!-- messages -->"), "roomCount": .int(2),
        ]
        c["pages"] = .list((1...3).map { .object(["number": .int($0), "href": .string("r-\($0).html"), "current": .bool($0 == 2)]) })
        var room = c
        room["href"] = .string("r.html")
        room["pages"] = .int(3)
        c["rooms"] = .list([.object(room), .object(room)])
        return c
    }()
}
