import Foundation

/// Convenience changes for tests. Every change to a room's messages, files, tasks or members bumps
/// its `lastUpdateTime` like the real service; the new value is `max(at, previous + 1)` so that two
/// changes within one second still count as a change. `at` defaults to the system time.
extension SimWorkspace {
    static func systemNow() -> Int { Int(Date().timeIntervalSince1970) }

    /// Marks room `roomId` as changed at `time` (strictly later than before).
    public mutating func touchRoom(_ roomId: Int, at time: Int? = nil) throws(SimulatorError) {
        let i = try index(roomId)
        rooms[i].lastUpdateTime = max(time ?? Self.systemNow(), rooms[i].lastUpdateTime + 1)
    }

    /// Sets a room's `last_update_time` as it is, without the "strictly later" rule.
    /// Lists the room for `accountId` but refuses every read of it (403), or reads it again.
    public mutating func setRefused(roomId: Int, accountId: Int, _ refused: Bool) throws(SimulatorError) {
        let i = try index(roomId)
        if refused { rooms[i].refusedAccounts.insert(accountId) } else { rooms[i].refusedAccounts.remove(accountId) }
    }

    public mutating func setLastUpdateTime(roomId: Int, _ time: Int) throws(SimulatorError) {
        rooms[try index(roomId)].lastUpdateTime = time
    }

    /// A new message id, greater than every id in the workspace (ids grow with time, like the real ones).
    public func nextMessageId() -> String {
        let highest = rooms.lazy.flatMap(\.messages).compactMap { UInt64($0.messageId) }.max() ?? 1_600_000_000_000_000_000
        return String(highest + 1)
    }

    /// Posts a message; returns its id.
    @discardableResult
    public mutating func addMessage(roomId: Int, accountId: Int, body: String, at time: Int? = nil) throws(SimulatorError) -> String {
        let i = try index(roomId)
        let now = time ?? Self.systemNow()
        let id = nextMessageId()
        rooms[i].messages.append(SimMessage(messageId: id, accountId: accountId, body: body, sendTime: now))
        try touchRoom(roomId, at: now)
        return id
    }

    /// Posts `count` messages "\(prefix) 1" ... one second apart, the last at `at`; returns their ids.
    /// Without `at` they end now, or later if the room already has messages after that.
    @discardableResult
    public mutating func addMessages(
        roomId: Int, accountId: Int, count: Int, prefix: String = "Message", at time: Int? = nil
    ) throws(SimulatorError) -> [String] {
        let latest = rooms[try index(roomId)].messages.map(\.sendTime).max() ?? 0
        let start = time.map { $0 - count + 1 } ?? max(Self.systemNow() - count + 1, latest + 1)
        var ids: [String] = []
        for n in 0..<max(0, count) {
            ids.append(try addMessage(roomId: roomId, accountId: accountId, body: "\(prefix) \(n + 1)", at: start + n))
        }
        return ids
    }

    /// Edits a message: new body, `update_time` set.
    public mutating func editMessage(roomId: Int, messageId: String, body: String, at time: Int? = nil) throws(SimulatorError) {
        let (i, m) = try messageIndex(roomId, messageId)
        let now = time ?? Self.systemNow()
        rooms[i].messages[m].body = body
        rooms[i].messages[m].updateTime = max(now, rooms[i].messages[m].sendTime)
        try touchRoom(roomId, at: now)
    }

    /// Deletes a message: it leaves the lists; fetched by id it shows `[deleted]`.
    public mutating func deleteMessage(roomId: Int, messageId: String, at time: Int? = nil) throws(SimulatorError) {
        let (i, m) = try messageIndex(roomId, messageId)
        let now = time ?? Self.systemNow()
        rooms[i].messages[m].deleted = true
        rooms[i].messages[m].updateTime = max(now, rooms[i].messages[m].sendTime)
        try touchRoom(roomId, at: now)
    }

    /// Uploads a file with generated content of `size` bytes, and posts the upload message
    /// (`[info][title][dtext:file_uploaded][/title][download:ID]NAME (SIZE)[/download][/info]`).
    @discardableResult
    public mutating func addFile(
        roomId: Int, accountId: Int, filename: String, size: Int, seed: UInt64? = nil, at time: Int? = nil
    ) throws(SimulatorError) -> (fileId: Int, messageId: String) {
        let i = try index(roomId)
        let now = time ?? Self.systemNow()
        let fileId = (rooms.lazy.flatMap(\.files).map(\.fileId).max() ?? 1000) + 1
        let body = "[info][title][dtext:file_uploaded][/title][download:\(fileId)]\(filename) (\(Self.humanSize(size)))[/download][/info]"
        let messageId = try addMessage(roomId: roomId, accountId: accountId, body: body, at: now)
        rooms[i].files.append(SimFile(
            fileId: fileId, accountId: accountId, messageId: messageId, filename: filename, filesize: size,
            uploadTime: now, content: .generated(seed: seed ?? UInt64(fileId))))
        return (fileId, messageId)
    }

    /// Adds a task and its message; returns the task id.
    @discardableResult
    public mutating func addTask(
        roomId: Int, assignee: Int, assignedBy: Int, body: String, limitTime: Int = 0,
        limitType: SimTaskLimitType = .none, at time: Int? = nil
    ) throws(SimulatorError) -> Int {
        let i = try index(roomId)
        let taskId = (rooms.lazy.flatMap(\.tasks).map(\.taskId).max() ?? 0) + 1
        let lt = limitType == .none ? "" : " lt=\(limitTime) ltype=\(limitType.rawValue)"
        let messageBody = "[info][title][dtext:task_added][/title][task aid=\(assignee) st=open\(lt)]\(body)[/task][/info]"
        let messageId = try addMessage(roomId: roomId, accountId: assignedBy, body: messageBody, at: time)
        rooms[i].tasks.append(SimTask(
            taskId: taskId, accountId: assignee, assignedByAccountId: assignedBy, messageId: messageId, body: body,
            limitTime: limitTime, status: .open, limitType: limitType))
        return taskId
    }

    /// Marks a task open or done.
    public mutating func setTaskStatus(roomId: Int, taskId: Int, _ status: SimTaskStatus, at time: Int? = nil) throws(SimulatorError) {
        let i = try index(roomId)
        guard let t = rooms[i].tasks.firstIndex(where: { $0.taskId == taskId }) else {
            throw .unknownTask(roomId: roomId, taskId: taskId)
        }
        rooms[i].tasks[t].status = status
        try touchRoom(roomId, at: time)
    }

    /// Adds a member (or changes the role of one).
    public mutating func setMember(roomId: Int, accountId: Int, role: SimRole, at time: Int? = nil) throws(SimulatorError) {
        let i = try index(roomId)
        if let m = rooms[i].members.firstIndex(where: { $0.accountId == accountId }) {
            rooms[i].members[m].role = role
        } else {
            rooms[i].members.append(SimMember(accountId: accountId, role: role))
        }
        try touchRoom(roomId, at: time)
    }

    /// Removes a member from a room.
    public mutating func removeMember(roomId: Int, accountId: Int, at time: Int? = nil) throws(SimulatorError) {
        let i = try index(roomId)
        rooms[i].members.removeAll { $0.accountId == accountId }
        try touchRoom(roomId, at: time)
    }

    /// Adds a room.
    public mutating func addRoom(_ room: SimRoom) throws(SimulatorError) {
        guard roomIndex(room.roomId) == nil else { throw .duplicateRoom(room.roomId) }
        rooms.append(room)
    }

    /// Removes a room (as if it was deleted or the account left it).
    public mutating func removeRoom(_ roomId: Int) throws(SimulatorError) {
        rooms.remove(at: try index(roomId))
    }

    /// "12 B", "1.50 KB", "20.00 MB": the size as Chatwork writes it in `[download]` tags.
    public static func humanSize(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(String(format: "%.2f", value)) \(units[unit])"
    }

    private func index(_ roomId: Int) throws(SimulatorError) -> Int {
        guard let i = roomIndex(roomId) else { throw .unknownRoom(roomId) }
        return i
    }

    private func messageIndex(_ roomId: Int, _ messageId: String) throws(SimulatorError) -> (Int, Int) {
        let i = try index(roomId)
        guard let m = rooms[i].messages.firstIndex(where: { $0.messageId == messageId }) else {
            throw .unknownMessage(roomId: roomId, messageId: messageId)
        }
        return (i, m)
    }
}
