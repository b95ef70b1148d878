import ChatworkAPI
import Foundation

/// A Chatwork webhook delivery, read leniently from its raw body.
///
/// The documented shape is
/// `{"webhook_setting_id": "…", "webhook_event_type": "message_created", "webhook_event_time": N,
/// "webhook_event": {…}}`. Reading never fails: whatever is missing or of another type is nil,
/// and the caller keeps the raw body of anything it cannot use as a message (a schema change must
/// not lose data).
public struct WebhookDelivery: Sendable, Equatable {
    /// The event types Chatwork documents.
    public enum EventType: String, Sendable {
        case messageCreated = "message_created"
        case messageUpdated = "message_updated"
        case mentionToMe = "mention_to_me"
    }

    /// `webhook_setting_id` (a string; a number is taken as its text).
    public var settingID: String?
    /// `webhook_event_type` as sent.
    public var eventTypeName: String?
    /// `webhook_event_time` (Unix seconds).
    public var eventTime: Int?
    /// `webhook_event.room_id`: the room whose token must have signed the body.
    public var roomID: Int?
    /// `webhook_event.message_id` (a string; a number is taken as its text).
    public var messageID: String?
    /// `webhook_event.account_id` (message events) or `from_account_id` (mentions).
    public var accountID: Int?
    /// `webhook_event.to_account_id` (mentions).
    public var toAccountID: Int?
    public var body: String?
    public var sendTime: Int?
    public var updateTime: Int?
    /// Members of `webhook_event` beyond the documented ones, kept with the message.
    public var extraEventFields: [String: JSONValue] = [:]

    /// The documented type, nil for an unknown one.
    public var eventType: EventType? { eventTypeName.flatMap(EventType.init(rawValue:)) }

    /// True for `message_created`/`message_updated` with every field a message version needs.
    public var isCompleteMessage: Bool {
        guard let t = eventType, t == .messageCreated || t == .messageUpdated else { return false }
        guard let id = messageID, !id.isEmpty, id.count <= 40, id.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), roomID != nil, accountID != nil,
              body != nil, let send = sendTime, send >= 0, (updateTime ?? 0) >= 0 else { return false }
        return true
    }

    /// The members of `webhook_event` this type reads.
    static let knownEventFields: Set<String> = [
        "message_id", "room_id", "account_id", "from_account_id", "to_account_id", "body", "send_time", "update_time",
    ]

    /// Reads a raw body; never throws (a body that is not JSON gives a delivery with every field nil).
    public static func parse(_ raw: Data) -> WebhookDelivery {
        var d = WebhookDelivery()
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: raw), case .object(let top) = value else { return d }
        d.settingID = text(top["webhook_setting_id"])
        if case .string(let type)? = top["webhook_event_type"] { d.eventTypeName = type }
        d.eventTime = int(top["webhook_event_time"])
        guard case .object(let event)? = top["webhook_event"] else { return d }
        d.roomID = int(event["room_id"]).flatMap { $0 > 0 ? $0 : nil }
        d.messageID = text(event["message_id"])
        d.accountID = int(event["account_id"]) ?? int(event["from_account_id"])
        d.toAccountID = int(event["to_account_id"])
        if case .string(let b)? = event["body"] { d.body = b }
        d.sendTime = int(event["send_time"])
        d.updateTime = int(event["update_time"])
        d.extraEventFields = event.filter { !knownEventFields.contains($0.key) }
        return d
    }

    private static func int(_ v: JSONValue?) -> Int? {
        switch v {
        case .int(let i)?: return Int(exactly: i)
        case .string(let s)?: return Int(s)
        default: return nil
        }
    }

    private static func text(_ v: JSONValue?) -> String? {
        switch v {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        default: return nil
        }
    }
}
