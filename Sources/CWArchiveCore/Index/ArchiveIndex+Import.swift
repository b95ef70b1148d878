import GRDB

/// What `cwarchive import` reads from the index to match imported messages with the archive's.
extension ArchiveIndex {
    /// What an import needs of one room before it reads its rows (no messages: those are looked
    /// up row by row, so an import's memory does not grow with the room's history).
    func importRoomState(roomID: Int) throws -> ImportRoomState {
        try writer.read { db in
            var state = ImportRoomState()
            let room = try Row.fetchOne(db, sql: "SELECT message_num, horizon_message_id, horizon_time FROM rooms WHERE room_id = ?", arguments: [roomID])
            state.roomKnown = room != nil
            if let room {
                state.serverMessageNum = room["message_num"] as Int?
                if let id = room["horizon_message_id"] as String?, let t = room["horizon_time"] as Int? { state.horizon = (id, t) }
            }
            // The oldest by (send time, id as a number); ids of one length compare as numbers.
            let order = "ORDER BY send_time, length(message_id), message_id LIMIT 1"
            if let r = try Row.fetchOne(db, sql: "SELECT message_id, send_time FROM messages WHERE room_id = ? \(order)", arguments: [roomID]) {
                state.oldest = (r["message_id"], r["send_time"])
            }
            if let r = try Row.fetchOne(db, sql: "SELECT message_id, send_time FROM messages WHERE room_id = ? AND source IS NULL \(order)", arguments: [roomID]) {
                state.apiOldest = (r["message_id"], r["send_time"])
            }
            var names: [String: Set<Int>] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT account_id, name FROM members WHERE room_id = ? UNION SELECT account_id, name FROM accounts",
                                      arguments: [roomID]) {
                names[r["name"], default: []].insert(r["account_id"])
            }
            state.accountIDsByName = names
            for g in try Row.fetchAll(db, sql: "SELECT after_message_id, after_time, before_message_id FROM gaps WHERE room_id = ? AND run_id LIKE 'import-%'",
                                      arguments: [roomID]) {
                state.importGaps["\(g["after_message_id"] as String? ?? "")|\(g["before_message_id"] as String)"] = (g["after_time"] as Int?) ?? 0
            }
            return state
        }
    }

    /// Every version the archive holds of one message.
    func importVersions(roomID: Int, messageID: String) throws -> [ImportKnownVersion] {
        try writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT account_id, account_name, body, send_time, update_time, source FROM messages WHERE room_id = ? AND message_id = ? ORDER BY version
                """), arguments: [roomID, messageID]).map(Self.knownVersion)
        }
    }

    /// Every version of the room's messages sent in `[from, to]`, with their ids, oldest id first.
    func importCandidates(roomID: Int, from: Int, to: Int) throws -> [(messageID: String, version: ImportKnownVersion)] {
        try writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT message_id, account_id, account_name, body, send_time, update_time, source FROM messages
                WHERE room_id = ? AND send_time BETWEEN ? AND ? ORDER BY send_time, length(message_id), message_id, version
                """), arguments: [roomID, from, to]).map { ($0["message_id"], Self.knownVersion($0)) }
        }
    }

    private static func knownVersion(_ r: Row) -> ImportKnownVersion {
        ImportKnownVersion(accountID: r["account_id"], accountName: r["account_name"], body: r["body"],
                           sendTime: r["send_time"], updateTime: r["update_time"], fromAPI: (r["source"] as String?) == nil)
    }

    /// What the index knows of a file, to link an imported attachment to it.
    func importFileState(roomID: Int, fileID: Int) throws -> ImportKnownFile? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT account_id, message_id, filename, filesize, upload_time, status FROM files WHERE room_id = ? AND file_id = ?",
                             arguments: [roomID, fileID]).map {
                ImportKnownFile(accountID: ($0["account_id"] as Int?) ?? 0, messageID: ($0["message_id"] as String?) ?? "", filename: $0["filename"],
                                filesize: $0["filesize"], uploadTime: $0["upload_time"], status: $0["status"])
            }
        }
    }

    /// Per room, the messages only an import gave (no version of them came from the API).
    func importedMessageCounts() throws -> [Int: Int] {
        try writer.read { db in
            var out: [Int: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT room_id, COUNT(DISTINCT message_id) AS n FROM messages m WHERE source IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.room_id = m.room_id AND a.message_id = m.message_id AND a.source IS NULL)
                GROUP BY room_id
                """) {
                out[r["room_id"]] = r["n"]
            }
            return out
        }
    }

    /// The source (`api` or `import:FORMAT`) of each version of the room's messages, keyed by
    /// message id and version, for the exports that show it.
    func messageSources(roomID: Int) throws -> [String: [Int: String]] {
        try writer.read { db in
            var out: [String: [Int: String]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT message_id, version, source FROM messages WHERE room_id = ? AND source IS NOT NULL", arguments: [roomID])
            while let r = try rows.next() { out[r["message_id"], default: [:]][r["version"]] = r["source"] }
            return out
        }
    }
}

/// One version of a message the archive holds, as an import compares it.
struct ImportKnownVersion: Sendable, Equatable {
    var accountID: Int
    var accountName: String
    var body: String
    var sendTime: Int
    var updateTime: Int
    /// The API gave this version (not an import).
    var fromAPI: Bool
}

/// A room as an import sees it before reading its rows.
struct ImportRoomState: Sendable {
    /// The room has a row in the index (from the API or an earlier import).
    var roomKnown = false
    var serverMessageNum: Int?
    var horizon: (messageID: String, time: Int)?
    /// The oldest message the API gave.
    var apiOldest: (messageID: String, time: Int)?
    /// Account ids by display name (room members and every known account).
    var accountIDsByName: [String: Set<Int>] = [:]
    /// The oldest message of the room, from any source.
    var oldest: (messageID: String, time: Int)?
    /// Gaps earlier imports left, as `after_message_id|before_message_id`, with their `after_time`.
    var importGaps: [String: Int] = [:]
}

/// A file the index knows.
struct ImportKnownFile: Sendable, Equatable {
    var accountID: Int
    var messageID: String
    var filename: String
    var filesize: Int
    var uploadTime: Int
    var status: String
}
