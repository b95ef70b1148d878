import ChatworkAPI
import GRDB

/// What the index holds about a room (and the account's snapshots), asked by the archiver so a
/// run writes only what changed. Each method is one read of the database.
extension ArchiveIndex {
    /// The `last_update_time` at which the room was last archived completely.
    func syncedUpdateTime(roomID: Int) throws -> Int? {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT synced_update_time FROM rooms WHERE room_id = ?", arguments: [roomID])
        }
    }

    /// A window of the room was archived before (its first window is recorded as its horizon).
    func hadWindow(roomID: Int) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT horizon_message_id IS NOT NULL OR synced_update_time IS NOT NULL FROM rooms WHERE room_id = ?",
                              arguments: [roomID]) ?? false
        }
    }

    /// The room's `message_num` when it was last archived.
    func serverMessageNum(roomID: Int) throws -> Int? {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT message_num FROM rooms WHERE room_id = ?", arguments: [roomID])
        }
    }

    /// The newest version of every message of the room, by message id. Messages an import added
    /// without a Chatwork id (`import-…`) are left out: no API window can hold them, so their
    /// absence from one says nothing.
    func knownMessages(roomID: Int) throws -> [String: KnownMessage] {
        try writer.read { db in
            var out: [String: KnownMessage] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT message_id, \(WholeText.select("body", as: "body")), update_time, send_time, status FROM messages m
                WHERE room_id = ? AND message_id NOT LIKE 'import-%' AND version = (SELECT MAX(version) FROM messages WHERE room_id = m.room_id AND message_id = m.message_id)
                """, arguments: [roomID])
            while let r = try rows.next() {
                out[r["message_id"]] = KnownMessage(body: WholeText.read(r, "body"), updateTime: r["update_time"], sendTime: r["send_time"],
                                                    deleted: (r["status"] as String) == "deleted")
            }
            return out
        }
    }

    /// Some version of the message is archived.
    func messageExists(roomID: Int, messageID: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM messages WHERE room_id = ? AND message_id = ? LIMIT 1", arguments: [roomID, messageID]) ?? false
        }
    }

    /// Files the index knows for a room, with their status (`stored`, `failed`, …), by file id.
    func fileStatuses(roomID: Int) throws -> [Int: String] {
        try writer.read { db in
            var out: [Int: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT file_id, status FROM files WHERE room_id = ?", arguments: [roomID]) {
                out[r["file_id"]] = r["status"]
            }
            return out
        }
    }

    /// The canonical JSON of the newest snapshot of `kind` (`me`, `status`, `contacts`, …).
    func snapshotJSON(_ kind: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT json FROM snapshots WHERE kind = ?", arguments: [kind]) }
    }

    /// The canonical JSON of the room as last archived.
    func roomJSON(roomID: Int) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT room_json FROM rooms WHERE room_id = ?", arguments: [roomID]) }
    }

    /// The canonical JSON of each member of the room.
    func membersJSON(roomID: Int) throws -> Set<String> {
        try writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT member_json FROM members WHERE room_id = ?", arguments: [roomID]))
        }
    }

    /// The canonical JSON of each task of the room.
    func tasksJSON(roomID: Int) throws -> Set<String> {
        try writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT task_json FROM tasks WHERE room_id = ?", arguments: [roomID]))
        }
    }

    /// How many of the room's tasks are open.
    func openTaskCount(roomID: Int) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tasks WHERE room_id = ? AND status = 'open'", arguments: [roomID]) ?? 0
        }
    }

    /// The room's message limitation as last observed; `nil` when never observed.
    func limitation(roomID: Int) throws -> MessageLimitation? {
        try writer.read { db in
            guard let r = try Row.fetchOne(db, sql: "SELECT limited, limitation_summary, limitation_at FROM rooms WHERE room_id = ?", arguments: [roomID]),
                  (r["limitation_at"] as Int?) != nil else { return nil }
            return MessageLimitation(limited: r["limited"], summary: r["limitation_summary"])
        }
    }

    /// The room's invitation link as last archived (canonical JSON) and its status.
    func linkState(roomID: Int) throws -> (json: String?, status: String?) {
        try writer.read { db in
            guard let r = try Row.fetchOne(db, sql: "SELECT link_json, link_status FROM rooms WHERE room_id = ?", arguments: [roomID]) else { return (nil, nil) }
            return (r["link_json"], r["link_status"])
        }
    }

    /// Rooms the archive holds that are not marked gone.
    func liveRoomIDs() throws -> Set<Int> {
        try writer.read { db in Set(try Int.fetchAll(db, sql: "SELECT room_id FROM rooms WHERE gone_at IS NULL")) }
    }
}

/// What the archive already holds of a message: its latest version.
public struct KnownMessage: Sendable, Equatable {
    public var body: String
    public var updateTime: Int
    public var sendTime: Int
    public var deleted: Bool
    public init(body: String, updateTime: Int, sendTime: Int, deleted: Bool) {
        self.body = body; self.updateTime = updateTime; self.sendTime = sendTime; self.deleted = deleted
    }
}
