/// How one run's attempt at a changed room ended: written at the end of every attempt, so that the
/// archive itself says when each part of a room (details, members, tasks, files, invite link) was
/// last fetched, when the room was last archived even if something failed, and since when a room
/// listed by `/rooms` refuses to be read (403). The run planner and `status` read it through the index.
public struct RoomAttempt: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// Every part asked for was archived.
        case complete
        /// Something failed (it is in the run's failures); the room is taken again next run.
        case incomplete
        /// The run's budget (`--max-requests`) ran out inside the room: its messages were taken,
        /// some other part was left for the next run.
        case deferred
        /// The room answered 403: listed by `/rooms` but not readable.
        case noAccess = "no_access"
    }

    /// A part of a room that costs its own request(s), beside the messages.
    public enum Part: String, Codable, Sendable, CaseIterable, Comparable {
        case details, members, tasks, files, link
        private var rank: Int {
            switch self {
            case .details: 0
            case .members: 1
            case .tasks: 2
            case .files: 3
            case .link: 4
            }
        }
        public static func < (a: Part, b: Part) -> Bool { a.rank < b.rank }
    }

    /// The room's `last_update_time` in `/rooms` when it was attempted.
    public var lastUpdateTime: Int
    public var outcome: Outcome
    /// The parts fetched successfully in this attempt (their data, when changed, is in records beside this one).
    public var refreshed: [Part]
    /// The room's counters in `/rooms` at the attempt: the planner's baseline once the room is synced.
    public var messageNum: Int
    public var fileNum: Int
    public var taskNum: Int
    /// For `no_access`: when the room was first refused (Unix seconds), kept across runs until it is readable again.
    public var noAccessSince: Int?

    public init(lastUpdateTime: Int, outcome: Outcome, refreshed: [Part], messageNum: Int, fileNum: Int, taskNum: Int,
                noAccessSince: Int? = nil) {
        self.lastUpdateTime = lastUpdateTime
        self.outcome = outcome
        self.refreshed = refreshed
        self.messageNum = messageNum
        self.fileNum = fileNum
        self.taskNum = taskNum
        self.noAccessSince = noAccessSince
    }

    enum CodingKeys: String, CodingKey {
        case lastUpdateTime = "last_update_time", outcome, refreshed, messageNum = "message_num", fileNum = "file_num"
        case taskNum = "task_num", noAccessSince = "no_access_since"
    }
}
