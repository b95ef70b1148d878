/// Changes made in Chatwork's web client, each with the system message the client posts for it
/// (the forms of the sample workspace: `[dtext:chatroom_member_is]…[dtext:chatroom_added]`,
/// `[dtext:chatroom_description_is]`, `[dtext:chatroom_chatname_is]…[dtext:chatroom_set]`,
/// `[dtext:chatroom_leaved]`, `[dtext:task_done]`). Posting that message is what moves the room's
/// `last_update_time`, as every message does; an archiver can tell from it what changed.
/// (``setMember(roomId:accountId:role:at:)`` and the like change the data alone.)
extension SimWorkspace {
    /// `by` adds `accountId` to the room with `role`; posts `[dtext:chatroom_member_is][piconname:ID][dtext:chatroom_added]`.
    @discardableResult
    public mutating func addMemberAnnounced(roomId: Int, accountId: Int, role: SimRole = .member, by actor: Int,
                                            at time: Int? = nil) throws(SimulatorError) -> String {
        try setMember(roomId: roomId, accountId: accountId, role: role, at: time)
        return try addMessage(roomId: roomId, accountId: actor,
                              body: "[info][dtext:chatroom_member_is][piconname:\(accountId)][dtext:chatroom_added][/info]", at: time)
    }

    /// `accountId` leaves the room; posts `[dtext:chatroom_leaved]`.
    @discardableResult
    public mutating func leaveRoomAnnounced(roomId: Int, accountId: Int, at time: Int? = nil) throws(SimulatorError) -> String {
        try removeMember(roomId: roomId, accountId: accountId, at: time)
        return try addMessage(roomId: roomId, accountId: accountId,
                              body: "[info][title][dtext:chatroom_leaved][/title][piconname:\(accountId)][/info]", at: time)
    }

    /// `by` changes the room's description (shown only by `GET /rooms/{id}`); posts `[dtext:chatroom_description_is]`.
    @discardableResult
    public mutating func setDescriptionAnnounced(roomId: Int, _ description: String, by actor: Int,
                                                 at time: Int? = nil) throws(SimulatorError) -> String {
        guard let i = roomIndex(roomId) else { throw .unknownRoom(roomId) }
        rooms[i].description = description
        return try addMessage(roomId: roomId, accountId: actor,
                              body: "[info][title][dtext:chatroom_description_is][/title]\(description)[/info]", at: time)
    }

    /// `by` renames the room; posts `[dtext:chatroom_chatname_is]NAME[dtext:chatroom_set]`.
    @discardableResult
    public mutating func renameRoomAnnounced(roomId: Int, _ name: String, by actor: Int, at time: Int? = nil) throws(SimulatorError) -> String {
        guard let i = roomIndex(roomId) else { throw .unknownRoom(roomId) }
        rooms[i].name = name
        return try addMessage(roomId: roomId, accountId: actor,
                              body: "[info][dtext:chatroom_chatname_is]\(name)[dtext:chatroom_set][/info]", at: time)
    }

    /// `by` marks a task done; posts `[dtext:task_done]` with the task.
    @discardableResult
    public mutating func completeTaskAnnounced(roomId: Int, taskId: Int, by actor: Int, at time: Int? = nil) throws(SimulatorError) -> String {
        try setTaskStatus(roomId: roomId, taskId: taskId, .done, at: time)
        guard let task = room(roomId)?.tasks.first(where: { $0.taskId == taskId }) else { throw .unknownTask(roomId: roomId, taskId: taskId) }
        return try addMessage(roomId: roomId, accountId: actor,
                              body: "[info][title][dtext:task_done][/title][task aid=\(task.accountId) st=done]\(task.body)[/task][/info]", at: time)
    }
}
