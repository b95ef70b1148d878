import ChatworkAPI
import ChatworkMarkup

/// Decides which parts of a changed room a run fetches beside its messages, and why: the
/// requests the changes need and no more (issue 14).
///
/// - details: first sight, a name/description/icon system text among the new messages, or a
///   descriptive field of `/rooms` (name, type, role, icon) the archive's copy disagrees with;
/// - members: first sight, a membership system text, or a role change in `/rooms`;
/// - tasks: first sight, `task_num` moved since the last complete sync, or a task tag / task
///   system text in the new messages;
/// - the file list: first sight, `file_num` moved, a `[download:]` tag the archive lacks, or a
///   download that failed before;
/// - the invite link (group chats the account administers): first sight (or on becoming
///   administrator), then only at the refresh;
/// - every part again when its last fetch is `refreshDays` old (0: every run), or after a gap
///   (the window no longer shows everything that happened).
///
/// The counters of `/rooms` (`unread_num`, `message_num`, …) are never a reason to ask again for
/// the details: the archiver records them from `/rooms` itself.
struct RoomPlanner: Sendable {
    typealias Part = RoomAttempt.Part
    /// Why each part is fetched (`first_sight`, `refresh`, `room_list`, `role_change`, `system_text`,
    /// `task_num`, `file_num`, `download_tag`, `failed_files`, `gap`).
    typealias Plan = [Part: String]

    /// Seconds after which a part is fetched again anyway; 0: every run.
    let refreshSeconds: Int
    let now: Int

    init(refreshDays: Int, now: Int) {
        self.refreshSeconds = max(0, refreshDays) * 86_400
        self.now = now
    }

    /// Requests a part costs (tasks: the open and the done list).
    static func cost(_ part: Part) -> Int { part == .tasks ? 2 : 1 }

    /// The requests a plan costs, with the messages.
    static func estimate(_ plan: Plan) -> Int { 1 + plan.keys.reduce(0) { $0 + cost($1) } }

    /// Whether a part has anything to fetch at all when no specific change points at it (today's
    /// conditions: tasks when the room counts or the archive holds open ones, files when the room
    /// counts any, the link only in group chats the account administers).
    static func worthFetching(_ part: Part, listed: Room, row: RoomPlanRow?) -> Bool {
        switch part {
        case .details, .members: true
        case .tasks: listed.taskNum > 0 || (row?.openTasks ?? 0) > 0
        case .files: listed.fileNum > 0 || (row?.failedFiles ?? 0) > 0
        case .link: listed.type == .group && listed.role == .admin
        }
    }

    /// What `/rooms` and the archive say, before the messages are read.
    func initialPlan(listed: Room, row: RoomPlanRow?) -> Plan {
        var plan: Plan = [:]
        guard let row else {
            for part in Part.allCases where Self.worthFetching(part, listed: listed, row: nil) { plan[part] = "first_sight" }
            return plan
        }
        for part in Part.allCases where Self.worthFetching(part, listed: listed, row: row) && refreshDue(row.fetchedAt[part]) {
            plan[part] = "refresh"
        }
        if listed.role.rawValue != row.role {
            plan[.details] = plan[.details] ?? "role_change"
            plan[.members] = plan[.members] ?? "role_change"
            // Becoming an administrator makes the invite link readable.
            if Self.worthFetching(.link, listed: listed, row: row) { plan[.link] = plan[.link] ?? "role_change" }
        }
        if listed.name != row.name || listed.type.rawValue != row.type || listed.iconPath != (row.iconPath ?? "") {
            plan[.details] = plan[.details] ?? "room_list"
        }
        if let synced = row.syncedTaskNum, synced != listed.taskNum { plan[.tasks] = plan[.tasks] ?? "task_num" }
        if let synced = row.syncedFileNum, synced != listed.fileNum { plan[.files] = plan[.files] ?? "file_num" }
        if row.failedFiles > 0 { plan[.files] = plan[.files] ?? "failed_files" }
        return plan
    }

    /// What the new messages add to the plan: system texts, task tags, files the archive lacks.
    func messagePlan(_ plan: Plan, signals: MessageSignals, listed: Room, row: RoomPlanRow?, fileStatuses: [Int: String], gap: Bool) -> Plan {
        var plan = plan
        if gap {
            for part in Part.allCases where Self.worthFetching(part, listed: listed, row: row) { plan[part] = plan[part] ?? "gap" }
        }
        if signals.details { plan[.details] = plan[.details] ?? "system_text" }
        if signals.members { plan[.members] = plan[.members] ?? "system_text" }
        if signals.tasks { plan[.tasks] = plan[.tasks] ?? "system_text" }
        let lacking = signals.fileIDs.contains { id in
            let status = fileStatuses[id]
            return status == nil || status == FileRecord.Status.failed.rawValue
        }
        if lacking { plan[.files] = plan[.files] ?? "download_tag" }
        return plan
    }

    private func refreshDue(_ fetchedAt: Int?) -> Bool {
        guard let fetchedAt else { return true }
        return refreshSeconds == 0 || now - fetchedAt >= refreshSeconds
    }
}

/// What a room's new messages say changed beside themselves.
struct MessageSignals: Sendable, Equatable {
    /// A name, description or icon system text.
    var details = false
    /// A membership system text (joined, left, added, removed, the member list, permissions).
    var members = false
    /// A `[task]` tag or a task system text.
    var tasks = false
    /// Files named by `[download:ID]` / `[preview id=ID]`.
    var fileIDs: [Int] = []

    static let detailsTexts: Set<String> = [
        "chatroom_chatname_is", "chatroom_set", "chatroom_description_is", "chatroom_set_description",
        "chatroom_icon_updated", "chatroom_chat_edited", "chatroom_changed", "chatroom_groupchat_created",
    ]
    static let memberTexts: Set<String> = [
        "chatroom_member_is", "chatroom_chat_joined", "chatroom_leaved", "chatroom_added", "chatroom_deleted",
        "chatroom_priv_changed", "chatroom_groupchat_created",
    ]
    static let taskTexts: Set<String> = ["task_added", "task_done", "task_edited"]

    /// Scans message bodies (parsed with the one markup parser).
    static func scan(_ messages: [Message]) -> MessageSignals {
        var s = MessageSignals()
        var files = Set<Int>()
        for m in messages {
            let nodes = MarkupParser.parse(m.body)
            MarkupParser.walk(nodes) { node in
                switch node {
                case .systemText(let key, _):
                    if detailsTexts.contains(key) { s.details = true }
                    if memberTexts.contains(key) { s.members = true }
                    if taskTexts.contains(key) { s.tasks = true }
                case .task: s.tasks = true
                default: break
                }
            }
            for id in MarkupParser.referencedFileIDs(in: nodes) where files.insert(id).inserted { s.fileIDs.append(id) }
        }
        return s
    }
}
