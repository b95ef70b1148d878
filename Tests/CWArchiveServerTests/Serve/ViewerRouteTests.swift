import CWArchiveCore
import CWArchiveServer
import Foundation
import Testing
import CWTestSupport

/// Every route of `cwarchive serve` over real HTTP, on an archive made from the simulator.
@Suite("Serve: routes over HTTP", .serialized)
struct ViewerRouteTests {
    static func viewer() async throws -> (ServeHarness, RunningViewer) {
        let h = try await ServeHarness.shared.value
        return (h, try await RunningViewer.start(archive: h.archiveURL))
    }

    /// The headers every answer must carry.
    static func expectSecure(_ r: RawHTTP.Response, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let csp = r.header("content-security-policy") ?? ""
        #expect(csp.contains("default-src 'none'"), "\(what): CSP \(csp)", sourceLocation: sourceLocation)
        #expect(!csp.contains("unsafe-inline") || csp.contains("sandbox"), "\(what): inline allowed in \(csp)", sourceLocation: sourceLocation)
        #expect(!csp.contains("http:") && !csp.contains("https:") && !csp.contains("*"), "\(what): other origin in \(csp)", sourceLocation: sourceLocation)
        #expect(r.header("x-content-type-options") == "nosniff", "\(what)", sourceLocation: sourceLocation)
        #expect(r.header("referrer-policy") == "no-referrer", "\(what)", sourceLocation: sourceLocation)
        #expect(r.header("x-frame-options") == "DENY" && csp.contains("frame-ancestors 'none'"), "\(what)", sourceLocation: sourceLocation)
    }

    @Test func listensOnTheAddressItPrints() async throws {
        let (_, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            #expect(v.url == "http://127.0.0.1:\(v.port)/")
            #expect(v.port > 0)
        }
    }

    @Test func roomListShowsEveryRoomWithCountsAndEscapesNames() async throws {
        let (_, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            let r = try await v.http.get("/")
            #expect(r.status == 200)
            #expect(r.header("content-type") == "text/html; charset=utf-8")
            Self.expectSecure(r, "/")
            let page = r.text
            for name in ["プロジェクトA 開発チーム", "雑談 / Random", "全社アナウンス"] { #expect(page.contains(name)) }
            #expect(page.contains("&lt;b&gt;Hostile&lt;/b&gt; &amp; &quot;odd&quot; input ../room"))
            #expect(!page.contains("<b>Hostile</b>"))
            #expect(page.contains("href=\"/rooms/2000006\""))
            #expect(page.contains("action=\"/search\""))
            #expect(page.components(separatedBy: "<tr class=\"cw-room\">").count - 1 == 9)
            #expect(!page.contains("<script>") && page.contains("<script src=\"/assets/viewer.js\" defer></script>"))
        }
    }

    @Test func apiRoomsHasTheContractFields() async throws {
        let (_, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            let r = try await v.http.get("/api/rooms")
            #expect(r.status == 200)
            #expect(r.header("content-type") == "application/json; charset=utf-8")
            Self.expectSecure(r, "/api/rooms")
            let json = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            let rooms = try #require(json["rooms"] as? [[String: Any]])
            #expect(rooms.count == 9)
            let busy = try #require(rooms.first { $0["room_id"] as? Int == ServeHarness.busyRoom })
            for key in ["room_id", "name", "type", "archived_messages", "server_message_num", "gaps"] { #expect(busy[key] != nil, "\(key)") }
            // The first runs reach the newest 100 of its 250 messages (the API's window), and a reply's target.
            #expect((busy["archived_messages"] as? Int ?? 0) > 100)
            #expect(busy["server_message_num"] as? Int == 250)
            let hostile = try #require(rooms.first { $0["room_id"] as? Int == ServeHarness.hostileRoom })
            #expect(hostile["name"] as? String == "<b>Hostile</b> & \"odd\" input ../room")
        }
    }

    /// The message ids on a room page, in page order.
    static func messageIDs(_ page: String) -> [String] {
        page.components(separatedBy: "<article class=\"cw-message").dropFirst().compactMap { chunk in
            guard let r = chunk.range(of: "id=\"m") else { return nil }
            return String(chunk[r.upperBound...].prefix { $0.isNumber })
        }
    }

    static func link(_ page: String, rel: String) -> String? {
        guard let r = page.range(of: "\" rel=\"\(rel)\"") else { return nil }
        let before = page[..<r.lowerBound]
        guard let start = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...]).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func roomPagesWalkEveryMessageOnceNewestFirst() async throws {
        let (_, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            let rooms = try #require(try JSONSerialization.jsonObject(with: try await v.http.get("/api/rooms").body) as? [String: Any])
            let busy = try #require((rooms["rooms"] as? [[String: Any]])?.first { $0["room_id"] as? Int == ServeHarness.busyRoom })
            let total = try #require(busy["archived_messages"] as? Int)
            try #require(total > ArchiveViewer.pageSize)
            var target: String? = "/rooms/\(ServeHarness.busyRoom)"
            var seen: [String] = []
            var pages = 0
            while let t = target {
                let r = try await v.http.get(t)
                #expect(r.status == 200, "\(t)")
                Self.expectSecure(r, t)
                let ids = Self.messageIDs(r.text)
                #expect(ids.count <= ArchiveViewer.pageSize && !ids.isEmpty)
                seen = ids + seen
                pages += 1
                target = Self.link(r.text, rel: "prev")
                if pages > 5 { break }
            }
            #expect(pages == (total + ArchiveViewer.pageSize - 1) / ArchiveViewer.pageSize)
            #expect(seen.count == total && Set(seen).count == total)
            #expect(seen == seen.sorted { ($0.count, $0) < ($1.count, $1) })
            // The oldest page starts at the oldest message, and its next link continues from there.
            let oldest = try await v.http.get("/rooms/\(ServeHarness.busyRoom)?oldest=1")
            #expect(Self.messageIDs(oldest.text) == Array(seen.prefix(100)))
            let next = try #require(Self.link(oldest.text, rel: "next"))
            let second = try await v.http.get(next)
            #expect(Self.messageIDs(second.text) == Array(seen[100..<min(200, total)]))
        }
    }

    @Test func roomPageRendersLikeTheExport() async throws {
        let (_, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            let r = try await v.http.get("/rooms/\(ServeHarness.hostileRoom)")
            #expect(r.status == 200)
            let page = r.text
            // Hostile bodies are text, never markup.
            #expect(page.contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;") || page.contains("&lt;script&gt;alert("))
            #expect(!page.contains("<script>alert"))
            #expect(!page.contains("<img src=x"))
            #expect(page.contains("class=\"cw-info\""))
            #expect(page.contains("<h1>&lt;b&gt;Hostile&lt;/b&gt; &amp; &quot;odd&quot; input ../room</h1>"))
            // Files link to /files/SHA256, never to a name.
            #expect(!page.contains("etc/passwd\""))
            let group = try await v.http.get("/rooms/\(ServeHarness.groupRoom)?oldest=1")
            #expect(group.text.contains("href=\"/files/"))
            #expect(group.text.contains("<img"))
        }
    }

    @Test func messageInContextShowsEveryVersionAndTheDeletion() async throws {
        let (h, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            let edited = try await v.http.get("/rooms/\(ServeHarness.groupRoom)/messages/\(h.editedID)")
            #expect(edited.status == 200)
            Self.expectSecure(edited, "message")
            let focus = try #require(edited.text.components(separatedBy: "<section class=\"cw-focus\"").last?.components(separatedBy: "</section>").first)
            #expect(focus.contains("稟議書 60 件目を提出しました"))
            #expect(focus.contains("稟議書の第二版を提出しました"))
            #expect(focus.contains("earlier version 1"))
            let before = try #require(edited.text.components(separatedBy: "cw-context-before").last?.components(separatedBy: "</div>\n<section").first)
            #expect(before.contains("稟議書 58 件目"))
            let deleted = try await v.http.get("/rooms/\(ServeHarness.groupRoom)/messages/\(h.deletedID)")
            #expect(deleted.status == 200)
            #expect(deleted.text.contains("cw-message-deleted"))
            // The room page shows the deletion too, marked.
            let room = try await v.http.get("/rooms/\(ServeHarness.groupRoom)")
            #expect(room.text.contains("id=\"m\(h.deletedID)\""))
            #expect(room.text.contains("href=\"/rooms/\(ServeHarness.groupRoom)/messages/\(h.editedID)\""))
            let history = try await v.http.get("/rooms/\(ServeHarness.groupRoom)?history=1")
            #expect(history.text.contains("id=\"m\(h.editedID)-v1\""))
            #expect(!room.text.contains("id=\"m\(h.editedID)-v1\""))
        }
    }

    @Test func searchHighlightsMatchesAndPagesWithACursor() async throws {
        let (h, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            let r = try await v.http.get("/search?q=%E7%A8%9F%E8%AD%B0")
            #expect(r.status == 200)
            Self.expectSecure(r, "/search")
            #expect(r.text.contains("<mark>稟議</mark>"))
            #expect(r.text.contains("href=\"/rooms/\(ServeHarness.groupRoom)/messages/"))
            let first = r.text.components(separatedBy: "<li class=\"cw-hit\">").count - 1
            #expect(first == ArchiveViewer.hitsPerPage)
            let next = try #require(Self.link(r.text, rel: "next"))
            let second = try await v.http.get(next)
            #expect(second.status == 200)
            // 60 added, one deleted: 59 current messages mention 稟議.
            #expect(second.text.components(separatedBy: "<li class=\"cw-hit\">").count - 1 == ServeHarness.ringiCount - 1 - ArchiveViewer.hitsPerPage)
            #expect(Self.link(second.text, rel: "next") == nil)
            // With history the deleted one and the earlier version are found too.
            let api = try await v.http.get("/api/search?q=%E7%A8%9F%E8%AD%B0&history=1&room=\(ServeHarness.groupRoom)")
            let json = try #require(try JSONSerialization.jsonObject(with: api.body) as? [String: Any])
            let hits = try #require(json["hits"] as? [[String: Any]])
            #expect(hits.count == ArchiveViewer.hitsPerPage)
            let cursor = try #require(json["next"] as? String)
            let rest = try await v.http.get("/api/search?q=%E7%A8%9F%E8%AD%B0&history=1&room=\(ServeHarness.groupRoom)&cursor=\(cursor)")
            let restJSON = try #require(try JSONSerialization.jsonObject(with: rest.body) as? [String: Any])
            let restHits = try #require(restJSON["hits"] as? [[String: Any]])
            #expect(restJSON["next"] is NSNull)
            let all = (hits + restHits).compactMap { h in (h["message_id"] as? String).map { "\($0)-\(h["version"] as? Int ?? 0)" } }
            #expect(all.count == ServeHarness.ringiCount + 1 && Set(all).count == all.count)
            #expect(Set(hits.compactMap { $0["message_id"] as? String }).contains(h.deletedID) || Set(restHits.compactMap { $0["message_id"] as? String }).contains(h.deletedID))
            // The fields of `search --format json`.
            let keys = Set(try #require(hits.first).keys)
            #expect(keys == ["room_id", "room_name", "message_id", "version", "account_id", "account_name", "send_time", "update_time", "status", "body", "snippet", "url", "source"])
            // Filters: another room, an author.
            let none = try await v.http.get("/api/search?q=%E7%A8%9F%E8%AD%B0&room=\(ServeHarness.busyRoom)")
            #expect((try JSONSerialization.jsonObject(with: none.body) as? [String: Any])?["hits"] as? [Any] != nil)
            #expect(((try JSONSerialization.jsonObject(with: none.body) as? [String: Any])?["hits"] as? [Any])?.isEmpty == true)
            let byAuthor = try await v.http.get("/api/search?q=%E7%A8%9F%E8%AD%B0&account=1000003&room=\(ServeHarness.groupRoom)")
            let authorHits = ((try JSONSerialization.jsonObject(with: byAuthor.body) as? [String: Any])?["hits"] as? [[String: Any]]) ?? []
            #expect(!authorHits.isEmpty && authorHits.allSatisfy { $0["account_id"] as? Int == 1000003 })
            let later = try await v.http.get("/api/search?q=%E7%A8%9F%E8%AD%B0&since=2999-01-01")
            #expect(((try JSONSerialization.jsonObject(with: later.body) as? [String: Any])?["hits"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func searchFormWithoutAQueryAndBadQueries() async throws {
        let (_, v) = try await Self.viewer()
        try await withTeardown({ await v.stop() }) {
            let form = try await v.http.get("/search")
            #expect(form.status == 200 && form.text.contains("id=\"cw-search\""))
            for bad in ["/api/search?q=", "/api/search?q=a+OR", "/api/search?q=x&since=yesterday", "/api/search?q=x&cursor=abc",
                        "/api/search?q=x&room=abc", "/api/search?q=x&room=-5", "/api/search?q=x&history=maybe", "/api/search?q=x&q=y",
                        "/api/search?q=" + String(repeating: "a", count: 1001)] {
                let r = try await v.http.get(bad)
                #expect(r.status == 400, "\(bad)")
                #expect(r.header("content-type") == "application/json; charset=utf-8", "\(bad)")
                Self.expectSecure(r, bad)
                let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
                #expect((json?["error"] as? String)?.isEmpty == false, "\(bad)")
            }
            let page = try await v.http.get("/search?q=a+OR")
            #expect(page.status == 400 && page.text.contains("class=\"cw-error\""))
        }
    }
}
