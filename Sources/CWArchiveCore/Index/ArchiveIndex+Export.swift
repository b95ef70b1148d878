import GRDB

/// What an export reads from the index: the rooms, per room its message count and span, its
/// files and its messages (through a cursor, never into an array), and every account's name.
extension ArchiveIndex {
    /// Runs `body` with an ``ExportReader`` inside one read transaction, so a whole export sees
    /// one state of the index even while a run writes.
    func readForExport<T>(_ body: (ExportReader) throws -> T) throws -> T {
        try writer.read { db in try body(ExportReader(db: db)) }
    }
}

/// The index's read-only queries behind an export; valid only inside ``ArchiveIndex/readForExport(_:)``.
struct ExportReader {
    fileprivate let db: Database

    /// The rooms with these ids (every room when `ids` is empty), by room id; an id the index
    /// does not hold is an ``IndexError``.
    func rooms(ids: [Int]) throws -> [ExportRoom] {
        let rows: [Row]
        if ids.isEmpty {
            rows = try Row.fetchAll(db, sql: "SELECT room_id, name, type, description FROM rooms ORDER BY room_id")
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT room_id, name, type, description FROM rooms WHERE room_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY room_id",
                                    arguments: StatementArguments(ids))
            let found = Set(rows.map { $0["room_id"] as Int })
            if let missing = ids.first(where: { !found.contains($0) }) {
                throw IndexError(description: "room \(missing) is not in the archive: list the archived rooms with `cwarchive status`")
            }
        }
        return rows.map { ExportRoom(roomID: $0["room_id"], name: $0["name"], type: $0["type"], description: $0["description"]) }
    }

    private func filter(_ roomID: Int, _ range: ExportRange, history: Bool) -> (String, StatementArguments) {
        var sql = "room_id = ? AND send_time >= ? AND send_time <= ?"
        if !history { sql += " AND status = 'current'" }
        return (sql, [roomID, range.since ?? Int.min, range.until ?? Int.max])
    }

    /// How many rows the export of the room holds, and their send-time span.
    func stats(roomID: Int, range: ExportRange, history: Bool) throws -> ExportRoomStats {
        let (w, args) = filter(roomID, range, history: history)
        let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(send_time) AS a, MAX(send_time) AS b FROM messages WHERE \(w)", arguments: args)
        return ExportRoomStats(count: row?["n"] ?? 0, first: row?["a"], last: row?["b"])
    }

    /// The room's messages in a stable order: send time, then message id (numerically), then version.
    func messages(roomID: Int, range: ExportRange, history: Bool) throws -> ExportMessageCursor {
        let (w, args) = filter(roomID, range, history: history)
        return ExportMessageCursor(cursor: try ExportMessage.fetchCursor(db, sql: """
            SELECT message_id, version, account_id, \(WholeText.select("account_name", as: "account_name")),
                   \(WholeText.select("body", as: "body")), send_time, update_time, status, COALESCE(source, 'api') AS source
            FROM messages WHERE \(w)
            ORDER BY send_time, length(message_id), message_id, version
            """, arguments: args))
    }

    /// Every account's name, by account id.
    func accountNames() throws -> [Int: String] {
        var names: [Int: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT account_id, name FROM accounts")
        while let row = try cursor.next() { names[row["account_id"]] = row["name"] }
        return names
    }

    /// The room's files, by file id.
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

/// A room's messages, read one at a time from the index; valid only inside
/// ``ArchiveIndex/readForExport(_:)``.
struct ExportMessageCursor {
    fileprivate let cursor: RecordCursor<ExportMessage>

    /// The next message, or `nil` after the last.
    func next() throws -> ExportMessage? { try cursor.next() }
}

extension ExportMessage: FetchableRecord {
    /// One row of `messages`, its text columns selected as bytes (``WholeText``).
    public init(row: Row) {
        self.init(messageID: row["message_id"], version: row["version"], accountID: row["account_id"],
                  accountName: WholeText.read(row, "account_name"), body: WholeText.read(row, "body"), sendTime: row["send_time"],
                  updateTime: row["update_time"], status: row["status"])
        source = row["source"] ?? "api"
    }
}
