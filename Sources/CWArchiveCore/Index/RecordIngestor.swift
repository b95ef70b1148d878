import ChatworkAPI
import Foundation
import GRDB
import GRDBSQLite

/// Applies archive records to the index. Replaying the same records in the same order always
/// gives the same index, and applying a record twice changes nothing (idempotent), so adopted
/// files from an interrupted run and a full `reindex` are both safe.
struct RecordIngestor {
    let db: Database
    /// Set during a rebuild (an index that started empty), nil when catching up.
    let memo: RebuildMemo?
    private let latestVersion: RawStatement
    private let maxRowID: RawStatement
    private let insertChars: RawStatement
    private let insertMessage: RawStatement
    private let insertTerms: RawStatement

    init(db: Database, memo: RebuildMemo? = nil) throws {
        self.db = db
        self.memo = memo
        latestVersion = try RawStatement(db, sql: """
            SELECT id, version, body, update_time, status = 'deleted' FROM messages
            WHERE room_id = ? AND message_id = ? ORDER BY version DESC LIMIT 1
            """)
        maxRowID = try RawStatement(db, sql: "SELECT MAX(id) FROM messages WHERE id >= ? AND id < ?")
        insertMessage = try RawStatement(db, sql: """
            INSERT INTO messages (id, room_id, message_id, version, account_id, account_name, body, send_time, update_time, status, observed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'current', ?)
            """)
        insertTerms = try RawStatement(db, sql: "INSERT INTO message_fts (rowid, terms) VALUES (?, ?)")
        insertChars = try RawStatement(db, sql: "INSERT INTO message_chars (rowid, chars) VALUES (?, ?)")
    }

    func json(_ value: some Encodable) throws -> String {
        try CanonicalJSON.string(value)
    }

    /// Applies `record`; `columns`: its index tokens when the caller has them already
    /// (``RecordPipeline``), else they are computed here.
    func apply(_ record: ArchiveRecord, columns: SearchText.Columns? = nil) throws {
        switch record.payload {
        case .me(let me):
            try snapshot("me", me, at: record.at)
            try upsertAccount(id: me.accountID, name: me.name, avatar: me.avatarImageURL, chatworkID: me.chatworkID,
                              organization: me.organizationName, department: me.department, at: record.at)
        case .myStatus(let v): try snapshot("my_status", v, at: record.at)
        case .myTasks(let v): try snapshot("my_tasks", v, at: record.at)
        case .contacts(let contacts):
            try snapshot("contacts", contacts, at: record.at)
            for c in contacts {
                try upsertAccount(id: c.accountID, name: c.name, avatar: c.avatarImageURL, chatworkID: c.chatworkID,
                                  organization: c.organizationName, department: c.department, at: record.at)
            }
        case .incomingRequests(let v): try snapshot("incoming_requests", v, at: record.at)
        case .room(let room): try applyRoom(room, at: record.at)
        case .members(let members): try applyMembers(members, roomID: try roomID(record), at: record.at)
        case .message(let message): try applyMessage(message, roomID: try roomID(record), at: record.at, columns: columns)
        case .importedMessage(let imported): try applyImported(imported, roomID: try roomID(record), at: record.at)
        case .messageDeleted(let d):
            try db.execute(sql: """
                UPDATE messages SET status = 'deleted', deleted_at = ?
                WHERE room_id = ? AND message_id = ? AND status = 'current'
                """, arguments: [record.at, try roomID(record), d.messageID])
        case .tasks(let tasks): try applyTasks(tasks, roomID: try roomID(record), at: record.at)
        case .file(let f): try applyFile(f, roomID: try roomID(record), at: record.at)
        case .link(let l):
            try db.execute(sql: "UPDATE rooms SET link_json = ?, link_status = ? WHERE room_id = ?",
                           arguments: [try l.link.map { try json($0) }, l.status, try roomID(record)])
        case .limitation(let l):
            try db.execute(sql: "UPDATE rooms SET limited = ?, limitation_summary = ?, limitation_at = ? WHERE room_id = ?",
                           arguments: [l.limited, l.summary, record.at, try roomID(record)])
        case .gap(let g):
            try db.execute(sql: """
                INSERT INTO gaps (room_id, run_id, found_at, after_message_id, after_time, before_message_id, before_time, estimated_missing)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [try roomID(record), record.run, record.at, g.afterMessageID, g.afterTime, g.beforeMessageID, g.beforeTime, g.estimatedMissing])
        case .horizon(let h):
            // The first window sets it; an import that reaches the archive moves it back (never forward).
            try db.execute(sql: "UPDATE rooms SET horizon_message_id = ?, horizon_time = ? WHERE room_id = ? AND (horizon_message_id IS NULL OR horizon_time > ?)",
                           arguments: [h.oldestMessageID, h.oldestTime, try roomID(record), h.oldestTime])
            if record.run.hasPrefix(ImportedMessage.importRunPrefix) {
                // An import reaching back to here closes the gaps earlier imports left after it.
                try db.execute(sql: "DELETE FROM gaps WHERE room_id = ? AND run_id LIKE 'import-%' AND after_time >= ?",
                               arguments: [try roomID(record), h.oldestTime])
            }
        case .roomSynced(let s):
            try db.execute(sql: "UPDATE rooms SET synced_update_time = ?, synced_at = ?, gone_at = NULL, gone_reason = NULL WHERE room_id = ?",
                           arguments: [s.lastUpdateTime, record.at, try roomID(record)])
        case .roomGone(let g):
            try db.execute(sql: "UPDATE rooms SET gone_at = ?, gone_reason = ? WHERE room_id = ?",
                           arguments: [record.at, g.reason, try roomID(record)])
        case .roomAttempt(let a): try applyAttempt(a, roomID: try roomID(record), at: record.at)
        case .runFinished(let summary):
            try db.execute(sql: """
                INSERT OR REPLACE INTO runs (run_id, started_at, finished_at, exit_code, summary_json) VALUES (?, ?, ?, ?, ?)
                """, arguments: [summary.runID, summary.startedAt, summary.finishedAt, summary.exitCode, try json(summary)])
        case .webhookEvent(let e):
            // Kept in the data files as received; its hash lets a repeated delivery add nothing,
            // and a mention is remembered so that the next `archive` run fetches its message by
            // id if the archive lacks it.
            try db.execute(sql: "INSERT OR IGNORE INTO webhook_bodies (sha256) VALUES (?)", arguments: [e.bodySHA256])
            if e.eventType == "mention_to_me", let room = record.roomID, let id = e.messageID {
                try db.execute(sql: "INSERT OR IGNORE INTO webhook_mentions (room_id, message_id, received_at) VALUES (?, ?, ?)",
                               arguments: [room, id, record.at])
            }
        case .listenerUptime(let u):
            try db.execute(sql: """
                INSERT INTO listener_uptime (room_id, listener_id, from_time, to_time) VALUES (?, ?, ?, ?)
                ON CONFLICT(room_id, listener_id) DO UPDATE SET
                    from_time = MIN(from_time, excluded.from_time), to_time = MAX(to_time, excluded.to_time)
                """, arguments: [try roomID(record), u.listenerID, u.from, u.to])
        }
    }

    private func roomID(_ record: ArchiveRecord) throws -> Int {
        guard let id = record.roomID else {
            throw IndexError(description: "a \(record.typeName) record of run \(record.run) has no room_id")
        }
        return id
    }

    private func snapshot(_ kind: String, _ value: some Encodable, at: Int) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO snapshots (kind, json, observed_at) VALUES (?, ?, ?)",
                       arguments: [kind, try json(value), at])
    }

    /// What this ingestor last wrote for each account from a message record, to skip upserts that
    /// cannot change anything (one per message otherwise: the hot path of a reindex).
    private final class AccountCache {
        /// The largest `seen_at` written for the account by this ingestor.
        var maxSeenAt: [Int: Int] = [:]
        /// Name and avatar of the last message upsert at `maxSeenAt`, nil after any other kind of upsert.
        var lastMessageValues: [Int: (name: String, avatar: String)] = [:]
    }
    private let accounts = AccountCache()

    private func upsertAccount(id: Int, name: String, avatar: String?, chatworkID: String? = nil,
                               organization: String? = nil, department: String? = nil, at: Int, fromMessage: Bool = false) throws {
        if let seen = accounts.maxSeenAt[id] {
            // The row's seen_at is at least `seen`: an older observation is a no-op (the WHERE below),
            // and the same message values at the same time change nothing either.
            if at < seen { return }
            if fromMessage, at == seen, let last = accounts.lastMessageValues[id], last.name == name, last.avatar == avatar { return }
        }
        accounts.maxSeenAt[id] = max(at, accounts.maxSeenAt[id] ?? at)
        if fromMessage, let avatar { accounts.lastMessageValues[id] = (name, avatar) } else { accounts.lastMessageValues[id] = nil }
        try db.cachedStatement(sql: """
            INSERT INTO accounts (account_id, name, avatar_image_url, chatwork_id, organization_name, department, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(account_id) DO UPDATE SET
                name = excluded.name,
                avatar_image_url = COALESCE(excluded.avatar_image_url, avatar_image_url),
                chatwork_id = COALESCE(excluded.chatwork_id, chatwork_id),
                organization_name = COALESCE(excluded.organization_name, organization_name),
                department = COALESCE(excluded.department, department),
                seen_at = excluded.seen_at
            WHERE excluded.seen_at >= seen_at
            """).execute(arguments: [id, name, avatar, chatworkID, organization, department, at])
    }

    private func applyRoom(_ room: Room, at: Int) throws {
        try db.execute(sql: """
            INSERT INTO rooms (room_id, name, type, role, icon_path, description, message_num, file_num, task_num, last_update_time, room_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(room_id) DO UPDATE SET
                name = excluded.name, type = excluded.type, role = excluded.role, icon_path = excluded.icon_path,
                description = COALESCE(excluded.description, description), message_num = excluded.message_num,
                file_num = excluded.file_num, task_num = excluded.task_num,
                last_update_time = excluded.last_update_time, room_json = excluded.room_json
            """, arguments: [room.roomID, room.name, room.type.rawValue, room.role.rawValue, room.iconPath, room.description,
                             room.messageNum, room.fileNum, room.taskNum, room.lastUpdateTime, try json(room)])
    }

    private func applyMembers(_ members: [Member], roomID: Int, at: Int) throws {
        try db.execute(sql: "DELETE FROM members WHERE room_id = ?", arguments: [roomID])
        for m in members {
            try db.execute(sql: "INSERT OR REPLACE INTO members (room_id, account_id, role, name, member_json) VALUES (?, ?, ?, ?, ?)",
                           arguments: [roomID, m.accountID, m.role.rawValue, m.name, try json(m)])
            try upsertAccount(id: m.accountID, name: m.name, avatar: m.avatarImageURL, chatworkID: m.chatworkID,
                              organization: m.organizationName, department: m.department, at: at)
        }
    }

    /// The newest stored version of a message.
    private struct StoredVersion {
        let id: Int64
        let version: Int
        let body: String
        let updateTime: Int
        let deleted: Bool
    }

    /// A text column, NUL bytes included.
    private static func text(_ row: SQLiteStatement, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(row, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(row, column))), as: UTF8.self)
    }

    private func applyMessage(_ m: Message, roomID: Int, at: Int, columns: SearchText.Columns?) throws {
        try upsertAccount(id: m.account.accountID, name: m.account.name, avatar: m.account.avatarImageURL, at: at, fromMessage: true)
        guard memo?.mayContain(roomID: roomID, messageID: m.messageID) ?? true else {
            return try insertVersion(m, roomID: roomID, version: 1, at: at, columns: columns)
        }
        latestVersion.bind(1, roomID)
        latestVersion.bind(2, m.messageID)
        let latest = try latestVersion.firstRow { row in
            StoredVersion(id: sqlite3_column_int64(row, 0), version: Int(sqlite3_column_int64(row, 1)),
                          body: Self.text(row, 2),
                          updateTime: Int(sqlite3_column_int64(row, 3)), deleted: sqlite3_column_int64(row, 4) != 0)
        }
        if let latest {
            if latest.body == m.body && latest.updateTime == m.updateTime {
                if latest.deleted {
                    // Seen again after being taken for deleted: it was not.
                    try db.execute(sql: "UPDATE messages SET status = 'current', deleted_at = NULL WHERE id = ?", arguments: [latest.id])
                }
                return
            }
            try db.execute(sql: "UPDATE messages SET status = 'edited' WHERE id = ? AND status = 'current'", arguments: [latest.id])
            try insertVersion(m, roomID: roomID, version: latest.version + 1, at: at, columns: columns)
        } else {
            try insertVersion(m, roomID: roomID, version: 1, at: at, columns: columns)
        }
    }

    /// Inserts a version with the next free row id of its second (``MessageRowID``) and its
    /// full-text rows.
    private func insertVersion(_ m: Message, roomID: Int, version: Int, at: Int, columns: SearchText.Columns?) throws {
        let id = try allocateRowID(roomID: roomID, messageID: m.messageID, sendTime: m.sendTime)
        let s = insertMessage
        s.bind(1, id); s.bind(2, roomID); s.bind(3, m.messageID); s.bind(4, version)
        s.bind(5, m.account.accountID); s.bind(6, m.account.name); s.bind(7, m.body)
        s.bind(8, m.sendTime); s.bind(9, m.updateTime); s.bind(10, at)
        try s.execute()
        let cols = columns ?? SearchText.columns(forBody: m.body, roomID: roomID, accountID: m.account.accountID)
        insertTerms.bind(1, id); insertTerms.bind(2, cols.terms)
        try insertTerms.execute()
        insertChars.bind(1, id); insertChars.bind(2, cols.chars)
        try insertChars.execute()
    }

    /// The next free row id of the message's second, or of a later one when it is full (``MessageRowID``).
    func allocateRowID(roomID: Int, messageID: String, sendTime: Int) throws -> Int64 {
        if let memoized = memo?.nextRowID(roomID: roomID, messageID: messageID, sendTime: sendTime) {
            return memoized
        }
        return try MessageRowID.next(sendTime: sendTime) { second in
            try MessageRowID.used(inSecond: second) { from, to in
                maxRowID.bind(1, from)
                maxRowID.bind(2, to)
                return try maxRowID.firstRow { row in
                    sqlite3_column_type(row, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(row, 0)
                } ?? nil
            }
        }
    }

    private func applyTasks(_ tasks: [RoomTask], roomID: Int, at: Int) throws {
        for t in tasks {
            try db.execute(sql: """
                INSERT OR REPLACE INTO tasks (room_id, task_id, account_id, assigned_by_account_id, message_id, body, limit_time, status, limit_type, task_json, observed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [roomID, t.taskID, t.account.accountID, t.assignedByAccount.accountID, t.messageID, t.body,
                                 t.limitTime, t.status.rawValue, t.limitType.rawValue, try json(t), at])
        }
    }

    private func applyFile(_ f: FileRecord, roomID: Int, at: Int) throws {
        let file = f.file
        // A stored file stays stored: a later failure to download it again changes nothing.
        try db.execute(sql: """
            INSERT INTO files (room_id, file_id, account_id, message_id, filename, filesize, upload_time, status, sha256, error, observed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(room_id, file_id) DO UPDATE SET
                account_id = excluded.account_id, message_id = excluded.message_id, filename = excluded.filename,
                filesize = excluded.filesize, upload_time = excluded.upload_time,
                status = CASE WHEN status = 'stored' AND excluded.status != 'stored' THEN status ELSE excluded.status END,
                sha256 = CASE WHEN status = 'stored' AND excluded.status != 'stored' THEN sha256 ELSE excluded.sha256 END,
                error = CASE WHEN status = 'stored' AND excluded.status != 'stored' THEN error ELSE excluded.error END,
                observed_at = excluded.observed_at
            """, arguments: [roomID, file.fileID, file.account.accountID, file.messageID, file.filename, file.filesize,
                             file.uploadTime, f.status.rawValue, f.sha256, f.error, at])
    }
}
