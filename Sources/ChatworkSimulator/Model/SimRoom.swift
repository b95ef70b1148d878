/// Kind of chat, as the API names it.
public enum SimRoomType: String, Codable, Sendable, Hashable {
    case my, direct, group
}

/// A member's role in a room, as the API names it.
public enum SimRole: String, Codable, Sendable, Hashable {
    case admin, member, readonly
}

/// A room member and their role.
public struct SimMember: Codable, Sendable, Hashable {
    public var accountId: Int
    public var role: SimRole

    public init(accountId: Int, role: SimRole) {
        self.accountId = accountId
        self.role = role
    }
}

/// A room's invite link, the shape of `GET /rooms/{id}/link`.
public struct SimLink: Codable, Sendable, Hashable {
    public var `public`: Bool
    public var url: String?
    public var needAcceptance: Bool?
    public var description: String?

    public init(public isPublic: Bool, url: String? = nil, needAcceptance: Bool? = nil, description: String? = nil) {
        self.public = isPublic
        self.url = url
        self.needAcceptance = needAcceptance
        self.description = description
    }
}

/// The free-plan viewing limit: message endpoints then carry `chatwork-message-limitation: true`
/// and `chatwork-message-limitation-summary`, and only messages of the past `days` days are visible.
public struct SimMessageLimitation: Codable, Sendable, Hashable {
    public var days: Int
    public var summary: String

    public init(days: Int = 40, summary: String = "Messages older than 40 days are not visible on the free plan.") {
        self.days = days
        self.summary = summary
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let days = try c.decodeIfPresent(Int.self, forKey: .days) ?? 40
        self.init(
            days: days,
            summary: try c.decodeIfPresent(String.self, forKey: .summary)
                ?? "Messages older than \(days) days are not visible on the free plan.")
    }
}

/// A chat room with its full history. `lastUpdateTime` is kept up to date by the mutators
/// in `SimWorkspace+Mutations.swift`.
public struct SimRoom: Codable, Sendable, Hashable {
    public var roomId: Int
    public var name: String
    public var type: SimRoomType
    public var description: String
    public var iconPath: String
    public var sticky: Bool
    public var unreadNum: Int
    public var mentionNum: Int
    public var lastUpdateTime: Int
    public var members: [SimMember]
    /// The whole history in posting order, deleted messages included (flagged).
    public var messages: [SimMessage]
    public var tasks: [SimTask]
    public var files: [SimFile]
    public var link: SimLink?
    public var messageLimitation: SimMessageLimitation?
    /// Accounts for which the room is listed by `/rooms` but every room endpoint answers 403
    /// (as a room the account left, or one its role or the token's scope does not let it read).
    public var refusedAccounts: Set<Int> = []

    public init(
        roomId: Int, name: String, type: SimRoomType, description: String = "", iconPath: String? = nil,
        sticky: Bool = false, unreadNum: Int = 0, mentionNum: Int = 0, lastUpdateTime: Int = 0,
        members: [SimMember] = [], messages: [SimMessage] = [], tasks: [SimTask] = [], files: [SimFile] = [],
        link: SimLink? = nil, messageLimitation: SimMessageLimitation? = nil
    ) {
        self.roomId = roomId
        self.name = name
        self.type = type
        self.description = description
        self.iconPath = iconPath ?? "https://appdata.chatwork.com/icon/ico_\(type.rawValue).png"
        self.sticky = sticky
        self.unreadNum = unreadNum
        self.mentionNum = mentionNum
        self.lastUpdateTime = lastUpdateTime
        self.members = members
        self.messages = messages
        self.tasks = tasks
        self.files = files
        self.link = link
        self.messageLimitation = messageLimitation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            roomId: try c.decode(Int.self, forKey: .roomId),
            name: try c.decode(String.self, forKey: .name),
            type: try c.decode(SimRoomType.self, forKey: .type),
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            iconPath: try c.decodeIfPresent(String.self, forKey: .iconPath),
            sticky: try c.decodeIfPresent(Bool.self, forKey: .sticky) ?? false,
            unreadNum: try c.decodeIfPresent(Int.self, forKey: .unreadNum) ?? 0,
            mentionNum: try c.decodeIfPresent(Int.self, forKey: .mentionNum) ?? 0,
            lastUpdateTime: try c.decodeIfPresent(Int.self, forKey: .lastUpdateTime) ?? 0,
            members: try c.decodeIfPresent([SimMember].self, forKey: .members) ?? [],
            messages: try c.decodeIfPresent([SimMessage].self, forKey: .messages) ?? [],
            tasks: try c.decodeIfPresent([SimTask].self, forKey: .tasks) ?? [],
            files: try c.decodeIfPresent([SimFile].self, forKey: .files) ?? [],
            link: try c.decodeIfPresent(SimLink.self, forKey: .link),
            messageLimitation: try c.decodeIfPresent(SimMessageLimitation.self, forKey: .messageLimitation))
        refusedAccounts = try c.decodeIfPresent(Set<Int>.self, forKey: .refusedAccounts) ?? []
    }

    /// The role of `accountId` in this room, nil when not a member.
    public func role(of accountId: Int) -> SimRole? {
        members.first { $0.accountId == accountId }?.role
    }
}
