/// A person known to the workspace, with every profile field `/me` can show.
/// Fields other than `accountId` and `name` may be left out of workspace files (they default to "" or 0).
public struct SimAccount: Codable, Sendable, Hashable {
    public var accountId: Int
    public var name: String
    public var chatworkId: String
    public var organizationId: Int
    public var organizationName: String
    public var department: String
    public var title: String
    public var url: String
    public var introduction: String
    public var mail: String
    public var telOrganization: String
    public var telExtension: String
    public var telMobile: String
    public var skype: String
    public var facebook: String
    public var twitter: String
    public var avatarImageUrl: String
    public var loginMail: String

    public init(
        accountId: Int, name: String, chatworkId: String = "", organizationId: Int = 0,
        organizationName: String = "", department: String = "", title: String = "", url: String = "",
        introduction: String = "", mail: String = "", telOrganization: String = "", telExtension: String = "",
        telMobile: String = "", skype: String = "", facebook: String = "", twitter: String = "",
        avatarImageUrl: String? = nil, loginMail: String = ""
    ) {
        self.accountId = accountId
        self.name = name
        self.chatworkId = chatworkId
        self.organizationId = organizationId
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
        self.avatarImageUrl = avatarImageUrl ?? "https://appdata.chatwork.com/avatar/ico_default_\(accountId % 10).png"
        self.loginMail = loginMail
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try c.decodeIfPresent(String.self, forKey: key) ?? "" }
        self.init(
            accountId: try c.decode(Int.self, forKey: .accountId),
            name: try c.decode(String.self, forKey: .name),
            chatworkId: try text(.chatworkId),
            organizationId: try c.decodeIfPresent(Int.self, forKey: .organizationId) ?? 0,
            organizationName: try text(.organizationName), department: try text(.department),
            title: try text(.title), url: try text(.url), introduction: try text(.introduction),
            mail: try text(.mail), telOrganization: try text(.telOrganization),
            telExtension: try text(.telExtension), telMobile: try text(.telMobile), skype: try text(.skype),
            facebook: try text(.facebook), twitter: try text(.twitter),
            avatarImageUrl: try c.decodeIfPresent(String.self, forKey: .avatarImageUrl),
            loginMail: try text(.loginMail))
    }
}

/// One entry of an account's contact list: the contact and the direct chat shared with them.
public struct SimContact: Codable, Sendable, Hashable {
    /// The account whose contact list this entry belongs to.
    public var ownerAccountId: Int
    public var accountId: Int
    /// The direct chat between the owner and this contact.
    public var roomId: Int

    public init(ownerAccountId: Int, accountId: Int, roomId: Int) {
        self.ownerAccountId = ownerAccountId
        self.accountId = accountId
        self.roomId = roomId
    }
}

/// A pending contact request addressed to `ownerAccountId`.
public struct SimIncomingRequest: Codable, Sendable, Hashable {
    public var ownerAccountId: Int
    public var requestId: Int
    /// The account asking to become a contact.
    public var accountId: Int
    public var message: String

    public init(ownerAccountId: Int, requestId: Int, accountId: Int, message: String) {
        self.ownerAccountId = ownerAccountId
        self.requestId = requestId
        self.accountId = accountId
        self.message = message
    }
}
