import Foundation
import GRDB

/// What the run planner needs to know about each room: when each part was last fetched, the
/// counters at the last complete sync, and since when the room refuses to be read. Derived from the
/// `room_attempt` records (``RoomAttempt``) alone, like everything in the index.
///
/// Schema: one table, `room_plan`, added by the migration `v2-planner` (an index built before it
/// gets the empty table; its archive holds no `room_attempt` record, so nothing is missing).
extension IndexSchema {
    static func registerPlannerTables(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-planner") { db in
            try db.execute(sql: """
            CREATE TABLE room_plan (
                room_id INTEGER PRIMARY KEY,
                attempted_at INTEGER, attempt_outcome TEXT, attempt_update_time INTEGER,
                synced_message_num INTEGER, synced_file_num INTEGER, synced_task_num INTEGER,
                details_at INTEGER, members_at INTEGER, tasks_at INTEGER, files_at INTEGER, link_at INTEGER,
                no_access_since INTEGER);
            """)
        }
    }
}

extension RecordIngestor {
    /// Applies a `room_attempt` record. Replaying it gives the same row (idempotent).
    func applyAttempt(_ a: RoomAttempt, roomID: Int, at: Int) throws {
        try db.execute(sql: "INSERT INTO room_plan (room_id) VALUES (?) ON CONFLICT(room_id) DO NOTHING", arguments: [roomID])
        try db.execute(sql: """
            UPDATE room_plan SET attempted_at = ?, attempt_outcome = ?, attempt_update_time = ?, no_access_since = ?
            WHERE room_id = ?
            """, arguments: [at, a.outcome.rawValue, a.lastUpdateTime, a.outcome == .noAccess ? a.noAccessSince ?? at : nil, roomID])
        for part in Set(a.refreshed) {
            try db.execute(sql: "UPDATE room_plan SET \(Self.column(part)) = ? WHERE room_id = ?", arguments: [at, roomID])
        }
        // The baseline the planner compares `/rooms` with moves only with a complete sync.
        if a.outcome == .complete {
            try db.execute(sql: """
                UPDATE room_plan SET synced_message_num = ?, synced_file_num = ?, synced_task_num = ?
                WHERE room_id = ? AND EXISTS (SELECT 1 FROM rooms WHERE room_id = ? AND synced_update_time = ?)
                """, arguments: [a.messageNum, a.fileNum, a.taskNum, roomID, roomID, a.lastUpdateTime])
        }
    }

    static func column(_ part: RoomAttempt.Part) -> String {
        switch part {
        case .details: "details_at"
        case .members: "members_at"
        case .tasks: "tasks_at"
        case .files: "files_at"
        case .link: "link_at"
        }
    }
}

/// One room as the planner sees it in the archive.
public struct RoomPlanRow: Sendable, Equatable {
    public var roomID: Int
    /// The archive's copy of the descriptive fields (from the last room record).
    public var name: String
    public var type: String
    public var role: String
    public var iconPath: String?
    public var description: String?
    /// `message_num` when the archive last saw the room (any run, complete or not).
    public var lastSeenMessageNum: Int
    public var syncedUpdateTime: Int?
    /// The counters at the last complete sync (nil: none recorded yet).
    public var syncedMessageNum: Int?
    public var syncedFileNum: Int?
    public var syncedTaskNum: Int?
    /// When each part was last fetched (Unix seconds).
    public var fetchedAt: [RoomAttempt.Part: Int]
    public var noAccessSince: Int?
    /// `last_update_time` of the room at its last attempt.
    public var attemptUpdateTime: Int?
    public var attemptOutcome: RoomAttempt.Outcome?
    public var openTasks: Int
    /// Files whose download failed (retried through the file list).
    public var failedFiles: Int
}

extension ArchiveIndex {
    /// Every room the archive holds, as the planner needs it, by room id (one read).
    func plannerRows() throws -> [Int: RoomPlanRow] {
        try writer.read { db in
            var openTasks: [Int: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT room_id, COUNT(*) AS n FROM tasks WHERE status = 'open' GROUP BY room_id") {
                openTasks[r["room_id"]] = r["n"]
            }
            var failedFiles: [Int: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT room_id, COUNT(*) AS n FROM files WHERE status = 'failed' GROUP BY room_id") {
                failedFiles[r["room_id"]] = r["n"]
            }
            var out: [Int: RoomPlanRow] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.room_id, r.name, r.type, r.role, r.icon_path, r.description, r.message_num, r.synced_update_time,
                       p.synced_message_num, p.synced_file_num, p.synced_task_num, p.details_at, p.members_at, p.tasks_at,
                       p.files_at, p.link_at, p.no_access_since, p.attempt_update_time, p.attempt_outcome
                FROM rooms r LEFT JOIN room_plan p ON p.room_id = r.room_id
                """)
            for r in rows {
                let id: Int = r["room_id"]
                var fetched: [RoomAttempt.Part: Int] = [:]
                for part in RoomAttempt.Part.allCases {
                    if let t: Int = r[RecordIngestor.column(part)] { fetched[part] = t }
                }
                out[id] = RoomPlanRow(
                    roomID: id, name: r["name"], type: r["type"], role: r["role"], iconPath: r["icon_path"], description: r["description"],
                    lastSeenMessageNum: r["message_num"], syncedUpdateTime: r["synced_update_time"],
                    syncedMessageNum: r["synced_message_num"], syncedFileNum: r["synced_file_num"], syncedTaskNum: r["synced_task_num"],
                    fetchedAt: fetched, noAccessSince: r["no_access_since"], attemptUpdateTime: r["attempt_update_time"],
                    attemptOutcome: (r["attempt_outcome"] as String?).flatMap(RoomAttempt.Outcome.init(rawValue:)),
                    openTasks: openTasks[id] ?? 0, failedFiles: failedFiles[id] ?? 0)
            }
            return out
        }
    }

    /// The rooms the newest finished run had to leave (budget), in its order: they go first in the next run.
    func roomsLeftByLastRun() throws -> [Int] {
        let json = try writer.read { db in
            try String.fetchOne(db, sql: "SELECT summary_json FROM runs ORDER BY finished_at DESC, run_id DESC LIMIT 1")
        }
        guard let json, let summary = try? JSONDecoder().decode(RunSummary.self, from: Data(json.utf8)) else { return [] }
        return summary.roomsLeft
    }
}
