import GRDB

/// What the web viewer (`cwarchive serve`) reads from the index: the rooms with their counts,
/// pages of a room's messages around a message (keyset paging, never OFFSET), every version of
/// one message, the files a page shows, and a file by its content hash. Every value from a URL
/// is bound as a parameter; the SQL text is fixed.
extension ArchiveIndex {
    /// Runs `body` with a ``ViewerReader`` inside one read transaction (one state of the index
    /// per page, even while a run writes).
    func readForViewer<T>(_ body: (ViewerReader) throws -> T) throws -> T {
        do {
            return try writer.read { db in try body(ViewerReader(db: db)) }
        } catch let error as DatabaseError {
            throw IndexError(description: "the viewer could not read the index (\(error.resultCode)); if this persists, rebuild it with `cwarchive reindex`")
        }
    }
}

/// One room as the viewer's room list shows it.
struct ViewerRoomRow: Sendable, Equatable {
    var roomID: Int
    var name: String
    var type: String
    var description: String?
    /// Distinct messages the archive holds (deleted ones included).
    var archivedMessages: Int
    /// The number of messages the server reported for the room.
    var serverMessageNum: Int
    var gaps: Int
    var firstSendTime: Int?
    var lastSendTime: Int?
}

/// Where a page of a room starts.
public enum ViewerAnchor: Sendable, Equatable {
    /// The newest messages.
    case newest
    /// The oldest messages.
    case oldest
    /// The messages just older than this one.
    case before(String)
    /// The messages just newer than this one.
    case after(String)
}

/// A page of a room's messages, oldest first, and whether there is more on either side.
struct ViewerMessagePage: Sendable {
    var messages: [ExportMessage]
    var hasOlder: Bool
    var hasNewer: Bool
}

/// The index's read-only queries behind the viewer; valid only inside ``ArchiveIndex/readForViewer(_:)``.
struct ViewerReader {
    fileprivate let db: Database

    private static let columns = "message_id, version, account_id, account_name, body, send_time, update_time, status"

    /// Every room with its counts, by room id.
    func rooms() throws -> [ViewerRoomRow] {
        var counts: [Int: (Int, Int?, Int?)] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT room_id, COUNT(DISTINCT message_id) AS n, MIN(send_time) AS a, MAX(send_time) AS b
            FROM messages GROUP BY room_id
            """) {
            counts[r["room_id"]] = (r["n"], r["a"], r["b"])
        }
        var gaps: [Int: Int] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT room_id, COUNT(*) AS n FROM gaps GROUP BY room_id") {
            gaps[r["room_id"]] = r["n"]
        }
        return try Row.fetchAll(db, sql: "SELECT room_id, name, type, description, message_num FROM rooms ORDER BY room_id").map { r in
            let id: Int = r["room_id"]
            let c = counts[id]
            return ViewerRoomRow(roomID: id, name: r["name"], type: r["type"], description: r["description"],
                                 archivedMessages: c?.0 ?? 0, serverMessageNum: r["message_num"], gaps: gaps[id] ?? 0,
                                 firstSendTime: c?.1, lastSendTime: c?.2)
        }
    }

    /// The room with this id, or nil.
    func room(_ roomID: Int) throws -> ExportRoom? {
        try Row.fetchOne(db, sql: "SELECT room_id, name, type, description FROM rooms WHERE room_id = ?", arguments: [roomID]).map {
            ExportRoom(roomID: $0["room_id"], name: $0["name"], type: $0["type"], description: $0["description"])
        }
    }

    /// The sort key of a message of the room (send time, id length, id), or nil when the room has no such message.
    private func key(roomID: Int, messageID: String) throws -> (Int, Int, String)? {
        try Row.fetchOne(db, sql: "SELECT send_time FROM messages WHERE room_id = ? AND message_id = ? ORDER BY version DESC LIMIT 1",
                         arguments: [roomID, messageID]).map { ($0["send_time"], messageID.utf8.count, messageID) }
    }

    /// Up to `limit` messages of the room from `anchor`, oldest first; nil when the anchor
    /// message is not in the room. Without `history`, earlier versions of edited messages are
    /// left out (deleted messages stay, marked as such). A message's versions are never split
    /// across pages.
    func page(roomID: Int, anchor: ViewerAnchor, limit: Int, history: Bool) throws -> ViewerMessagePage? {
        let statusFilter = history ? "" : " AND status != 'edited'"
        let base = "SELECT \(Self.columns) FROM messages WHERE room_id = ?\(statusFilter)"
        let newestFirst = " ORDER BY send_time DESC, length(message_id) DESC, message_id DESC, version DESC LIMIT ?"
        let oldestFirst = " ORDER BY send_time, length(message_id), message_id, version LIMIT ?"
        // The plain bound lets SQLite seek in (room_id, send_time); the row value breaks ties.
        let older = " AND send_time <= ? AND (send_time, length(message_id), message_id) < (?, ?, ?)"
        let newer = " AND send_time >= ? AND (send_time, length(message_id), message_id) > (?, ?, ?)"
        var rows: [ExportMessage]
        let descending: Bool
        switch anchor {
        case .newest:
            rows = try ExportMessage.fetchAll(db, sql: base + newestFirst, arguments: [roomID, limit + 1])
            descending = true
        case .oldest:
            rows = try ExportMessage.fetchAll(db, sql: base + oldestFirst, arguments: [roomID, limit + 1])
            descending = false
        case .before(let id):
            guard let k = try key(roomID: roomID, messageID: id) else { return nil }
            rows = try ExportMessage.fetchAll(db, sql: base + older + newestFirst, arguments: [roomID, k.0, k.0, k.1, k.2, limit + 1])
            descending = true
        case .after(let id):
            guard let k = try key(roomID: roomID, messageID: id) else { return nil }
            rows = try ExportMessage.fetchAll(db, sql: base + newer + oldestFirst, arguments: [roomID, k.0, k.0, k.1, k.2, limit + 1])
            descending = false
        }
        let more = rows.count > limit
        if more {
            // Drop the message cut by the limit, so that paging on from the last one shown misses none of its versions.
            let cut = rows[limit].messageID
            let kept = rows.prefix(limit).filter { $0.messageID != cut }
            rows = kept.isEmpty ? Array(rows.prefix(limit)) : kept
        }
        if descending { rows.reverse() }
        // Whether anything lies beyond the anchor on the other side.
        var page = ViewerMessagePage(messages: rows, hasOlder: descending && more, hasNewer: !descending && more)
        switch anchor {
        case .before: page.hasNewer = true
        case .after: page.hasOlder = true
        case .newest, .oldest: break
        }
        return page
    }

    /// Every version the archive holds of one message (oldest first), empty when there is none.
    func versions(roomID: Int, messageID: String) throws -> [ExportMessage] {
        try ExportMessage.fetchAll(db, sql: "SELECT \(Self.columns) FROM messages WHERE room_id = ? AND message_id = ? ORDER BY version",
                                   arguments: [roomID, messageID])
    }

    /// The room's files that belong to these messages or have these ids, by file id.
    func files(roomID: Int, messageIDs: Set<String>, fileIDs: Set<Int>) throws -> [Int: ExportFile] {
        var files: [Int: ExportFile] = [:]
        func add(_ rows: [Row]) {
            for r in rows {
                files[r["file_id"]] = ExportFile(fileID: r["file_id"], messageID: r["message_id"], filename: r["filename"],
                                                 filesize: r["filesize"], status: r["status"], sha256: r["sha256"])
            }
        }
        let select = "SELECT file_id, message_id, filename, filesize, status, sha256 FROM files WHERE room_id = ?"
        for chunk in Self.chunks(Array(messageIDs)) {
            add(try Row.fetchAll(db, sql: select + " AND message_id IN (\(Self.marks(chunk.count)))",
                                 arguments: StatementArguments([roomID as any DatabaseValueConvertible] + chunk.map { $0 as any DatabaseValueConvertible })))
        }
        for chunk in Self.chunks(Array(fileIDs)) {
            add(try Row.fetchAll(db, sql: select + " AND file_id IN (\(Self.marks(chunk.count)))",
                                 arguments: StatementArguments([roomID as any DatabaseValueConvertible] + chunk.map { $0 as any DatabaseValueConvertible })))
        }
        return files
    }

    /// A stored file with this content hash (lower-case hex), or nil.
    func storedFile(sha256: String) throws -> ExportFile? {
        try Row.fetchOne(db, sql: """
            SELECT file_id, message_id, filename, filesize, status, sha256 FROM files
            WHERE sha256 = ? AND status = 'stored' ORDER BY room_id, file_id LIMIT 1
            """, arguments: [sha256]).map { r in
            ExportFile(fileID: r["file_id"], messageID: r["message_id"], filename: r["filename"],
                       filesize: r["filesize"], status: r["status"], sha256: r["sha256"])
        }
    }

    /// Every account's name, by account id.
    func accountNames() throws -> [Int: String] {
        var names: [Int: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT account_id, name FROM accounts")
        while let row = try cursor.next() { names[row["account_id"]] = row["name"] }
        return names
    }

    /// The hash of the newest manifest applied (what a page is a view of).
    func headHash() throws -> String? {
        try String.fetchOne(db, sql: "SELECT hash FROM manifests ORDER BY sequence DESC LIMIT 1")
    }

    private static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ",") }

    private static func chunks<T>(_ values: [T]) -> [[T]] {
        stride(from: 0, to: values.count, by: 500).map { Array(values[$0..<min(values.count, $0 + 500)]) }
    }
}
