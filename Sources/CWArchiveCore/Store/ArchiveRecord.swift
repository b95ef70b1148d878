import ChatworkAPI
import Foundation

/// One line of a data file: something the API returned (or that the archiver concluded), with when and by which run.
///
/// Data files are the source of truth; the SQLite index is derived from these records alone.
public struct ArchiveRecord: Codable, Sendable, Equatable {
    /// The run that wrote the record.
    public var run: String
    /// When it was observed (Unix seconds).
    public var at: Int
    /// The room it belongs to, if any.
    public var roomID: Int?
    public var payload: Payload

    public init(run: String, at: Int, roomID: Int? = nil, payload: Payload) {
        self.run = run
        self.at = at
        self.roomID = roomID
        self.payload = payload
    }

    /// What a record holds.
    public enum Payload: Sendable, Equatable {
        case me(Me)
        case myStatus(MyStatus)
        case myTasks([MyTask])
        case contacts([Contact])
        case incomingRequests([IncomingRequest])
        /// The room's details (`GET /rooms/{id}`).
        case room(Room)
        case members([Member])
        /// A message as first seen, or a new version of it (edited).
        case message(Message)
        /// A message read from another tool's export (`cwarchive import`), with its provenance.
        case importedMessage(ImportedMessage)
        /// A message that vanished from a window that still covers its time.
        case messageDeleted(MessageDeletion)
        case tasks([RoomTask])
        /// A file's metadata and where its bytes are (or why they are not).
        case file(FileRecord)
        case link(LinkRecord)
        case limitation(MessageLimitation)
        /// Messages that arrived between two runs and were out of reach.
        case gap(GapRecord)
        /// The room's history before its first archived window.
        case horizon(HorizonRecord)
        /// The room was archived completely at this `last_update_time`.
        case roomSynced(RoomSynced)
        /// A room that disappeared from `/rooms` (left or deleted); its archive is kept.
        case roomGone(RoomGone)
        /// How one run's attempt at a room ended, and which of its parts it fetched (``RoomAttempt``).
        case roomAttempt(RoomAttempt)
        /// The end of a run, with its summary.
        case runFinished(RunSummary)
        /// A webhook delivery kept as received (`listen`: mentions, unknown types, odd shapes).
        case webhookEvent(WebhookEventRecord)
        /// A period when `listen` was up for the room.
        case listenerUptime(ListenerUptimeRecord)
    }

    var typeName: String {
        switch payload {
        case .me: "me"
        case .myStatus: "my_status"
        case .myTasks: "my_tasks"
        case .contacts: "contacts"
        case .incomingRequests: "incoming_requests"
        case .room: "room"
        case .members: "members"
        case .message: "message"
        case .importedMessage: "imported_message"
        case .messageDeleted: "message_deleted"
        case .tasks: "tasks"
        case .file: "file"
        case .link: "link"
        case .limitation: "limitation"
        case .gap: "gap"
        case .horizon: "horizon"
        case .roomSynced: "room_synced"
        case .roomGone: "room_gone"
        case .roomAttempt: "room_attempt"
        case .runFinished: "run_finished"
        case .webhookEvent: "webhook_event"
        case .listenerUptime: "listener_uptime"
        }
    }

    enum CodingKeys: String, CodingKey { case type, run, at, roomID = "room_id", data, unknownFields = "unknown_fields" }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(typeName, forKey: .type)
        try c.encode(run, forKey: .run)
        try c.encode(at, forKey: .at)
        try c.encodeIfPresent(roomID, forKey: .roomID)
        switch payload {
        case .me(let v): try c.encode(v, forKey: .data)
        case .myStatus(let v): try c.encode(v, forKey: .data)
        case .myTasks(let v): try c.encode(v, forKey: .data)
        case .contacts(let v): try c.encode(v, forKey: .data)
        case .incomingRequests(let v): try c.encode(v, forKey: .data)
        case .room(let v): try c.encode(v, forKey: .data)
        case .members(let v): try c.encode(v, forKey: .data)
        case .message(let v): try c.encode(v, forKey: .data)
        case .importedMessage(let v): try c.encode(v, forKey: .data)
        case .messageDeleted(let v): try c.encode(v, forKey: .data)
        case .tasks(let v): try c.encode(v, forKey: .data)
        case .file(let v): try c.encode(v, forKey: .data)
        case .link(let v): try c.encode(v, forKey: .data)
        case .limitation(let v): try c.encode(v, forKey: .data)
        case .gap(let v): try c.encode(v, forKey: .data)
        case .horizon(let v): try c.encode(v, forKey: .data)
        case .roomSynced(let v): try c.encode(v, forKey: .data)
        case .roomGone(let v): try c.encode(v, forKey: .data)
        case .roomAttempt(let v): try c.encode(v, forKey: .data)
        case .runFinished(let v): try c.encode(v, forKey: .data)
        case .webhookEvent(let v): try c.encode(v, forKey: .data)
        case .listenerUptime(let v): try c.encode(v, forKey: .data)
        }
        try c.encodeIfPresent(payload.unknownFields, forKey: .unknownFields)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        run = try c.decode(String.self, forKey: .run)
        at = try c.decode(Int.self, forKey: .at)
        roomID = try c.decodeIfPresent(Int.self, forKey: .roomID)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "me": payload = .me(try c.decode(Me.self, forKey: .data))
        case "my_status": payload = .myStatus(try c.decode(MyStatus.self, forKey: .data))
        case "my_tasks": payload = .myTasks(try c.decode([MyTask].self, forKey: .data))
        case "contacts": payload = .contacts(try c.decode([Contact].self, forKey: .data))
        case "incoming_requests": payload = .incomingRequests(try c.decode([IncomingRequest].self, forKey: .data))
        case "room": payload = .room(try c.decode(Room.self, forKey: .data))
        case "members": payload = .members(try c.decode([Member].self, forKey: .data))
        case "message": payload = .message(try c.decode(Message.self, forKey: .data))
        case "imported_message": payload = .importedMessage(try c.decode(ImportedMessage.self, forKey: .data))
        case "message_deleted": payload = .messageDeleted(try c.decode(MessageDeletion.self, forKey: .data))
        case "tasks": payload = .tasks(try c.decode([RoomTask].self, forKey: .data))
        case "file": payload = .file(try c.decode(FileRecord.self, forKey: .data))
        case "link": payload = .link(try c.decode(LinkRecord.self, forKey: .data))
        case "limitation": payload = .limitation(try c.decode(MessageLimitation.self, forKey: .data))
        case "gap": payload = .gap(try c.decode(GapRecord.self, forKey: .data))
        case "horizon": payload = .horizon(try c.decode(HorizonRecord.self, forKey: .data))
        case "room_synced": payload = .roomSynced(try c.decode(RoomSynced.self, forKey: .data))
        case "room_gone": payload = .roomGone(try c.decode(RoomGone.self, forKey: .data))
        case "room_attempt": payload = .roomAttempt(try c.decode(RoomAttempt.self, forKey: .data))
        case "run_finished": payload = .runFinished(try c.decode(RunSummary.self, forKey: .data))
        case "webhook_event": payload = .webhookEvent(try c.decode(WebhookEventRecord.self, forKey: .data))
        case "listener_uptime": payload = .listenerUptime(try c.decode(ListenerUptimeRecord.self, forKey: .data))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown record type \(type)")
        }
        if let unknown = try c.decodeIfPresent(JSONValue.self, forKey: .unknownFields) {
            payload = payload.keeping(unknown)
        }
    }
}

/// A message that disappeared from the newest-100 window while the window still covered its time.
public struct MessageDeletion: Codable, Sendable, Equatable {
    public var messageID: String
    /// The window's time range when the absence was seen.
    public var windowFrom: Int
    public var windowTo: Int
    enum CodingKeys: String, CodingKey { case messageID = "message_id", windowFrom = "window_from", windowTo = "window_to" }
    public init(messageID: String, windowFrom: Int, windowTo: Int) {
        self.messageID = messageID; self.windowFrom = windowFrom; self.windowTo = windowTo
    }
}

/// A file's metadata and the state of its bytes.
public struct FileRecord: Codable, Sendable, Equatable {
    /// `missing`: the server answers 404 for it (a `[download:ID]` of a file deleted since).
    public enum Status: String, Codable, Sendable { case stored, failed, missing, skippedSize = "skipped_size", skippedNoFiles = "skipped_no_files" }
    /// The API's file object, without the short-lived `download_url`.
    public var file: ChatworkFile
    public var status: Status
    /// SHA-256 of the stored bytes (the blob's name) when stored.
    public var sha256: String?
    public var error: String?
    public init(file: ChatworkFile, status: Status, sha256: String? = nil, error: String? = nil) {
        var f = file
        f.downloadURL = nil
        self.file = f; self.status = status; self.sha256 = sha256; self.error = error
    }
}

/// The invite link, or why it could not be read.
public struct LinkRecord: Codable, Sendable, Equatable {
    public var link: RoomLink?
    /// "ok", or "forbidden" (normal for non-admins).
    public var status: String
    public init(link: RoomLink?, status: String) { self.link = link; self.status = status }
}

/// Messages that arrived between two runs and could not be reached through the newest-100 window.
public struct GapRecord: Codable, Sendable, Equatable {
    /// The newest message archived before the gap.
    public var afterMessageID: String?
    public var afterTime: Int?
    /// The oldest message of the window after the gap.
    public var beforeMessageID: String
    public var beforeTime: Int
    /// The server's message count suggests this many are missing (nil when unknown).
    public var estimatedMissing: Int?
    enum CodingKeys: String, CodingKey {
        case afterMessageID = "after_message_id", afterTime = "after_time"
        case beforeMessageID = "before_message_id", beforeTime = "before_time", estimatedMissing = "estimated_missing"
    }
    public init(afterMessageID: String?, afterTime: Int?, beforeMessageID: String, beforeTime: Int, estimatedMissing: Int?) {
        self.afterMessageID = afterMessageID; self.afterTime = afterTime
        self.beforeMessageID = beforeMessageID; self.beforeTime = beforeTime; self.estimatedMissing = estimatedMissing
    }
}

/// A room's history older than its first archived window: out of reach of the list endpoint.
public struct HorizonRecord: Codable, Sendable, Equatable {
    public var oldestMessageID: String
    public var oldestTime: Int
    public var serverMessageNum: Int
    enum CodingKeys: String, CodingKey { case oldestMessageID = "oldest_message_id", oldestTime = "oldest_time", serverMessageNum = "server_message_num" }
    public init(oldestMessageID: String, oldestTime: Int, serverMessageNum: Int) {
        self.oldestMessageID = oldestMessageID; self.oldestTime = oldestTime; self.serverMessageNum = serverMessageNum
    }
}

/// The room was archived completely at this `last_update_time`.
public struct RoomSynced: Codable, Sendable, Equatable {
    public var lastUpdateTime: Int
    enum CodingKeys: String, CodingKey { case lastUpdateTime = "last_update_time" }
    public init(lastUpdateTime: Int) { self.lastUpdateTime = lastUpdateTime }
}

/// A room no longer listed by `/rooms`.
public struct RoomGone: Codable, Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}
