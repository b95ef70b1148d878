/// `GET /contacts`: one of the token owner's contacts.
///
/// `room_id` is the direct chat with that contact. The profile fields are optional because
/// accounts outside an organization may leave them out.
public struct Contact: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var accountID: Int
    public var roomID: Int
    public var name: String
    public var chatworkID: String?
    public var organizationID: Int?
    public var organizationName: String?
    public var department: String?
    public var avatarImageURL: String?

    public init(
        accountID: Int, roomID: Int, name: String, chatworkID: String? = nil, organizationID: Int? = nil,
        organizationName: String? = nil, department: String? = nil, avatarImageURL: String? = nil
    ) {
        self.accountID = accountID
        self.roomID = roomID
        self.name = name
        self.chatworkID = chatworkID
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.department = department
        self.avatarImageURL = avatarImageURL
    }

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case roomID = "room_id"
        case name
        case chatworkID = "chatwork_id"
        case organizationID = "organization_id"
        case organizationName = "organization_name"
        case department
        case avatarImageURL = "avatar_image_url"
    }
}

/// `GET /incoming_requests`: a contact request waiting for the token owner's answer.
public struct IncomingRequest: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var requestID: Int
    public var accountID: Int
    public var message: String?
    public var name: String
    public var chatworkID: String?
    public var organizationID: Int?
    public var organizationName: String?
    public var department: String?
    public var avatarImageURL: String?

    public init(
        requestID: Int, accountID: Int, message: String? = nil, name: String, chatworkID: String? = nil,
        organizationID: Int? = nil, organizationName: String? = nil, department: String? = nil,
        avatarImageURL: String? = nil
    ) {
        self.requestID = requestID
        self.accountID = accountID
        self.message = message
        self.name = name
        self.chatworkID = chatworkID
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.department = department
        self.avatarImageURL = avatarImageURL
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case accountID = "account_id"
        case message
        case name
        case chatworkID = "chatwork_id"
        case organizationID = "organization_id"
        case organizationName = "organization_name"
        case department
        case avatarImageURL = "avatar_image_url"
    }
}
