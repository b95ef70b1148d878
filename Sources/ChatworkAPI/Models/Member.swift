/// `GET /rooms/{room_id}/members`: a member of a chat and their permission there.
public struct Member: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var accountID: Int
    public var role: RoomRole
    public var name: String
    public var chatworkID: String?
    public var organizationID: Int?
    public var organizationName: String?
    public var department: String?
    public var avatarImageURL: String?

    public init(
        accountID: Int, role: RoomRole, name: String, chatworkID: String? = nil, organizationID: Int? = nil,
        organizationName: String? = nil, department: String? = nil, avatarImageURL: String? = nil
    ) {
        self.accountID = accountID
        self.role = role
        self.name = name
        self.chatworkID = chatworkID
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.department = department
        self.avatarImageURL = avatarImageURL
    }

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case role
        case name
        case chatworkID = "chatwork_id"
        case organizationID = "organization_id"
        case organizationName = "organization_name"
        case department
        case avatarImageURL = "avatar_image_url"
    }
}
