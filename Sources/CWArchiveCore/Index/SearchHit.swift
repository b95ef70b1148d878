/// One message version found by a search, as the index holds it (``ArchiveIndex/searchHits(_:order:limit:)``).
public struct SearchHit: Sendable, Equatable {
    /// The index row (`messages.id`, ordered by send time).
    public var rowID: Int64
    public var roomID: Int
    /// The room's name, or "" when the room is not in the index.
    public var roomName: String
    public var messageID: String
    /// 1 for the message as first seen, then one more per edit.
    public var version: Int
    public var accountID: Int
    /// The author's name as the message carried it.
    public var accountName: String
    /// The raw Chatwork markup.
    public var body: String
    /// Unix seconds.
    public var sendTime: Int
    /// Unix seconds; 0 when never edited.
    public var updateTime: Int
    public var status: Status
    /// Names of the accounts the body's `[pname:ID]` / `[piconname:ID]` tags refer to, for the snippet.
    public var personNames: [Int: String] = [:]
    /// Where the version came from: `api`, or `import:FORMAT` for one `cwarchive import` added.
    public var source = "api"

    /// Where a version stands.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// The message as it is now.
        case current
        /// An earlier version of a message that was edited since.
        case edited
        /// The message was deleted (this is its last known version).
        case deleted
    }

    public init(rowID: Int64, roomID: Int, roomName: String, messageID: String, version: Int, accountID: Int,
                accountName: String, body: String, sendTime: Int, updateTime: Int, status: Status) {
        self.rowID = rowID; self.roomID = roomID; self.roomName = roomName; self.messageID = messageID
        self.version = version; self.accountID = accountID; self.accountName = accountName; self.body = body
        self.sendTime = sendTime; self.updateTime = updateTime; self.status = status
    }

    /// The message's web link.
    /// Empty for an imported message without a Chatwork id (no link is invented for it).
    public var url: String {
        messageID.hasPrefix(ImportedMessage.derivedIDPrefix) ? "" : "https://www.chatwork.com/#!rid\(roomID)-\(messageID)"
    }
}
