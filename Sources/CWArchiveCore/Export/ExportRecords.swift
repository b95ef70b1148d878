import GRDB

/// A room as the export sees it.
public struct ExportRoom: Sendable, Equatable {
    public let roomID: Int
    public let name: String
    public let type: String
    public let description: String?
}

/// What an export of one room holds: how many rows and their time span.
public struct ExportRoomStats: Sendable, Equatable {
    public let count: Int
    public let first: Int?
    public let last: Int?
}

/// One version of a message (one row of `messages`).
public struct ExportMessage: Sendable, Equatable {
    public let messageID: String
    public let version: Int
    public let accountID: Int
    public let accountName: String
    public let body: String
    public let sendTime: Int
    public let updateTime: Int
    /// `current`, `edited` (an earlier version) or `deleted`.
    public let status: String

    public init(row: Row) {
        messageID = row["message_id"]
        version = row["version"]
        accountID = row["account_id"]
        accountName = row["account_name"]
        body = row["body"]
        sendTime = row["send_time"]
        updateTime = row["update_time"]
        status = row["status"]
    }

    /// The newest version was edited after it was sent.
    public var isEdited: Bool { version > 1 || updateTime > 0 }
    /// An older version kept by the archive (only shown with `--history`).
    public var isEarlierVersion: Bool { status == "edited" }
    public var isDeleted: Bool { status == "deleted" }

    /// The message's web link.
    public func url(roomID: Int) -> String { "https://www.chatwork.com/#!rid\(roomID)-\(messageID)" }
}

/// A file known to the archive.
public struct ExportFile: Sendable, Equatable {
    public let fileID: Int
    public let messageID: String?
    public let filename: String
    public let filesize: Int
    public let status: String
    public let sha256: String?
    public var isArchived: Bool { status == "stored" && sha256 != nil }
}

/// Read-only queries behind an export. Messages are read with a cursor, never into an array.
struct ExportQueries {
    let db: Database

    func rooms(ids: [Int]) throws -> [ExportRoom] {
        let rows: [Row]
        if ids.isEmpty {
            rows = try Row.fetchAll(db, sql: "SELECT room_id, name, type, description FROM rooms ORDER BY room_id")
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT room_id, name, type, description FROM rooms WHERE room_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY room_id",
                                    arguments: StatementArguments(ids))
            let found = Set(rows.map { $0["room_id"] as Int })
            if let missing = ids.first(where: { !found.contains($0) }) {
                throw ExportError("room \(missing) is not in the archive: list the archived rooms with `cwarchive status`")
            }
        }
        return rows.map { ExportRoom(roomID: $0["room_id"], name: $0["name"], type: $0["type"], description: $0["description"]) }
    }

    private func filter(_ roomID: Int, _ range: ExportRange, history: Bool) -> (String, StatementArguments) {
        var sql = "room_id = ? AND send_time >= ? AND send_time <= ?"
        if !history { sql += " AND status = 'current'" }
        return (sql, [roomID, range.since ?? Int.min, range.until ?? Int.max])
    }

    func stats(roomID: Int, range: ExportRange, history: Bool) throws -> ExportRoomStats {
        let (w, args) = filter(roomID, range, history: history)
        let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(send_time) AS a, MAX(send_time) AS b FROM messages WHERE \(w)", arguments: args)
        return ExportRoomStats(count: row?["n"] ?? 0, first: row?["a"], last: row?["b"])
    }

    /// The room's messages in a stable order: send time, then message id (numerically), then version.
    func messages(roomID: Int, range: ExportRange, history: Bool) throws -> RecordCursor<ExportMessage> {
        let (w, args) = filter(roomID, range, history: history)
        return try ExportMessage.fetchCursor(db, sql: """
            SELECT message_id, version, account_id, account_name, body, send_time, update_time, status
            FROM messages WHERE \(w)
            ORDER BY send_time, length(message_id), message_id, version
            """, arguments: args)
    }

    func accountNames() throws -> [Int: String] {
        var names: [Int: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT account_id, name FROM accounts")
        while let row = try cursor.next() { names[row["account_id"]] = row["name"] }
        return names
    }

    func files(roomID: Int) throws -> [Int: ExportFile] {
        var files: [Int: ExportFile] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT file_id, message_id, filename, filesize, status, sha256 FROM files WHERE room_id = ?", arguments: [roomID])
        while let r = try cursor.next() {
            files[r["file_id"]] = ExportFile(fileID: r["file_id"], messageID: r["message_id"], filename: r["filename"],
                                             filesize: r["filesize"], status: r["status"], sha256: r["sha256"])
        }
        return files
    }
}

extension ExportMessage: FetchableRecord {}

/// The `--since` / `--until` bounds, inclusive, in Unix seconds.
public struct ExportRange: Sendable, Equatable {
    public var since: Int?
    public var until: Int?
    public init(since: Int? = nil, until: Int? = nil) { self.since = since; self.until = until }
}
