import GRDB

/// What `cwarchive status` reads from the index, as value types.
extension ArchiveIndex {
    /// A gap the archiver found in a room: messages it could not fetch between two it has.
    struct GapRow: Sendable {
        var roomID: Int
        var afterMessageID: String?
        var afterTime: Int?
        var beforeMessageID: String
        var beforeTime: Int
        var estimatedMissing: Int?
        var foundAt: Int
        var runID: String
    }

    /// One room as the index holds it, with its counts.
    struct RoomStatusRow: Sendable {
        var roomID: Int
        var name: String
        var type: String
        /// Distinct messages archived, deleted ones and edited ones (more than one version).
        var archivedMessages: Int, deletedMessages: Int, editedMessages: Int
        var serverMessageNum: Int
        var files: Int, filesStored: Int
        /// The room's gaps, oldest found first.
        var gaps: [GapRow]
        /// `nil` when the room's limitation was never observed.
        var limitation: (limited: Bool, summary: String?)?
        /// The oldest message reachable when the room was first archived.
        var horizon: (messageID: String, time: Int)?
        var syncedAt: Int?
        var gone: Bool
        /// The room's last attempt by a run (``RoomAttempt``): when, and how it ended.
        var attemptedAt: Int?
        var attemptOutcome: String?
        /// Since when the room refuses to be read (403), while it does.
        var noAccessSince: Int?
        /// When the newest of the room's messages was written to the archive.
        var lastMessageObservedAt: Int?
        /// The oldest archived message's send time, and how many messages were sent since `activitySince`.
        var oldestMessageTime: Int?
        var messagesSinceActivityStart: Int
    }

    /// The whole status, read in one transaction.
    struct StatusRows: Sendable {
        /// Every room, by room id.
        var rooms: [RoomStatusRow]
        /// The JSON summary of the newest finished run.
        var lastRunJSON: String?
        /// The hash of the newest manifest applied.
        var manifestHead: String?
        /// Start times of the newest runs, newest first (at most 11).
        var runStarts: [Int]
        /// When the newest run finished: the forecast's "now".
        var lastRunFinishedAt: Int?
        /// The forecast window's start (`lastRunFinishedAt` less the window).
        var activitySince: Int
    }

    /// Reads every room with its counts, gaps, the last run's summary and the manifest head.
    /// - Parameter activityWindow: counts each room's messages sent in this many seconds before the
    ///   newest run finished (the gap forecast's window).
    func statusRows(activityWindow: Int = 14 * 86_400) throws -> StatusRows {
        try writer.read { db in
            let reference = try Int.fetchOne(db, sql: "SELECT MAX(finished_at) FROM runs")
            let activitySince = (reference ?? 0) - activityWindow
            let counts = try Row.fetchAll(db, sql: """
                SELECT room_id, COUNT(DISTINCT message_id) AS n,
                       SUM(status = 'deleted') AS deleted, COUNT(DISTINCT CASE WHEN version > 1 THEN message_id END) AS edited,
                       MAX(observed_at) AS observed, MIN(send_time) AS oldest, SUM(version = 1 AND send_time >= ?) AS recent
                FROM messages GROUP BY room_id
                """, arguments: [activitySince])
            var byRoom: [Int: (Int, Int, Int)] = [:]
            var activity: [Int: (observed: Int?, oldest: Int?, recent: Int)] = [:]
            for r in counts {
                byRoom[r["room_id"]] = (r["n"], r["deleted"] ?? 0, r["edited"] ?? 0)
                activity[r["room_id"]] = (r["observed"], r["oldest"], r["recent"] ?? 0)
            }
            var plan: [Int: Row] = [:]
            // An index read as it is (read-only media) may predate the planner's table.
            if try db.tableExists("room_plan") {
                for r in try Row.fetchAll(db, sql: "SELECT room_id, attempted_at, attempt_outcome, no_access_since FROM room_plan") {
                    plan[r["room_id"]] = r
                }
            }
            var gaps: [Int: [GapRow]] = [:]
            for g in try Row.fetchAll(db, sql: "SELECT * FROM gaps ORDER BY found_at") {
                let roomID: Int = g["room_id"]
                gaps[roomID, default: []].append(GapRow(roomID: roomID, afterMessageID: g["after_message_id"], afterTime: g["after_time"],
                    beforeMessageID: g["before_message_id"], beforeTime: g["before_time"], estimatedMissing: g["estimated_missing"],
                    foundAt: g["found_at"], runID: g["run_id"]))
            }
            var files: [Int: (Int, Int)] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT room_id, COUNT(*) AS n, SUM(status = 'stored') AS s FROM files GROUP BY room_id") {
                files[r["room_id"]] = (r["n"], r["s"] ?? 0)
            }
            var rooms: [RoomStatusRow] = []
            for r in try Row.fetchAll(db, sql: "SELECT * FROM rooms ORDER BY room_id") {
                let id: Int = r["room_id"]
                let c = byRoom[id] ?? (0, 0, 0)
                let limitationAt: Int? = r["limitation_at"]
                let horizonID: String? = r["horizon_message_id"]
                rooms.append(RoomStatusRow(
                    roomID: id, name: r["name"], type: r["type"], archivedMessages: c.0, deletedMessages: c.1, editedMessages: c.2,
                    serverMessageNum: r["message_num"], files: files[id]?.0 ?? 0, filesStored: files[id]?.1 ?? 0,
                    gaps: gaps[id] ?? [],
                    limitation: limitationAt == nil ? nil : (r["limited"], r["limitation_summary"]),
                    horizon: horizonID.map { ($0, r["horizon_time"]) },
                    syncedAt: r["synced_at"], gone: (r["gone_at"] as Int?) != nil,
                    attemptedAt: plan[id].flatMap { $0["attempted_at"] as Int? },
                    attemptOutcome: plan[id].flatMap { $0["attempt_outcome"] as String? },
                    noAccessSince: plan[id].flatMap { $0["no_access_since"] as Int? },
                    lastMessageObservedAt: activity[id]?.observed, oldestMessageTime: activity[id]?.oldest,
                    messagesSinceActivityStart: activity[id]?.recent ?? 0))
            }
            let lastRunJSON = try String.fetchOne(db, sql: "SELECT summary_json FROM runs ORDER BY finished_at DESC, run_id DESC LIMIT 1")
            let head = try String.fetchOne(db, sql: "SELECT hash FROM manifests ORDER BY sequence DESC LIMIT 1")
            let runStarts = try Int.fetchAll(db, sql: "SELECT started_at FROM runs ORDER BY started_at DESC LIMIT 11")
            return StatusRows(rooms: rooms, lastRunJSON: lastRunJSON, manifestHead: head, runStarts: runStarts,
                              lastRunFinishedAt: reference, activitySince: activitySince)
        }
    }
}
