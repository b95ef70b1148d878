import Foundation

/// `cwarchive status`: per room what the archive holds against what the server counts, gaps,
/// limitations and the last run.
public struct StatusReport: Encodable, Sendable {
    public struct RoomStatus: Encodable, Sendable {
        public var roomID: Int
        public var name: String
        public var type: String
        public var archivedMessages: Int
        /// Messages only `cwarchive import` gave (the API never did).
        public var importedMessages: Int = 0
        public var deletedMessages: Int
        public var editedMessages: Int
        public var serverMessageNum: Int
        public var files: Int
        public var filesStored: Int
        public var gaps: [GapStatus]
        public var limitation: Limitation?
        public var horizon: Horizon?
        /// When a run last archived the room, even if something of it failed then (see `incomplete`).
        public var lastArchived: String?
        public var lastArchivedAt: Int?
        /// The last run that archived the room left something out (a failed item, or a budget): it is taken again.
        public var incomplete: Bool
        public var gone: Bool
        /// `ok`, or `no_access`: listed by `/rooms` but answering 403 since `no_access_since`.
        public var access: String
        public var noAccessSince: String?
        public var noAccessSinceAt: Int?
        public var gapRisk: GapRisk
        enum CodingKeys: String, CodingKey {
            case roomID = "room_id", name, type, archivedMessages = "archived_messages", importedMessages = "imported_messages", deletedMessages = "deleted_messages"
            case editedMessages = "edited_messages", serverMessageNum = "server_message_num", files, filesStored = "files_stored"
            case gaps, limitation, horizon, lastArchived = "last_archived", lastArchivedAt = "last_archived_at", incomplete, gone
            case access, noAccessSince = "no_access_since", noAccessSinceAt = "no_access_since_at", gapRisk = "gap_risk"
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
    /// The interval between runs the gap forecast assumes, in hours, and whether it was observed.
    public var runIntervalHours: Double
    public var runIntervalObserved: Bool
    /// `cwarchive listen` has recorded periods for some room (text form only).
    public var hasLiveCapture = false
    enum CodingKeys: String, CodingKey {
        case archive, rooms, lastRun = "last_run", manifestHead = "manifest_head"
        case runIntervalHours = "run_interval_hours", runIntervalObserved = "run_interval_observed"
    }

    /// Reads the status from an archive's index.
    public static func load(store: ArchiveStore) throws -> StatusReport {
        try load(store: store, index: try ArchiveIndex.openForOneRead(store: store))
    }

    /// Reads the status from a given index of the archive (tests: one in memory).
    public static func load(store: ArchiveStore, index: ArchiveIndex) throws -> StatusReport {
        let status = try index.statusRows()
        let imported = try index.importedMessageCounts()
        let interval = GapForecast.runInterval(runStarts: status.runStarts)
        let reference = status.lastRunFinishedAt ?? 0
        // An index file from before `listen` opened read-only has no such table: no periods.
        let periods = (try? index.listenerPeriods()) ?? [:]
        func covered(_ roomID: Int, _ from: Int, _ to: Int) -> Bool {
            periods[roomID]?.contains { $0.from <= from && $0.to >= to } ?? false
        }
        let rooms = status.rooms.map { r in
            let archivedAt = lastArchived(r)
            let missing = r.gaps.filter { ($0.afterTime ?? $0.beforeTime) >= status.activitySince }.reduce(0) { $0 + ($1.estimatedMissing ?? 0) }
            return RoomStatus(
                roomID: r.roomID, name: r.name, type: r.type, archivedMessages: r.archivedMessages, importedMessages: imported[r.roomID] ?? 0,
                deletedMessages: r.deletedMessages,
                editedMessages: r.editedMessages, serverMessageNum: r.serverMessageNum, files: r.files, filesStored: r.filesStored,
                gaps: r.gaps.map { g in
                    GapStatus(afterMessageID: g.afterMessageID, afterTime: g.afterTime, beforeMessageID: g.beforeMessageID,
                              beforeTime: g.beforeTime, estimatedMissing: g.estimatedMissing, foundAt: g.foundAt, runID: g.runID,
                              coveredByWebhook: covered(r.roomID, g.afterTime ?? 0, g.beforeTime))
                },
                limitation: r.limitation.map { Limitation(limited: $0.limited, summary: $0.summary) },
                horizon: r.horizon.map { Horizon(oldestMessageID: $0.messageID, oldestTime: $0.time) },
                lastArchived: archivedAt.at.map { RunSummary.iso($0) }, lastArchivedAt: archivedAt.at, incomplete: archivedAt.incomplete,
                gone: r.gone,
                access: r.noAccessSince == nil ? "ok" : "no_access",
                noAccessSince: r.noAccessSince.map { RunSummary.iso($0) }, noAccessSinceAt: r.noAccessSince,
                gapRisk: GapForecast.risk(messages: r.messagesSinceActivityStart + missing, windowStart: status.activitySince,
                                          oldestMessage: r.oldestMessageTime, reference: reference, runInterval: interval.seconds))
        }
        let lastRun = try status.lastRunJSON.map { try JSONDecoder().decode(RunSummary.self, from: Data($0.utf8)) }
        return StatusReport(archive: store.root.path, rooms: rooms, lastRun: lastRun, manifestHead: status.manifestHead,
                            runIntervalHours: (interval.seconds / 360).rounded() / 10, runIntervalObserved: interval.observed, hasLiveCapture: !periods.isEmpty)
    }

    /// When the room was last archived and whether that left something out: the newest of its
    /// complete sync and its last attempt (a run with a failed item still archived the rest). An
    /// archive written before attempts were recorded falls back on its messages' arrival.
    static func lastArchived(_ r: ArchiveIndex.RoomStatusRow) -> (at: Int?, incomplete: Bool) {
        let attempt = r.attemptOutcome == RoomAttempt.Outcome.noAccess.rawValue ? nil : r.attemptedAt
        if let attempt, attempt >= (r.syncedAt ?? 0) {
            let incomplete = r.attemptOutcome == RoomAttempt.Outcome.incomplete.rawValue || r.attemptOutcome == RoomAttempt.Outcome.deferred.rawValue
            return (attempt, incomplete)
        }
        if let synced = r.syncedAt { return (synced, false) }
        if r.attemptedAt == nil, let observed = r.lastMessageObservedAt { return (observed, true) }
        return (nil, false)
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
            if r.importedMessages > 0 { flags.append("\(r.importedMessages) imported") }
            for g in r.gaps where g.runID.hasPrefix(ImportedMessage.importRunPrefix) {
                flags.append("gap between the import and the archive: \(g.afterTime.map { RunSummary.iso($0) } ?? "?") to \(RunSummary.iso(g.beforeTime))")
            }
            if r.gone { flags.append("no longer listed") }
            if r.incomplete { flags.append("incomplete: the last run left something out; the next takes it again") }
            if let since = r.noAccessSince { flags.append("no_access since \(since): listed but not readable (403)") }
            lines.append(pad(String(r.roomID), 12) + pad(String(TerminalText.sanitize(r.name).prefix(26)), 28) + pad(String(r.archivedMessages), 10)
                         + pad(String(r.serverMessageNum), 8) + pad(String(r.gaps.count), 6) + (r.lastArchived ?? "never")
                         + (flags.isEmpty ? "" : "  (" + flags.joined(separator: "; ") + ")"))
        }
        let atRisk = rooms.filter { $0.gapRisk.atRisk && !$0.gone && $0.access == "ok" }
        if !atRisk.isEmpty {
            lines.append("")
            let observed = runIntervalObserved ? "the observed" : "an assumed"
            lines.append("At risk of gaps: more than \(Int(GapForecast.threshold)) of the 100-message window expected between two runs at \(observed) interval of \(Self.hours(runIntervalHours)):")
            for r in atRisk {
                let safe = r.gapRisk.safeIntervalHours.map { "run at least every \(Self.hours($0))" } ?? ""
                lines.append("  \(r.roomID) \(TerminalText.sanitize(r.name).prefix(40)): \(Self.number(r.gapRisk.messagesPerDay)) messages/day, about \(Self.number(r.gapRisk.expectedPerRun)) per run; \(safe), or capture it live with `cwarchive listen`")
            }
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

    private static func number(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
    }

    private static func hours(_ h: Double) -> String {
        h >= 48 ? "\(number((h / 24 * 10).rounded(.down) / 10)) days" : "\(number(h)) h"
    }

    private func pad(_ s: String, _ n: Int) -> String {
        let w = s.reduce(0) { $0 + (($1.unicodeScalars.first.map { $0.value >= 0x1100 } ?? false) ? 2 : 1) }
        return s + String(repeating: " ", count: max(1, n - w))
    }
}
