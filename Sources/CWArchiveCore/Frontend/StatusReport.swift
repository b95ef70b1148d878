import Foundation

/// `cwarchive status`: per room what the archive holds against what the server counts, gaps,
/// limitations and the last run.
public struct StatusReport: Encodable, Sendable {
    public struct RoomStatus: Encodable, Sendable {
        public var roomID: Int
        public var name: String
        public var type: String
        public var archivedMessages: Int
        public var deletedMessages: Int
        public var editedMessages: Int
        public var serverMessageNum: Int
        public var files: Int
        public var filesStored: Int
        public var gaps: [GapStatus]
        public var limitation: Limitation?
        public var horizon: Horizon?
        public var lastArchived: String?
        public var lastArchivedAt: Int?
        public var gone: Bool
        enum CodingKeys: String, CodingKey {
            case roomID = "room_id", name, type, archivedMessages = "archived_messages", deletedMessages = "deleted_messages"
            case editedMessages = "edited_messages", serverMessageNum = "server_message_num", files, filesStored = "files_stored"
            case gaps, limitation, horizon, lastArchived = "last_archived", lastArchivedAt = "last_archived_at", gone
        }
    }
    public struct GapStatus: Encodable, Sendable {
        public var afterMessageID: String?
        public var afterTime: Int?
        public var beforeMessageID: String
        public var beforeTime: Int
        public var estimatedMissing: Int?
        public var foundAt: Int
        public var runID: String
        /// `cwarchive listen` was up for the room over the whole gap and took its deliveries.
        public var coveredByWebhook: Bool
        enum CodingKeys: String, CodingKey {
            case afterMessageID = "after_message_id", afterTime = "after_time", beforeMessageID = "before_message_id"
            case beforeTime = "before_time", estimatedMissing = "estimated_missing", foundAt = "found_at", runID = "run_id"
            case coveredByWebhook = "covered_by_webhook"
        }
    }
    public struct Limitation: Encodable, Sendable { public var limited: Bool; public var summary: String? }
    public struct Horizon: Encodable, Sendable {
        public var oldestMessageID: String
        public var oldestTime: Int
        enum CodingKeys: String, CodingKey { case oldestMessageID = "oldest_message_id", oldestTime = "oldest_time" }
    }

    public var archive: String
    public var rooms: [RoomStatus]
    public var lastRun: RunSummary?
    public var manifestHead: String?
    /// `cwarchive listen` has recorded periods for some room (text form only).
    public var hasLiveCapture = false
    enum CodingKeys: String, CodingKey { case archive, rooms, lastRun = "last_run", manifestHead = "manifest_head" }

    /// Reads the status from an archive's index.
    public static func load(store: ArchiveStore) throws -> StatusReport {
        let index = try ArchiveIndex.openForReading(store: store)
        let status = try index.statusRows()
        // An index file from before `listen` opened read-only has no such table: no periods.
        let periods = (try? index.listenerPeriods()) ?? [:]
        func covered(_ roomID: Int, _ from: Int, _ to: Int) -> Bool {
            periods[roomID]?.contains { $0.from <= from && $0.to >= to } ?? false
        }
        let rooms = status.rooms.map { r in
            RoomStatus(
                roomID: r.roomID, name: r.name, type: r.type, archivedMessages: r.archivedMessages, deletedMessages: r.deletedMessages,
                editedMessages: r.editedMessages, serverMessageNum: r.serverMessageNum, files: r.files, filesStored: r.filesStored,
                gaps: r.gaps.map { g in
                    GapStatus(afterMessageID: g.afterMessageID, afterTime: g.afterTime, beforeMessageID: g.beforeMessageID,
                              beforeTime: g.beforeTime, estimatedMissing: g.estimatedMissing, foundAt: g.foundAt, runID: g.runID,
                              coveredByWebhook: covered(r.roomID, g.afterTime ?? 0, g.beforeTime))
                },
                limitation: r.limitation.map { Limitation(limited: $0.limited, summary: $0.summary) },
                horizon: r.horizon.map { Horizon(oldestMessageID: $0.messageID, oldestTime: $0.time) },
                lastArchived: r.syncedAt.map { RunSummary.iso($0) }, lastArchivedAt: r.syncedAt,
                gone: r.gone)
        }
        let lastRun = try status.lastRunJSON.map { try JSONDecoder().decode(RunSummary.self, from: Data($0.utf8)) }
        return StatusReport(archive: store.root.path, rooms: rooms, lastRun: lastRun, manifestHead: status.manifestHead,
                            hasLiveCapture: !periods.isEmpty)
    }

    /// The text form.
    public var text: String {
        var lines: [String] = ["Archive: \(archive)"]
        if let h = manifestHead { lines.append("Manifest head: \(h)") }
        lines.append("")
        lines.append(pad("ROOM", 12) + pad("NAME", 28) + pad("ARCHIVED", 10) + pad("SERVER", 8) + pad("GAPS", 6) + "LAST ARCHIVED")
        for r in rooms {
            var flags: [String] = []
            if r.limitation?.limited == true { flags.append("limited: \(r.limitation?.summary ?? "free plan, 40 days")") }
            if r.horizon != nil && r.archivedMessages < r.serverMessageNum { flags.append("history before \(RunSummary.iso(r.horizon!.oldestTime)) out of reach") }
            if r.gone { flags.append("no longer listed") }
            lines.append(pad(String(r.roomID), 12) + pad(String(TerminalText.sanitize(r.name).prefix(26)), 28) + pad(String(r.archivedMessages), 10)
                         + pad(String(r.serverMessageNum), 8) + pad(String(r.gaps.count), 6) + (r.lastArchived ?? "never")
                         + (flags.isEmpty ? "" : "  (" + flags.joined(separator: "; ") + ")"))
        }
        let coveredGaps = rooms.reduce(0) { $0 + $1.gaps.filter(\.coveredByWebhook).count }
        if coveredGaps > 0 || hasLiveCapture {
            lines.append("")
            if coveredGaps > 0 {
                lines.append("\(coveredGaps) gap(s) covered by live capture: `cwarchive listen` was up for the room over the whole gap and took its webhook deliveries.")
            }
            lines.append("An undelivered webhook cannot be detected: Chatwork never sends a failed delivery again, so a covered gap means the listener was running, not that every message arrived.")
        }
        if let run = lastRun {
            lines.append("")
            lines.append("Last run: " + run.paragraph)
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ n: Int) -> String {
        let w = s.reduce(0) { $0 + (($1.unicodeScalars.first.map { $0.value >= 0x1100 } ?? false) ? 2 : 1) }
        return s + String(repeating: " ", count: max(1, n - w))
    }
}
