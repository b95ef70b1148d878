import Foundation

/// What a run did: the `--report` JSON, the last record of a run, and the source of `status`'s last-run part.
public struct RunSummary: Codable, Sendable, Equatable {
    public struct Rooms: Codable, Sendable, Equatable {
        public var seen = 0, changed = 0, skipped = 0, failed = 0
        public init() {}
    }
    public struct Messages: Codable, Sendable, Equatable {
        public var new = 0, edited = 0, deleted = 0
        /// Fetched one by one because a reply pointed at them.
        public var fetchedByReference = 0
        public init() {}
        enum CodingKeys: String, CodingKey { case new, edited, deleted, fetchedByReference = "fetched_by_reference" }
    }
    public struct Files: Codable, Sendable, Equatable {
        public var downloaded = 0, failed = 0, skipped = 0, alreadyStored = 0, missing = 0
        public var bytes = 0
        public init() {}
        enum CodingKeys: String, CodingKey { case downloaded, failed, skipped, alreadyStored = "already_stored", missing, bytes }
    }
    /// One thing that could not be archived.
    public struct Failure: Codable, Sendable, Equatable {
        public var roomID: Int?
        public var item: String
        public var error: String
        public init(roomID: Int?, item: String, error: String) { self.roomID = roomID; self.item = item; self.error = error }
        enum CodingKeys: String, CodingKey { case roomID = "room_id", item, error }
    }
    /// A gap found in this run.
    public struct Gap: Codable, Sendable, Equatable {
        public var roomID: Int
        public var afterMessageID: String?
        public var afterTime: Int?
        public var beforeMessageID: String
        public var beforeTime: Int
        public var estimatedMissing: Int?
        /// True when `cwarchive listen` was up for the room over the whole gap (nil: not checked).
        public var coveredByWebhook: Bool? = nil
        enum CodingKeys: String, CodingKey {
            case roomID = "room_id", afterMessageID = "after_message_id", afterTime = "after_time"
            case beforeMessageID = "before_message_id", beforeTime = "before_time", estimatedMissing = "estimated_missing"
            case coveredByWebhook = "covered_by_webhook"
        }
    }

    /// A room listed by `/rooms` that answers 403.
    public struct NoAccess: Codable, Sendable, Equatable {
        public var roomID: Int
        public var name: String
        /// When it was first refused (Unix seconds, and ISO 8601).
        public var since: Int
        public var sinceISO: String
        /// Refused for the first time in this run (then it is also a failure, and the run exits 3).
        public var new: Bool
        public init(roomID: Int, name: String, since: Int, new: Bool) {
            self.roomID = roomID; self.name = name; self.since = since; self.sinceISO = RunSummary.iso(since); self.new = new
        }
        enum CodingKeys: String, CodingKey { case roomID = "room_id", name, since, sinceISO = "since_iso", new }
    }

    public var runID: String
    public var startedAt: Int
    public var finishedAt: Int
    /// ISO 8601 forms of the two times, for people reading the report.
    public var started: String
    public var finished: String
    public var requests = 0
    public var rateLimited = 0
    public var retries = 0
    public var rooms = Rooms()
    public var messages = Messages()
    public var files = Files()
    public var gaps: [Gap] = []
    public var gapsFound: Int { gaps.count }
    public var failures: [Failure] = []
    public var manifestHash: String?
    /// Requests by why they were made: `account`, `room_list`, `messages`, `PART:REASON` (e.g.
    /// `members:system_text`, `tasks:task_num`, `details:refresh`), `replies`, `downloads`, `no_access:retry`.
    public var requestsByReason: [String: Int] = [:]
    /// Changed rooms the run did not finish because a budget ran out (`--max-requests`,
    /// `--max-duration`), in the order they would have been taken; the next run takes them first.
    public var roomsLeft: [Int] = []
    /// `max_requests` or `max_duration` when the run stopped early.
    public var stoppedBy: String?
    /// Rooms that refuse to be read (403), new ones and those refused since an earlier run.
    public var noAccess: [NoAccess] = []
    public var exitCode: Int = 0
    public var complete: Bool { exitCode == 0 }

    public init(runID: String, startedAt: Int) {
        self.runID = runID
        self.startedAt = startedAt
        self.finishedAt = startedAt
        self.started = RunSummary.iso(startedAt)
        self.finished = self.started
    }

    static func iso(_ t: Int) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", startedAt = "started_at", finishedAt = "finished_at", started, finished
        case requests, rateLimited = "rate_limited_429", retries, rooms, messages, files, gaps
        case gapsFound = "gaps_found", failures, manifestHash = "manifest_hash", exitCode = "exit_code", complete
        case requestsByReason = "requests_by_reason", roomsLeft = "rooms_left", stoppedBy = "stopped_by", noAccess = "no_access"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runID = try c.decode(String.self, forKey: .runID)
        startedAt = try c.decode(Int.self, forKey: .startedAt)
        finishedAt = try c.decode(Int.self, forKey: .finishedAt)
        started = try c.decodeIfPresent(String.self, forKey: .started) ?? RunSummary.iso(startedAt)
        finished = try c.decodeIfPresent(String.self, forKey: .finished) ?? RunSummary.iso(finishedAt)
        requests = try c.decodeIfPresent(Int.self, forKey: .requests) ?? 0
        rateLimited = try c.decodeIfPresent(Int.self, forKey: .rateLimited) ?? 0
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? 0
        rooms = try c.decodeIfPresent(Rooms.self, forKey: .rooms) ?? Rooms()
        messages = try c.decodeIfPresent(Messages.self, forKey: .messages) ?? Messages()
        files = try c.decodeIfPresent(Files.self, forKey: .files) ?? Files()
        gaps = try c.decodeIfPresent([Gap].self, forKey: .gaps) ?? []
        failures = try c.decodeIfPresent([Failure].self, forKey: .failures) ?? []
        manifestHash = try c.decodeIfPresent(String.self, forKey: .manifestHash)
        exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
        requestsByReason = try c.decodeIfPresent([String: Int].self, forKey: .requestsByReason) ?? [:]
        roomsLeft = try c.decodeIfPresent([Int].self, forKey: .roomsLeft) ?? []
        stoppedBy = try c.decodeIfPresent(String.self, forKey: .stoppedBy)
        noAccess = try c.decodeIfPresent([NoAccess].self, forKey: .noAccess) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(started, forKey: .started)
        try c.encode(finished, forKey: .finished)
        try c.encode(requests, forKey: .requests)
        try c.encode(rateLimited, forKey: .rateLimited)
        try c.encode(retries, forKey: .retries)
        try c.encode(rooms, forKey: .rooms)
        try c.encode(messages, forKey: .messages)
        try c.encode(files, forKey: .files)
        try c.encode(gaps, forKey: .gaps)
        try c.encode(gapsFound, forKey: .gapsFound)
        try c.encode(failures, forKey: .failures)
        try c.encodeIfPresent(manifestHash, forKey: .manifestHash)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(complete, forKey: .complete)
        try c.encode(requestsByReason, forKey: .requestsByReason)
        try c.encode(roomsLeft, forKey: .roomsLeft)
        try c.encodeIfPresent(stoppedBy, forKey: .stoppedBy)
        try c.encode(noAccess, forKey: .noAccess)
    }

    /// One paragraph for people.
    public var paragraph: String {
        var s = "Run \(runID): \(rooms.seen) rooms seen, \(rooms.changed) changed, \(rooms.skipped) unchanged, \(rooms.failed) failed; "
        s += "\(messages.new) new, \(messages.edited) edited and \(messages.deleted) deleted messages"
        if messages.fetchedByReference > 0 { s += " (\(messages.fetchedByReference) fetched through replies)" }
        s += "; \(files.downloaded) files downloaded (\(ByteCount.format(files.bytes))), \(files.failed) failed, \(files.skipped) skipped; "
        s += "\(requests) API requests, \(rateLimited) rate-limited. "
        if !gaps.isEmpty { s += "\(gaps.count) gap(s) found: messages arrived faster than runs could take them. " }
        if let stoppedBy {
            let flag = stoppedBy == "max_duration" ? "--max-duration" : "--max-requests"
            s += "Stopped early (\(flag)): \(roomsLeft.count) changed room(s) left for the next run, which takes them first. "
        }
        let refused = noAccess.filter { !$0.new }
        if !refused.isEmpty { s += "\(refused.count) room(s) still refuse to be read (no_access, not counted as failures). " }
        s += complete ? "The archive is complete." : "The archive is INCOMPLETE (exit \(exitCode)): see the failures and gaps above or in the report."
        if let h = manifestHash { s += " Manifest \(h.prefix(16))…" }
        return s
    }
}

/// Human-readable byte counts.
public enum ByteCount {
    public static func format(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n)
        var i = 0
        while v >= 1000 && i < units.count - 1 { v /= 1000; i += 1 }
        return i == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[i])
    }
}
