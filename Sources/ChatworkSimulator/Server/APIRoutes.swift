import Foundation

/// The endpoints of Chatwork API v2 the simulator serves (every GET, and posting and editing a
/// message: `APIRoutes+Posting.swift`), answered from the workspace.
/// Runs under the state lock: every route sees one consistent workspace.
struct APIRoutes {
    var state: CoreState
    let viewer: Int
    let token: String
    let now: Date
    let configuration: SimulatorConfiguration
    let origin: String

    var workspace: SimWorkspace { state.workspace }

    mutating func answer(_ request: APIRequest) -> SimResponse {
        do {
            return try route(request)
        } catch {
            return error.response
        }
    }

    private mutating func route(_ r: APIRequest) throws(ResponseError) -> SimResponse {
        if r.method != "GET" { return try write(r) }
        let s = r.segments
        switch s.count {
        case 1 where s[0] == "me": return me()
        case 2 where s == ["my", "status"]: return myStatus()
        case 2 where s == ["my", "tasks"]: return try myTasks(r)
        case 1 where s[0] == "contacts": return contacts()
        case 1 where s[0] == "incoming_requests": return incomingRequests()
        case 1 where s[0] == "rooms": return rooms()
        default: break
        }
        guard s.count >= 2, s[0] == "rooms" else { throw notFoundEndpoint }
        guard let roomId = Int(s[1]) else { throw ResponseError(.errors(400, "Invalid value for 'room_id': it must be an integer.")) }
        let room = try memberRoom(roomId)
        switch s.count {
        case 2: return .ok(APIShape.Room(room, viewer: viewer, withDescription: true))
        case 3 where s[2] == "members": return members(room)
        case 3 where s[2] == "messages": return try messages(room, r)
        case 4 where s[2] == "messages": return try message(room, id: s[3])
        case 3 where s[2] == "tasks": return try tasks(room, r)
        case 4 where s[2] == "tasks": return try task(room, id: s[3])
        case 3 where s[2] == "files": return try files(room, r)
        case 4 where s[2] == "files": return try file(room, id: s[3], r)
        case 3 where s[2] == "link": return try link(room)
        default: throw notFoundEndpoint
        }
    }

    private var notFoundEndpoint: ResponseError {
        ResponseError(.errors(404, "Invalid Endpoint or HTTP method"))
    }

    // MARK: Account

    private func me() -> SimResponse {
        let myRoom = workspace.rooms(of: viewer).first { $0.type == .my }?.roomId ?? 0
        return .ok(APIShape.Me(workspace.account(viewer), myRoomId: myRoom))
    }

    private func myStatus() -> SimResponse {
        var status = APIShape.Status()
        for room in workspace.rooms(of: viewer) {
            let mine = room.tasks.count { $0.accountId == viewer && $0.status == .open }
            status.unreadNum += room.unreadNum
            status.mentionNum += room.mentionNum
            status.mytaskNum += mine
            status.unreadRoomNum += room.unreadNum > 0 ? 1 : 0
            status.mentionRoomNum += room.mentionNum > 0 ? 1 : 0
            status.mytaskRoomNum += mine > 0 ? 1 : 0
        }
        return .ok(status)
    }

    private func myTasks(_ r: APIRequest) throws(ResponseError) -> SimResponse {
        let by = try r.intParameter("assigned_by_account_id").get()
        let status = try r.statusParameter().get()
        var list: [APIShape.MyTask] = []
        for room in workspace.rooms(of: viewer) {
            for t in room.tasks where t.accountId == viewer
                && (by == nil || t.assignedByAccountId == by) && (status == nil || t.status == status) {
                list.append(APIShape.MyTask(t, room: room, in: workspace))
            }
        }
        return .ok(Array(list.prefix(100)))
    }

    private func contacts() -> SimResponse {
        .ok(workspace.contacts.filter { $0.ownerAccountId == viewer }.map {
            APIShape.Contact(workspace.account($0.accountId), roomId: $0.roomId)
        })
    }

    private func incomingRequests() -> SimResponse {
        .ok(workspace.incomingRequests.filter { $0.ownerAccountId == viewer }.prefix(100).map {
            APIShape.IncomingRequest($0, workspace.account($0.accountId))
        })
    }

    // MARK: Rooms

    private func rooms() -> SimResponse {
        .ok(workspace.rooms(of: viewer).map { APIShape.Room($0, viewer: viewer, withDescription: false) })
    }

    func memberRoom(_ roomId: Int) throws(ResponseError) -> SimRoom {
        guard let room = workspace.room(roomId) else {
            throw ResponseError(.errors(404, "Room not found"))
        }
        guard room.role(of: viewer) != nil, !room.refusedAccounts.contains(viewer) else {
            throw ResponseError(.errors(403, "You don't have permission to access this room"))
        }
        return room
    }

    private func members(_ room: SimRoom) -> SimResponse {
        .ok(room.members.map { APIShape.Member(workspace.account($0.accountId), role: $0.role) })
    }

    private func link(_ room: SimRoom) throws(ResponseError) -> SimResponse {
        guard room.role(of: viewer) == .admin else {
            throw ResponseError(.errors(403, "You don't have permission to get the invite link of this room"))
        }
        return .ok(room.link ?? SimLink(public: false))
    }

    // MARK: Tasks

    private func tasks(_ room: SimRoom, _ r: APIRequest) throws(ResponseError) -> SimResponse {
        let assignee = try r.intParameter("account_id").get()
        let by = try r.intParameter("assigned_by_account_id").get()
        let status = try r.statusParameter().get()
        let list = room.tasks.filter {
            (assignee == nil || $0.accountId == assignee) && (by == nil || $0.assignedByAccountId == by)
                && (status == nil || $0.status == status)
        }
        return .ok(list.prefix(100).map { APIShape.Task($0, in: workspace) })
    }

    private func task(_ room: SimRoom, id: String) throws(ResponseError) -> SimResponse {
        guard let taskId = Int(id) else { throw ResponseError(.errors(400, "Invalid value for 'task_id': it must be an integer.")) }
        guard let t = room.tasks.first(where: { $0.taskId == taskId }) else {
            throw ResponseError(.errors(404, "Task not found"))
        }
        return .ok(APIShape.Task(t, in: workspace))
    }

    // MARK: Files

    private func files(_ room: SimRoom, _ r: APIRequest) throws(ResponseError) -> SimResponse {
        let uploader = try r.intParameter("account_id").get()
        let list = room.files.filter { uploader == nil || $0.accountId == uploader }
        return .ok(list.suffix(100).map { APIShape.File($0, workspace.account($0.accountId)) })
    }

    private mutating func file(_ room: SimRoom, id: String, _ r: APIRequest) throws(ResponseError) -> SimResponse {
        guard let fileId = Int(id) else { throw ResponseError(.errors(400, "Invalid value for 'file_id': it must be an integer.")) }
        let wantsURL = try r.flagParameter("create_download_url").get()
        guard let f = room.files.first(where: { $0.fileId == fileId }) else {
            throw ResponseError(.errors(404, "File not found"))
        }
        var url: String?
        if wantsURL {
            let ticket = Self.randomTicketId()
            state.downloads[ticket] = DownloadTicket(
                roomId: room.roomId, fileId: fileId, expires: now.addingTimeInterval(configuration.downloadURLLifetime))
            url = "\(origin)/download/\(ticket)"
        }
        return .ok(APIShape.File(f, workspace.account(f.accountId), downloadURL: url))
    }

    static func randomTicketId() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
