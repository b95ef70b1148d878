/// A string-valued field with a few known values that must still decode when the service adds new ones.
///
/// Chatwork documents closed sets for fields like a room's `type` or a task's `status`, but a backup
/// must not fail the day the service adds a value. Types conforming to this protocol keep whatever
/// string the API sent and expose the documented values as static constants.
public protocol OpenStringValue: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String
{
    init(rawValue: String)
    /// The values the reference documents. A value outside this list is kept, not rejected.
    static var knownValues: [Self] { get }
}

extension OpenStringValue {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(rawValue: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    public var description: String { rawValue }

    /// Whether the value is one the reference documents.
    public var isKnown: Bool { Self.knownValues.contains(self) }
}

/// The kind of a chat: `my` (my chat), `direct` (one-to-one) or `group`.
public struct RoomType: OpenStringValue {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let my = RoomType(rawValue: "my")
    public static let direct = RoomType(rawValue: "direct")
    public static let group = RoomType(rawValue: "group")
    public static var knownValues: [RoomType] { [.my, .direct, .group] }
}

/// A member's permission in a chat: `admin`, `member` or `readonly`.
public struct RoomRole: OpenStringValue {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let admin = RoomRole(rawValue: "admin")
    public static let member = RoomRole(rawValue: "member")
    public static let readonly = RoomRole(rawValue: "readonly")
    public static var knownValues: [RoomRole] { [.admin, .member, .readonly] }
}

/// Whether a task is finished: `open` or `done`.
public struct TaskStatus: OpenStringValue {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let open = TaskStatus(rawValue: "open")
    public static let done = TaskStatus(rawValue: "done")
    public static var knownValues: [TaskStatus] { [.open, .done] }
}

/// What a task's `limit_time` means: `none` (no deadline), `date` (a day) or `time` (a moment).
public struct TaskLimitType: OpenStringValue {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let none = TaskLimitType(rawValue: "none")
    public static let date = TaskLimitType(rawValue: "date")
    public static let time = TaskLimitType(rawValue: "time")
    public static var knownValues: [TaskLimitType] { [.none, .date, .time] }
}
