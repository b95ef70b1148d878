/// One message of a room's history.
public struct SimMessage: Codable, Sendable, Hashable {
    /// A 64-bit number written as a string, as the API sends it.
    public var messageId: String
    public var accountId: Int
    public var body: String
    public var sendTime: Int
    /// 0 when never edited.
    public var updateTime: Int
    /// Deleted messages vanish from lists; fetched by id they show the body `[deleted]`.
    public var deleted: Bool

    public init(messageId: String, accountId: Int, body: String, sendTime: Int, updateTime: Int = 0, deleted: Bool = false) {
        self.messageId = messageId
        self.accountId = accountId
        self.body = body
        self.sendTime = sendTime
        self.updateTime = updateTime
        self.deleted = deleted
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id: String
        if let text = try? c.decode(String.self, forKey: .messageId) {
            id = text
        } else {
            id = String(try c.decode(Int64.self, forKey: .messageId))
        }
        self.init(
            messageId: id,
            accountId: try c.decode(Int.self, forKey: .accountId),
            body: try c.decode(String.self, forKey: .body),
            sendTime: try c.decode(Int.self, forKey: .sendTime),
            updateTime: try c.decodeIfPresent(Int.self, forKey: .updateTime) ?? 0,
            deleted: try c.decodeIfPresent(Bool.self, forKey: .deleted) ?? false)
    }
}

/// Task completion state.
public enum SimTaskStatus: String, Codable, Sendable, Hashable {
    case open, done
}

/// Kind of deadline of a task.
public enum SimTaskLimitType: String, Codable, Sendable, Hashable {
    case none, date, time
}

/// A task of a room.
public struct SimTask: Codable, Sendable, Hashable {
    public var taskId: Int
    /// The assignee.
    public var accountId: Int
    public var assignedByAccountId: Int
    public var messageId: String
    public var body: String
    public var limitTime: Int
    public var status: SimTaskStatus
    public var limitType: SimTaskLimitType

    public init(
        taskId: Int, accountId: Int, assignedByAccountId: Int, messageId: String, body: String,
        limitTime: Int = 0, status: SimTaskStatus = .open, limitType: SimTaskLimitType = .none
    ) {
        self.taskId = taskId
        self.accountId = accountId
        self.assignedByAccountId = assignedByAccountId
        self.messageId = messageId
        self.body = body
        self.limitTime = limitTime
        self.status = status
        self.limitType = limitType
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            taskId: try c.decode(Int.self, forKey: .taskId),
            accountId: try c.decode(Int.self, forKey: .accountId),
            assignedByAccountId: try c.decode(Int.self, forKey: .assignedByAccountId),
            messageId: try c.decode(String.self, forKey: .messageId),
            body: try c.decode(String.self, forKey: .body),
            limitTime: try c.decodeIfPresent(Int.self, forKey: .limitTime) ?? 0,
            status: try c.decodeIfPresent(SimTaskStatus.self, forKey: .status) ?? .open,
            limitType: try c.decodeIfPresent(SimTaskLimitType.self, forKey: .limitType) ?? .none)
    }
}
