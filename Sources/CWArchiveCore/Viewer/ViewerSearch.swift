import Foundation

/// The parameters of `/search` and `/api/search`, as the URL gave them (dates still text).
public struct ViewerSearchParameters: Sendable, Equatable {
    /// The query, in `cwarchive search`'s query language.
    public var query: String
    public var roomIDs: [Int]
    public var accountIDs: [Int]
    /// `--since` / `--until` grammar (``DateArgument``).
    public var since: String?
    public var until: String?
    /// Also earlier versions of edited messages and deleted messages.
    public var history: Bool
    /// The `next` cursor of the previous page.
    public var cursor: String?

    public init(query: String = "", roomIDs: [Int] = [], accountIDs: [Int] = [], since: String? = nil, until: String? = nil,
                history: Bool = false, cursor: String? = nil) {
        self.query = query; self.roomIDs = roomIDs; self.accountIDs = accountIDs; self.since = since; self.until = until
        self.history = history; self.cursor = cursor
    }
}

/// Search for the viewer: the same engine, query language and snippets as `cwarchive search`,
/// newest first, ``hitsPerPage`` hits a page with a cursor to the next.
extension ArchiveViewer {
    public static let hitsPerPage = 50

    /// One page of hits and the cursor to the next (nil on the last page).
    struct SearchPage {
        var query: SearchQuery
        var hits: [SearchHit]
        var next: String?
    }

    func runSearch(_ p: ViewerSearchParameters) throws -> SearchPage {
        let query: SearchQuery
        let range: (since: Int?, until: Int?)
        do {
            query = try SearchQuery.parse(p.query)
            range = try DateArgument.range(since: p.since, until: p.until, timeZone: clock.timeZone)
        } catch {
            throw ViewerError.badRequest("\(error)")
        }
        var before: Int64?
        if let cursor = p.cursor, !cursor.isEmpty {
            guard cursor.utf8.count <= 19, cursor.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int64(cursor), n > 0 else {
                throw ViewerError.badRequest("the cursor \(TerminalText.quoted(cursor, limit: 40)) is not one this viewer gave")
            }
            before = n
        }
        let filter = SearchFilter(roomIDs: p.roomIDs, accountIDs: p.accountIDs, since: range.since, until: range.until,
                                  includeHistory: p.history, beforeRowID: before)
        var hits = try SearchEngine(index: try handle.current()).search(query, filter: filter, sort: .newest, limit: Self.hitsPerPage + 1)
        let more = hits.count > Self.hitsPerPage
        if more { hits.removeLast(hits.count - Self.hitsPerPage) }
        return SearchPage(query: query, hits: hits, next: more ? hits.last.map { String($0.rowID) } : nil)
    }

    /// `/api/search`: `{"hits": [...], "next": "CURSOR" or null}`, each hit with the fields of
    /// `cwarchive search --format json`.
    public func searchJSON(_ p: ViewerSearchParameters) throws -> Data {
        let page = try runSearch(p)
        let output = SearchOutput(format: .json, timeZone: clock.timeZone)
        // Every hit written into one buffer (a page is about 40 KB), without a String per hit.
        var out: [UInt8] = Array("{\"hits\":[".utf8)
        out.reserveCapacity(page.hits.reduce(1_024) { $0 + $1.body.utf8.count * 2 + 400 })
        for (i, hit) in page.hits.enumerated() {
            if i > 0 { out.append(0x2C) }
            output.appendJSON(hit, query: page.query, to: &out)
        }
        let next = try page.next.map { String(decoding: try Self.json($0), as: UTF8.self) } ?? "null"
        out.append(contentsOf: "],\"next\":\(next)}".utf8)
        return Data(out)
    }

    /// `/search`: the form, and the hits when there is a query. A bad query or date is a
    /// ``ViewerError/badRequest(_:)``, rendered by ``searchErrorPage(_:message:)``.
    public func searchPage(_ p: ViewerSearchParameters) throws -> String {
        let trimmed = p.query.trimmingCharacters(in: .whitespacesAndNewlines)
        var c = try formValues(p)
        guard !trimmed.isEmpty else {
            c["asked"] = .bool(false)
            return templates.viewer.render("search", c)
        }
        let page = try runSearch(p)
        c["asked"] = .bool(true)
        c["hits"] = .list(page.hits.map { .object(hitValue($0, query: page.query)) })
        c["hitCount"] = .int(page.hits.count)
        c["noHits"] = .bool(page.hits.isEmpty)
        if let next = page.next {
            var q = p
            q.cursor = next
            c["nextHref"] = .string("/search" + Self.searchQuery(q))
        }
        if p.cursor != nil {
            var q = p
            q.cursor = nil
            c["firstHref"] = .string("/search" + Self.searchQuery(q))
        }
        return templates.viewer.render("search", c)
    }

    /// The search page showing `message` (a bad query or date) above the form.
    public func searchErrorPage(_ p: ViewerSearchParameters, message: String) -> String {
        var c = (try? formValues(p)) ?? common(head: nil, title: "Search")
        c["asked"] = .bool(false)
        c["error"] = .string(ExportEscaping.display(message))
        return templates.viewer.render("search", c)
    }

    private func formValues(_ p: ViewerSearchParameters) throws -> MustacheObject {
        try read { _, head, _, rooms in
            var c = common(head: head, title: p.query.isEmpty ? "Search" : "Search: \(ExportEscaping.display(p.query))", query: p.query)
            c["since"] = .string(p.since ?? "")
            c["until"] = .string(p.until ?? "")
            c["history"] = .bool(p.history)
            c["accounts"] = .string(p.accountIDs.map(String.init).joined(separator: ","))
            c["rooms"] = .list(rooms.map { r in
                .object(["roomID": .int(r.roomID), "roomName": .string(ExportEscaping.display(r.name)),
                         "selected": .bool(p.roomIDs.contains(r.roomID))])
            })
            return c
        }
    }

    private func hitValue(_ hit: SearchHit, query: SearchQuery) -> MustacheObject {
        let snippet = SnippetBuilder.snippet(body: hit.body, query: query, names: hit.personNames)
        var o: MustacheObject = [
            "roomID": .int(hit.roomID),
            "roomName": .string(ExportEscaping.display(hit.roomName.isEmpty ? "room \(hit.roomID)" : hit.roomName)),
            "author": .string(ExportEscaping.display(hit.accountName)),
            "dateTime": .string(clock.dateTime(hit.sendTime)),
            "iso": .string(clock.iso(hit.sendTime)),
            "messageID": .string(ExportEscaping.display(hit.messageID)),
            "href": .string(ViewerLinks.message(hit.roomID, hit.messageID)),
            "roomHref": .string(ViewerLinks.room(hit.roomID)),
            "url": .string(hit.url),
            "pieces": .list(snippet.pieces.map { .object(["text": .string($0.text), "match": .bool($0.isMatch)]) }),
        ]
        switch hit.status {
        case .current: break
        case .edited: o["statusLabel"] = .string("earlier version \(hit.version)")
        case .deleted: o["statusLabel"] = .string("deleted")
        }
        return o
    }

    /// The query string of a search (for the next-page link).
    static func searchQuery(_ p: ViewerSearchParameters) -> String {
        var items: [(String, String)] = [("q", p.query)]
        for r in p.roomIDs { items.append(("room", String(r))) }
        for a in p.accountIDs { items.append(("account", String(a))) }
        if let s = p.since, !s.isEmpty { items.append(("since", s)) }
        if let u = p.until, !u.isEmpty { items.append(("until", u)) }
        if p.history { items.append(("history", "1")) }
        if let c = p.cursor { items.append(("cursor", c)) }
        return ViewerLinks.query(items)
    }
}
