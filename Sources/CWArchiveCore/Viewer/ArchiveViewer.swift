import ChatworkAPI
import ChatworkMarkup
import Foundation

/// The read-only web viewer over a live archive (`cwarchive serve`), without the HTTP: each
/// method answers one page or JSON document, rendering messages with the HTML export's
/// templates and markup renderer. It never takes the archive's lock, and every call reads the
/// index as it is now, so a new run's messages show without a restart.
///
/// Bad parameters and things the archive does not hold are ``ViewerError``s (400 and 404);
/// other errors are the archive's (500).
///
/// `@unchecked Sendable`: the only mutable state, the caches of account names and room rows
/// keyed by the index's manifest head, is guarded by `lock`.
public final class ArchiveViewer: @unchecked Sendable {
    /// Messages on a room page.
    public static let pageSize = 100
    /// Messages shown on each side of a message in context.
    public static let contextSize = 10

    let store: ArchiveStore
    let handle: ViewerIndexHandle
    let templates: ViewerTemplates
    let clock: TimeFormatter
    private let lock = NSLock()
    private var cache: (head: String?, names: [Int: String], rooms: [ViewerRoomRow])?

    /// Opens the archive at `archive` for reading; `templates` overrides the installed
    /// templates (a folder with `viewer/` and/or `html/`).
    public init(archive: URL, templates: URL? = nil, timeZone: TimeZone = .current, now: any NowProvider = SystemClock()) throws {
        store = try ArchiveStore.open(at: archive, create: false)
        handle = try ViewerIndexHandle(store: store, clock: now)
        self.templates = try ViewerTemplates(explicit: templates)
        clock = TimeFormatter(timeZone: timeZone)
    }

    /// The stylesheet for `/assets/style.css`.
    public var stylesheet: String { templates.stylesheet }

    // MARK: - Reading

    /// Runs `body` on the current index in one read transaction, with the cached names and rooms
    /// of the index's state.
    func read<T>(_ body: (ViewerReader, _ head: String?, _ names: [Int: String], _ rooms: [ViewerRoomRow]) throws -> T) throws -> T {
        try handle.current().readForViewer { r in
            let head = try r.headHash()
            lock.lock()
            let cached = cache
            lock.unlock()
            if let cached, cached.head == head {
                return try body(r, head, cached.names, cached.rooms)
            }
            let names = try r.accountNames()
            let rooms = try r.rooms()
            lock.lock()
            cache = (head, names, rooms)
            lock.unlock()
            return try body(r, head, names, rooms)
        }
    }

    /// Values every page sees: provenance and the search box's current text.
    func common(head: String?, title: String, query: String = "") -> MustacheObject {
        ["toolVersion": .string(CWArchiveVersion.string), "headHash": .string(head ?? "none"),
         "timeZone": .string(clock.zoneName), "title": .string(title), "q": .string(query)]
    }

    // MARK: - Rooms

    /// `/`: every room with its type, counts, gaps and span, and a search box.
    public func roomListPage() throws -> String {
        try read { _, head, _, rooms in
            var c = common(head: head, title: "Chatwork archive")
            c["rooms"] = .list(rooms.map { .object(roomValue($0)) })
            c["roomCount"] = .int(rooms.count)
            c["empty"] = .bool(rooms.isEmpty)
            return templates.viewer.render("rooms", c)
        }
    }

    func roomValue(_ r: ViewerRoomRow) -> MustacheObject {
        var o: MustacheObject = [
            "roomID": .int(r.roomID), "roomName": .string(ExportEscaping.display(r.name)), "roomType": .string(r.type),
            "archivedMessages": .int(r.archivedMessages), "serverMessageNum": .int(r.serverMessageNum),
            "gaps": .int(r.gaps), "hasGaps": .bool(r.gaps > 0), "href": .string(ViewerLinks.room(r.roomID)),
        ]
        if let a = r.firstSendTime, let b = r.lastSendTime {
            o["firstTime"] = .string(clock.dateTime(a))
            o["lastTime"] = .string(clock.dateTime(b))
        }
        return o
    }

    /// One room of `/api/rooms`.
    struct RoomJSON: Encodable {
        var room_id: Int
        var name: String
        var type: String
        var description: String?
        var archived_messages: Int
        var server_message_num: Int
        var gaps: Int
        var first_send_time: Int?
        var last_send_time: Int?
    }

    /// `/api/rooms`: `{"rooms": [...]}`.
    public func roomsJSON() throws -> Data {
        let rooms = try read { _, _, _, rooms in rooms }
        let list = rooms.map {
            RoomJSON(room_id: $0.roomID, name: $0.name, type: $0.type, description: $0.description, archived_messages: $0.archivedMessages,
                     server_message_num: $0.serverMessageNum, gaps: $0.gaps, first_send_time: $0.firstSendTime, last_send_time: $0.lastSendTime)
        }
        return try Self.json(["rooms": list])
    }

    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    // MARK: - Messages

    /// Renders messages with the export's `message` template, with day headings and a link to
    /// each message in context.
    func renderMessages(_ messages: [ExportMessage], roomID: Int, reader: ViewerReader, names: [Int: String],
                        into out: inout [UInt8]) throws {
        guard !messages.isEmpty else { return }
        let referenced = messages.reduce(into: Set<Int>()) { $0.formUnion(MarkupParser.referencedFileIDs(in: $1.body)) }
        let files = try reader.files(roomID: roomID, messageIDs: Set(messages.map(\.messageID)), fileIDs: referenced)
        let renderer = MessageBodyRenderer(roomID: roomID, names: names, files: files, clock: clock, href: ViewerFileLinks.href)
        let builder = MessageViewBuilder(roomID: roomID, renderer: renderer, clock: clock, copier: ViewerFileLinks(),
                                         files: files, flavor: .html)
        var lastDay: String?
        for m in messages {
            let stamp = clock.stamp(m.sendTime)
            let heading = stamp.day != lastDay ? clock.dayHeading(m.sendTime) : nil
            lastDay = stamp.day
            var ctx = try builder.context(m, stamp: stamp, dayStart: heading)
            ctx["contextHref"] = .string(ViewerLinks.message(roomID, m.messageID))
            templates.html.render("message", ctx, into: &out)
        }
    }

    /// `/rooms/ID`: a page of the room's messages from `anchor` (``pageSize`` a page), with
    /// links to the pages around, the newest and the oldest.
    public func roomPage(roomID: Int, anchor: ViewerAnchor = .newest, history: Bool = false) throws -> String {
        try read { r, head, names, rooms in
            guard let room = try r.room(roomID) else { throw ViewerError.notFound("room \(roomID) is not in the archive") }
            guard let page = try r.page(roomID: roomID, anchor: anchor, limit: Self.pageSize, history: history) else {
                throw ViewerError.notFound("room \(roomID) has no archived message with that id")
            }
            var html: [UInt8] = []
            try renderMessages(page.messages, roomID: roomID, reader: r, names: names, into: &html)
            let name = ExportEscaping.display(room.name)
            var c = common(head: head, title: name)
            if let row = rooms.first(where: { $0.roomID == roomID }) { c.merge(roomValue(row)) }
            c["roomID"] = .int(roomID)
            c["roomName"] = .string(name)
            c["roomType"] = .string(room.type)
            if let d = room.description, !d.isEmpty { c["description"] = .string(d) }
            c["url"] = .string("https://www.chatwork.com/#!rid\(roomID)")
            c["messages"] = .string(String(decoding: html, as: UTF8.self))
            c["empty"] = .bool(page.messages.isEmpty)
            c["history"] = .bool(history)
            c["historyHref"] = .string(ViewerLinks.room(roomID, anchor: anchor, history: !history))
            c["newestHref"] = .string(ViewerLinks.room(roomID, anchor: .newest, history: history))
            c["oldestHref"] = .string(ViewerLinks.room(roomID, anchor: .oldest, history: history))
            if page.hasOlder, let first = page.messages.first {
                c["olderHref"] = .string(ViewerLinks.room(roomID, anchor: .before(first.messageID), history: history))
            }
            if page.hasNewer, let last = page.messages.last {
                c["newerHref"] = .string(ViewerLinks.room(roomID, anchor: .after(last.messageID), history: history))
            }
            c["paged"] = .bool(page.hasOlder || page.hasNewer)
            return templates.viewer.render("room", c)
        }
    }

    /// `/rooms/ID/messages/MESSAGE_ID`: the message with every version and deletion the
    /// archive holds, between the messages around it.
    public func messagePage(roomID: Int, messageID: String) throws -> String {
        try read { r, head, names, _ in
            guard let room = try r.room(roomID) else { throw ViewerError.notFound("room \(roomID) is not in the archive") }
            let versions = try r.versions(roomID: roomID, messageID: messageID)
            guard !versions.isEmpty,
                  let before = try r.page(roomID: roomID, anchor: .before(messageID), limit: Self.contextSize, history: false),
                  let after = try r.page(roomID: roomID, anchor: .after(messageID), limit: Self.contextSize, history: false) else {
                throw ViewerError.notFound("room \(roomID) has no archived message with that id")
            }
            var beforeHTML: [UInt8] = [], focusHTML: [UInt8] = [], afterHTML: [UInt8] = []
            try renderMessages(before.messages, roomID: roomID, reader: r, names: names, into: &beforeHTML)
            try renderMessages(versions, roomID: roomID, reader: r, names: names, into: &focusHTML)
            try renderMessages(after.messages, roomID: roomID, reader: r, names: names, into: &afterHTML)
            let name = ExportEscaping.display(room.name)
            var c = common(head: head, title: "\(name): message \(ExportEscaping.display(messageID))")
            c["roomID"] = .int(roomID)
            c["roomName"] = .string(name)
            c["roomHref"] = .string(ViewerLinks.room(roomID))
            c["messageID"] = .string(ExportEscaping.display(messageID))
            c["versionCount"] = .int(versions.count)
            c["deleted"] = .bool(versions.contains(where: \.isDeleted))
            c["edited"] = .bool(versions.count > 1)
            c["before"] = .string(String(decoding: beforeHTML, as: UTF8.self))
            c["focus"] = .string(String(decoding: focusHTML, as: UTF8.self))
            c["after"] = .string(String(decoding: afterHTML, as: UTF8.self))
            c["olderHref"] = .string(ViewerLinks.room(roomID, anchor: .before(messageID), history: false))
            c["newerHref"] = .string(ViewerLinks.room(roomID, anchor: .after(messageID), history: false))
            c["url"] = .string("https://www.chatwork.com/#!rid\(roomID)-\(ViewerLinks.segment(messageID))")
            return templates.viewer.render("context", c)
        }
    }

    // MARK: - Files and errors

    /// An archived file as `/files/SHA256` serves it.
    public struct File: Sendable {
        /// The blob in the store.
        public let url: URL
        /// The name it was uploaded with (untrusted).
        public let filename: String
    }

    /// The stored file with this hash: anything that is not 64 hex characters, or not a stored
    /// file of the archive, is ``ViewerError/notFound(_:)`` without touching the file system.
    public func file(sha256: String) throws -> File {
        guard ViewerLinks.isSHA256(sha256) else { throw ViewerError.notFound("no such file") }
        let sha = sha256.lowercased()
        let stored = try handle.current().readForViewer { r in try r.storedFile(sha256: sha) }
        guard let stored else { throw ViewerError.notFound("no archived file has that hash") }
        return File(url: store.blobURL(sha256: sha), filename: stored.filename)
    }

    /// An error page (`message` is escaped by the template).
    public func errorPage(status: Int, message: String) -> String {
        var c = common(head: nil, title: "Error \(status)")
        c["status"] = .int(status)
        c["message"] = .string(ExportEscaping.display(message))
        return templates.viewer.render("error", c)
    }
}

extension MustacheObject {
    /// Sets every value of `other` on this object.
    mutating func merge(_ other: MustacheObject) {
        for (k, v) in other.entries { self[k] = v }
    }
}
