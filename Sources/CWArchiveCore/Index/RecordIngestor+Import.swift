import ChatworkAPI
import GRDB

/// How an `imported_message` record changes the index. Import only adds: a version the room
/// already holds (same body and update time) is a no-op; another one becomes a version of its
/// own, placed by update time. It becomes current only when it is newer than every version the
/// archive holds (the API's view normally stays current).
extension RecordIngestor {
    func applyImported(_ imported: ImportedMessage, roomID: Int, at: Int) throws {
        let m = imported.message
        let source = "import:" + imported.provenance.format
        // A room no API run has seen yet: listed by its name in the export until the API gives its details.
        try db.cachedStatement(sql: """
            INSERT INTO rooms (room_id, name, type, role, room_json) VALUES (?, ?, 'unknown', 'unknown', '')
            ON CONFLICT(room_id) DO NOTHING
            """).execute(arguments: [roomID, imported.roomName ?? "room \(roomID)"])
        let versions = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, version, body, update_time, status FROM messages WHERE room_id = ? AND message_id = ? ORDER BY version
            """), arguments: [roomID, m.messageID])
        if versions.contains(where: { ($0["body"] as String) == m.body && ($0["update_time"] as Int) == m.updateTime }) { return }
        guard let latest = versions.last else {
            try insertImported(m, roomID: roomID, version: 1, status: imported.deleted ? "deleted" : "current", source: source, at: at)
            return
        }
        let latestVersion: Int = latest["version"]
        let latestStatus: String = latest["status"]
        if m.updateTime > (latest["update_time"] as Int) && latestStatus != "deleted" {
            try db.execute(sql: "UPDATE messages SET status = 'edited' WHERE id = ? AND status = 'current'", arguments: [latest["id"] as Int64])
            try insertImported(m, roomID: roomID, version: latestVersion + 1, status: imported.deleted ? "deleted" : "current", source: source, at: at)
            return
        }
        // An older version: before the first version updated after it (or just before the latest).
        let position = versions.first(where: { ($0["update_time"] as Int) > m.updateTime }).map { $0["version"] as Int } ?? latestVersion
        // Shift the later versions up by one in two steps, so that (room, message, version) stays unique throughout.
        try db.execute(sql: "UPDATE messages SET version = -version - 1 WHERE room_id = ? AND message_id = ? AND version >= ?",
                       arguments: [roomID, m.messageID, position])
        try db.execute(sql: "UPDATE messages SET version = -version WHERE room_id = ? AND message_id = ? AND version < 0",
                       arguments: [roomID, m.messageID])
        try insertImported(m, roomID: roomID, version: position, status: "edited", source: source, at: at)
    }

    private func insertImported(_ m: Message, roomID: Int, version: Int, status: String, source: String, at: Int) throws {
        let id = try allocateRowID(roomID: roomID, messageID: m.messageID, sendTime: m.sendTime)
        try db.cachedStatement(sql: """
            INSERT INTO messages (id, room_id, message_id, version, account_id, account_name, body, send_time, update_time, status, observed_at, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, roomID, m.messageID, version, m.account.accountID, m.account.name, m.body,
                             m.sendTime, m.updateTime, status, at, source])
        let cols = SearchText.columns(forBody: m.body, roomID: roomID, accountID: m.account.accountID)
        try db.cachedStatement(sql: "INSERT INTO message_fts (rowid, terms) VALUES (?, ?)").execute(arguments: [id, cols.terms])
        try db.cachedStatement(sql: "INSERT INTO message_chars (rowid, chars) VALUES (?, ?)").execute(arguments: [id, cols.chars])
    }
}
