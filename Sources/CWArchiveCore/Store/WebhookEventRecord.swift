import Foundation

/// A webhook delivery kept as it was received (`cwarchive listen`): `mention_to_me`, event types
/// this version does not know, and correctly signed bodies of an unexpected shape. Nothing a
/// verified delivery carried is ever dropped, even when it cannot be read as a message.
public struct WebhookEventRecord: Codable, Sendable, Equatable {
    /// `webhook_event_type` when the body had one (`mention_to_me`, …).
    public var eventType: String?
    /// `webhook_event.message_id`, when the body named one.
    public var messageID: String?
    /// `webhook_event_time` when the body had one.
    public var eventTime: Int?
    /// SHA-256 of the raw body: the same delivery received twice has the same key.
    public var bodySHA256: String
    /// The raw body: UTF-8 text as it was, or Base64 when it was not UTF-8 (see `bodyEncoding`).
    public var body: String
    /// `utf8` or `base64`.
    public var bodyEncoding: String

    enum CodingKeys: String, CodingKey {
        case eventType = "event_type", messageID = "message_id", eventTime = "event_time"
        case bodySHA256 = "body_sha256", body, bodyEncoding = "body_encoding"
    }

    /// Keeps `raw` exactly: as text when it is valid UTF-8, else as Base64.
    public init(eventType: String?, messageID: String?, eventTime: Int?, raw: Data) {
        self.eventType = eventType
        self.messageID = messageID
        self.eventTime = eventTime
        self.bodySHA256 = Hashing.sha256(raw)
        if let text = String(data: raw, encoding: .utf8), Data(text.utf8) == raw {
            body = text
            bodyEncoding = "utf8"
        } else {
            body = raw.base64EncodedString()
            bodyEncoding = "base64"
        }
    }

    /// The bytes as received.
    public var rawBody: Data? {
        bodyEncoding == "base64" ? Data(base64Encoded: body) : Data(body.utf8)
    }
}

/// When the listener was up for a room and took its deliveries (`cwarchive listen`), so that a
/// gap `archive` finds inside such a period is known to be covered by live capture.
public struct ListenerUptimeRecord: Codable, Sendable, Equatable {
    /// When the listener started taking deliveries for the room (Unix seconds).
    public var from: Int
    /// The end of the period this record vouches for (the commit time, or the shutdown).
    public var to: Int
    /// The run id of the listener process, the same in every record of one process.
    public var listenerID: String
    enum CodingKeys: String, CodingKey { case from, to, listenerID = "listener_id" }
    public init(from: Int, to: Int, listenerID: String) { self.from = from; self.to = to; self.listenerID = listenerID }
}
