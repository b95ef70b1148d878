import ChatworkAPI
import GRDB

/// What `cwarchive listen` asks the index before it commits webhook events: which versions of
/// the delivered messages are archived already (so a repeated delivery adds nothing), and the
/// names and avatars the archive knows for their senders (a webhook carries no sender name).
extension ArchiveIndex {
    /// The newest archived version of each of these messages of a room, by message id (absent
    /// ids are not archived). One query per 500 ids.
    func latestVersions(roomID: Int, messageIDs: Set<String>) throws -> [String: KnownMessage] {
        guard !messageIDs.isEmpty else { return [:] }
        let all = Array(messageIDs)
        return try writer.read { db in
            var out: [String: KnownMessage] = [:]
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = Array(all[start..<min(all.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT message_id, body, update_time, send_time, status FROM messages m
                    WHERE room_id = ? AND message_id IN (\(marks))
                      AND version = (SELECT MAX(version) FROM messages WHERE room_id = m.room_id AND message_id = m.message_id)
                    """, arguments: StatementArguments([roomID as (any DatabaseValueConvertible)?] + chunk.map { $0 as (any DatabaseValueConvertible)? }))
                while let r = try rows.next() {
                    out[r["message_id"]] = KnownMessage(body: r["body"], updateTime: r["update_time"], sendTime: r["send_time"],
                                                        deleted: (r["status"] as String) == "deleted")
                }
            }
            return out
        }
    }

    /// The name and avatar URL the archive knows for each of these accounts (from members,
    /// contacts and earlier messages); unknown accounts are absent.
    func accountProfiles(ids: Set<Int>) throws -> [Int: (name: String, avatar: String?)] {
        guard !ids.isEmpty else { return [:] }
        let all = Array(ids)
        return try writer.read { db in
            var out: [Int: (name: String, avatar: String?)] = [:]
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = Array(all[start..<min(all.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT account_id, name, avatar_image_url FROM accounts WHERE account_id IN (\(marks))",
                                            arguments: StatementArguments(chunk)) {
                    let id: Int = row["account_id"], name: String = row["name"], avatar: String? = row["avatar_image_url"]
                    out[id] = (name, avatar)
                }
            }
            return out
        }
    }
}

/// When `cwarchive listen` was up, for `status` and the archiver's exit code.
extension ArchiveIndex {
    /// True when one listener period of the room spans `from...to` wholly.
    func listenerCovers(roomID: Int, from: Int, to: Int) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT 1 FROM listener_uptime WHERE room_id = ? AND from_time <= ? AND to_time >= ? LIMIT 1
                """, arguments: [roomID, from, to]) ?? false
        }
    }

    /// Every listener period, by room: `(from, to)` in Unix seconds.
    func listenerPeriods() throws -> [Int: [(from: Int, to: Int)]] {
        try writer.read { db in
            var out: [Int: [(from: Int, to: Int)]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT room_id, from_time, to_time FROM listener_uptime ORDER BY room_id, from_time") {
                let roomID: Int = r["room_id"], from: Int = r["from_time"], to: Int = r["to_time"]
                out[roomID, default: []].append((from, to))
            }
            return out
        }
    }
}

/// Mentions the listener received, for the archiver to fetch.
extension ArchiveIndex {
    /// Mentioned messages (`mention_to_me`) no version of which is archived, oldest first.
    func unarchivedMentions(limit: Int) throws -> [(roomID: Int, messageID: String)] {
        try writer.read { db in
            var out: [(roomID: Int, messageID: String)] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT w.room_id, w.message_id FROM webhook_mentions w
                WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.room_id = w.room_id AND m.message_id = w.message_id)
                ORDER BY w.received_at, w.room_id, w.message_id LIMIT ?
                """, arguments: [limit]) {
                let roomID: Int = row["room_id"]
                let messageID: String = row["message_id"]
                out.append((roomID, messageID))
            }
            return out
        }
    }
}

/// Deliveries kept as received, by the SHA-256 of their body.
extension ArchiveIndex {
    /// Which of these body hashes the archive already keeps.
    func knownWebhookBodies(_ hashes: Set<String>) throws -> Set<String> {
        guard !hashes.isEmpty else { return [] }
        let all = Array(hashes)
        return try writer.read { db in
            var out = Set<String>()
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = Array(all[start..<min(all.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for h in try String.fetchAll(db, sql: "SELECT sha256 FROM webhook_bodies WHERE sha256 IN (\(marks))",
                                             arguments: StatementArguments(chunk)) {
                    out.insert(h)
                }
            }
            return out
        }
    }
}
