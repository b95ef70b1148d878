/// `GET /rooms/{room_id}/tasks` and `GET /rooms/{room_id}/tasks/{task_id}`: a task in a chat.
public struct RoomTask: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    public var taskID: Int
    /// The person the task is assigned to.
    public var account: Account
    /// The person who assigned it.
    public var assignedByAccount: Account
    public var messageID: String
    public var body: String
    /// Unix seconds; 0 when there is no deadline.
    public var limitTime: Int
    public var status: TaskStatus
    public var limitType: TaskLimitType

    public init(
        taskID: Int, account: Account, assignedByAccount: Account, messageID: String, body: String,
        limitTime: Int = 0, status: TaskStatus, limitType: TaskLimitType = .none
    ) {
        self.taskID = taskID
        self.account = account
        self.assignedByAccount = assignedByAccount
        self.messageID = messageID
        self.body = body
        self.limitTime = limitTime
        self.status = status
        self.limitType = limitType
    }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case account
        case assignedByAccount = "assigned_by_account"
        case messageID = "message_id"
        case body
        case limitTime = "limit_time"
        case status
        case limitType = "limit_type"
    }
}

/// `GET /my/tasks`: a task assigned to the token owner, with a summary of the chat it lives in.
public struct MyTask: Codable, Sendable, Equatable, KeepsUnknownFields {
    /// What the response said beyond these fields (``UnknownFields``); not part of the encoding.
    public var unknownFields: JSONValue?
    /// The chat a task belongs to, as `GET /my/tasks` summarizes it.
    public struct RoomSummary: Codable, Sendable, Equatable {
        public var roomID: Int
        public var name: String
        public var iconPath: String?

        public init(roomID: Int, name: String, iconPath: String? = nil) {
            self.roomID = roomID
            self.name = name
            self.iconPath = iconPath
        }

        enum CodingKeys: String, CodingKey {
            case roomID = "room_id"
            case name
            case iconPath = "icon_path"
        }
    }

    public var taskID: Int
    public var room: RoomSummary
    public var assignedByAccount: Account
    public var messageID: String
    public var body: String
    /// Unix seconds; 0 when there is no deadline.
    public var limitTime: Int
    public var status: TaskStatus
    public var limitType: TaskLimitType

    public init(
        taskID: Int, room: RoomSummary, assignedByAccount: Account, messageID: String, body: String,
        limitTime: Int = 0, status: TaskStatus, limitType: TaskLimitType = .none
    ) {
        self.taskID = taskID
        self.room = room
        self.assignedByAccount = assignedByAccount
        self.messageID = messageID
        self.body = body
        self.limitTime = limitTime
        self.status = status
        self.limitType = limitType
    }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case room
        case assignedByAccount = "assigned_by_account"
        case messageID = "message_id"
        case body
        case limitTime = "limit_time"
        case status
        case limitType = "limit_type"
    }
}
