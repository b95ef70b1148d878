/// `GET /me`: the account that owns the token.
///
/// Profile fields are optional: an OAuth token with a narrow scope, or an account without an
/// organization, may leave them out.
public struct Me: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var accountID: Int
    public var roomID: Int
    public var name: String
    public var chatworkID: String?
    public var organizationID: Int?
    public var organizationName: String?
    public var department: String?
    public var title: String?
    public var url: String?
    public var introduction: String?
    public var mail: String?
    public var telOrganization: String?
    public var telExtension: String?
    public var telMobile: String?
    public var skype: String?
    public var facebook: String?
    public var twitter: String?
    public var avatarImageURL: String?
    public var loginMail: String?

    public init(
        accountID: Int, roomID: Int, name: String, chatworkID: String? = nil, organizationID: Int? = nil,
        organizationName: String? = nil, department: String? = nil, title: String? = nil, url: String? = nil,
        introduction: String? = nil, mail: String? = nil, telOrganization: String? = nil,
        telExtension: String? = nil, telMobile: String? = nil, skype: String? = nil, facebook: String? = nil,
        twitter: String? = nil, avatarImageURL: String? = nil, loginMail: String? = nil
    ) {
        self.accountID = accountID
        self.roomID = roomID
        self.name = name
        self.chatworkID = chatworkID
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.department = department
        self.title = title
        self.url = url
        self.introduction = introduction
        self.mail = mail
        self.telOrganization = telOrganization
        self.telExtension = telExtension
        self.telMobile = telMobile
        self.skype = skype
        self.facebook = facebook
        self.twitter = twitter
        self.avatarImageURL = avatarImageURL
        self.loginMail = loginMail
    }

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case roomID = "room_id"
        case name
        case chatworkID = "chatwork_id"
        case organizationID = "organization_id"
        case organizationName = "organization_name"
        case department
        case title
        case url
        case introduction
        case mail
        case telOrganization = "tel_organization"
        case telExtension = "tel_extension"
        case telMobile = "tel_mobile"
        case skype
        case facebook
        case twitter
        case avatarImageURL = "avatar_image_url"
        case loginMail = "login_mail"
    }
}

/// `GET /my/status`: unread, mention and task counts of the token's owner.
public struct MyStatus: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var unreadRoomNum: Int
    public var mentionRoomNum: Int
    public var mytaskRoomNum: Int
    public var unreadNum: Int
    public var mentionNum: Int
    public var mytaskNum: Int

    public init(unreadRoomNum: Int, mentionRoomNum: Int, mytaskRoomNum: Int, unreadNum: Int, mentionNum: Int, mytaskNum: Int) {
        self.unreadRoomNum = unreadRoomNum
        self.mentionRoomNum = mentionRoomNum
        self.mytaskRoomNum = mytaskRoomNum
        self.unreadNum = unreadNum
        self.mentionNum = mentionNum
        self.mytaskNum = mytaskNum
    }

    enum CodingKeys: String, CodingKey {
        case unreadRoomNum = "unread_room_num"
        case mentionRoomNum = "mention_room_num"
        case mytaskRoomNum = "mytask_room_num"
        case unreadNum = "unread_num"
        case mentionNum = "mention_num"
        case mytaskNum = "mytask_num"
    }
}
