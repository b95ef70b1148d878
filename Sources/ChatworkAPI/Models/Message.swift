/// `GET /rooms/{room_id}/messages[/{message_id}]`: one chat message.
///
/// `message_id` is a string (a 64-bit number written as text); times are Unix seconds and
/// `update_time` is 0 for a message never edited.
public struct Message: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var messageID: String
    public var account: Account
    public var body: String
    public var sendTime: Int
    public var updateTime: Int

    public init(messageID: String, account: Account, body: String, sendTime: Int, updateTime: Int = 0) {
        self.messageID = messageID
        self.account = account
        self.body = body
        self.sendTime = sendTime
        self.updateTime = updateTime
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case account
        case body
        case sendTime = "send_time"
        case updateTime = "update_time"
    }
}

/// The free-plan viewing limit reported by the `chatwork-message-limitation` and
/// `chatwork-message-limitation-summary` headers. When `limited` is true the server hides older
/// messages, so an empty list does not mean the room has none.
public struct MessageLimitation: Codable, Sendable, Equatable {
    public var limited: Bool
    public var summary: String?

    public init(limited: Bool, summary: String? = nil) {
        self.limited = limited
        self.summary = summary
    }
}

/// The answer of `GET /rooms/{room_id}/messages`: at most the newest 100 messages, oldest first as
/// the server sends them, and the viewing limit if the server reported one.
public struct MessagesPage: Sendable, Equatable {
    public var messages: [Message]
    /// nil when the server sent no limitation header.
    public var limitation: MessageLimitation?

    public init(messages: [Message], limitation: MessageLimitation? = nil) {
        self.messages = messages
        self.limitation = limitation
    }
}
