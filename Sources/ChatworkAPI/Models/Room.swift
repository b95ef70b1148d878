/// `GET /rooms` and `GET /rooms/{room_id}`: a chat as the token owner sees it.
///
/// `message_num`, `file_num`, `task_num` and `last_update_time` are the server's own counts, useful
/// to measure completeness and to skip unchanged rooms. `description` comes only from the single
/// room endpoint.
public struct Room: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var roomID: Int
    public var name: String
    public var type: RoomType
    public var role: RoomRole
    public var sticky: Bool
    public var unreadNum: Int
    public var mentionNum: Int
    public var mytaskNum: Int
    public var messageNum: Int
    public var fileNum: Int
    public var taskNum: Int
    public var iconPath: String
    /// Unix seconds.
    public var lastUpdateTime: Int
    public var description: String?

    public init(
        roomID: Int, name: String, type: RoomType, role: RoomRole, sticky: Bool = false, unreadNum: Int = 0,
        mentionNum: Int = 0, mytaskNum: Int = 0, messageNum: Int = 0, fileNum: Int = 0, taskNum: Int = 0,
        iconPath: String = "", lastUpdateTime: Int = 0, description: String? = nil
    ) {
        self.roomID = roomID
        self.name = name
        self.type = type
        self.role = role
        self.sticky = sticky
        self.unreadNum = unreadNum
        self.mentionNum = mentionNum
        self.mytaskNum = mytaskNum
        self.messageNum = messageNum
        self.fileNum = fileNum
        self.taskNum = taskNum
        self.iconPath = iconPath
        self.lastUpdateTime = lastUpdateTime
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case name
        case type
        case role
        case sticky
        case unreadNum = "unread_num"
        case mentionNum = "mention_num"
        case mytaskNum = "mytask_num"
        case messageNum = "message_num"
        case fileNum = "file_num"
        case taskNum = "task_num"
        case iconPath = "icon_path"
        case lastUpdateTime = "last_update_time"
        case description
    }
}

/// `GET /rooms/{room_id}/link`: a chat's invitation link. `url` and `description` are absent when
/// the link is not public.
public struct RoomLink: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var isPublic: Bool
    public var url: String?
    public var needAcceptance: Bool?
    public var description: String?

    public init(isPublic: Bool, url: String? = nil, needAcceptance: Bool? = nil, description: String? = nil) {
        self.isPublic = isPublic
        self.url = url
        self.needAcceptance = needAcceptance
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case isPublic = "public"
        case url
        case needAcceptance = "need_acceptance"
        case description
    }
}
