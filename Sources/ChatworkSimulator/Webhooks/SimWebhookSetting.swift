import Foundation

/// A webhook setting, as made on Chatwork's settings page: a *room event* webhook sends
/// `message_created` and `message_updated` of one room; an *account event* webhook sends
/// `mention_to_me` for any room. Chatwork allows at most ``SimWebhookSender/maxSettings`` per account.
public struct SimWebhookSetting: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        case room(Int)
        /// Mentions of this account, in any room.
        case account(Int)
    }
    /// `webhook_setting_id` (a string, as Chatwork sends it).
    public let id: String
    public let scope: Scope
    /// Where deliveries are posted.
    public let url: URL
    /// The token shown on the settings page: Base64 text; its decoded bytes are the HMAC key.
    public let token: String
    /// How Chatwork treats this setting's deliveries (normal, twice, not at all, badly signed);
    /// change it with ``ChatworkSimulator/setWebhookDelivery(_:settingID:)``.
    public internal(set) var delivery: SimDeliveryMode

    public init(id: String, scope: Scope, url: URL, token: String, delivery: SimDeliveryMode = .normal) {
        self.id = id
        self.scope = scope
        self.url = url
        self.token = token
        self.delivery = delivery
    }

    /// The HMAC key (the Base64-decoded token).
    public var key: [UInt8] { Data(base64Encoded: token).map(Array.init) ?? Array(token.utf8) }
}

/// How the sender treats the next deliveries (to test a listener against what Chatwork may do).
public enum SimDeliveryMode: Sendable, Equatable {
    /// Once, correctly signed.
    case normal
    /// Twice, the same bytes (Chatwork may duplicate deliveries).
    case twice
    /// Not at all (a delivery lost on the way; a listener cannot tell).
    case never
    /// Once, with a signature made with another key.
    case badSignature
}

/// One delivery attempt and the listener's answer (or a delivery dropped on purpose).
public struct SimDelivery: Sendable, Equatable {
    public let settingID: String
    public let eventType: String
    /// The message the event is about.
    public let messageID: String
    /// The HTTP status, nil when the connection failed or the delivery was dropped.
    public let status: Int?
    /// The setting's ``SimDeliveryMode/never`` dropped it: nothing was sent.
    public let dropped: Bool
}

/// The sender's mistakes (a setting that cannot be made, an unknown room or message).
public struct SimWebhookError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
