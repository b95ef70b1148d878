import ChatworkAPI
@testable import CWArchiveCore
import Foundation

/// An in-process Chatwork API for the archiver's decision tests: rooms and their messages held
/// in memory, times from a ``ManualClock``, every request logged, chosen requests failing.
final class FakeChatworkAPI: ChatworkReading, @unchecked Sendable {
    // @unchecked: every stored var is read and changed only under `lock`.
    private let lock = NSLock()
    let clock: ManualClock
    private var roomList: [Room] = []
    private var messagesByRoom: [Int: [Message]] = [:]
    private var limitations: [Int: MessageLimitation] = [:]
    private var failing: Set<String> = []
    private var forbidden: Set<Int> = []
    private var requests: [String] = []
    private var nextID = 1_000_000
    private var membersByRoom: [Int: [Member]] = [:]
    private var tasksByRoom: [Int: [RoomTask]] = [:]
    private var filesByRoom: [Int: [ChatworkFile]] = [:]
    private var descriptions: [Int: String] = [:]
    /// Seconds the clock moves on each request (to test `--max-duration`).
    var secondsPerRequest: Double = 0

    init(clock: ManualClock) { self.clock = clock }

    private var now: Int { Int(clock.now().timeIntervalSince1970) }

    // MARK: Setting up

    /// Adds a group room where the token's owner is a member (or `role`).
    func addRoom(_ roomID: Int, name: String = "Room", role: RoomRole = .member) {
        lock.withLock {
            roomList.append(Room(roomID: roomID, name: name, type: .group, role: role, lastUpdateTime: now))
            membersByRoom[roomID] = [Member(accountID: 1, role: role, name: "Alice")]
        }
    }

    /// Adds a member, with the system message Chatwork posts.
    func addMember(_ roomID: Int, accountID: Int, name: String) {
        lock.withLock { membersByRoom[roomID, default: []].append(Member(accountID: accountID, role: .member, name: name)) }
        post(roomID, "[info][dtext:chatroom_chat_joined][piconname:\(accountID)][/info]")
    }

    /// Changes the description, with the system message.
    func setDescription(_ roomID: Int, _ text: String) {
        lock.withLock { descriptions[roomID] = text }
        post(roomID, "[info][title][dtext:chatroom_description_is][/title]\(text)[/info]")
    }

    /// Adds an open task (task_num moves), with the system message.
    @discardableResult
    func addTask(_ roomID: Int, body: String) -> Int {
        let id = lock.withLock { () -> Int in
            nextID += 1
            tasksByRoom[roomID, default: []].append(RoomTask(taskID: nextID, account: Account(accountID: 1, name: "Alice", avatarImageURL: ""),
                                                             assignedByAccount: Account(accountID: 2, name: "Bob", avatarImageURL: ""),
                                                             messageID: "", body: body, limitTime: 0, status: .open, limitType: .none))
            return nextID
        }
        post(roomID, "[info][title][dtext:task_added][/title][task aid=1 st=open]\(body)[/task][/info]")
        return id
    }

    /// Marks a task done, with the system message (task_num moves too).
    func completeTask(_ roomID: Int, _ taskID: Int) {
        let body = lock.withLock { () -> String in
            guard let i = tasksByRoom[roomID]?.firstIndex(where: { $0.taskID == taskID }) else { return "" }
            tasksByRoom[roomID]![i].status = .done
            return tasksByRoom[roomID]![i].body
        }
        post(roomID, "[info][title][dtext:task_done][/title][task aid=1 st=done]\(body)[/task][/info]")
    }

    /// Uploads a file (file_num moves), with the system message.
    @discardableResult
    func upload(_ roomID: Int, name: String) -> Int {
        let id = lock.withLock { () -> Int in
            nextID += 1
            filesByRoom[roomID, default: []].append(ChatworkFile(fileID: nextID, account: Account(accountID: 2, name: "Bob", avatarImageURL: ""),
                                                                 messageID: "", filename: name, filesize: 10, uploadTime: now))
            return nextID
        }
        post(roomID, "[info][title][dtext:file_uploaded][/title][download:\(id)]\(name) (10 B)[/download][/info]")
        return id
    }

    /// Changes the token owner's role in a room, as /rooms shows it (no message, like Chatwork's own permission change seen by others).
    func setRole(_ roomID: Int, _ role: RoomRole) {
        lock.withLock {
            guard let i = roomList.firstIndex(where: { $0.roomID == roomID }) else { return }
            roomList[i].role = role
            if let j = membersByRoom[roomID]?.firstIndex(where: { $0.accountID == 1 }) { membersByRoom[roomID]![j].role = role }
            touch(roomID)
        }
    }

    /// Makes a room answer 403 to everything (listed by /rooms but unreadable), or readable again.
    func setForbidden(_ roomID: Int, _ on: Bool = true) {
        lock.withLock { if on { forbidden.insert(roomID) } else { forbidden.remove(roomID) } }
    }

    /// Moves the room's last_update_time (something happened that the token cannot see).
    func touchRoom(_ roomID: Int) { lock.withLock { touch(roomID) } }

    /// Posts a message now; returns its id.
    @discardableResult
    func post(_ roomID: Int, _ body: String = "hello") -> String {
        lock.withLock {
            nextID += 1
            let id = String(nextID)
            messagesByRoom[roomID, default: []].append(
                Message(messageID: id, account: Account(accountID: 2, name: "Bob", avatarImageURL: ""), body: body, sendTime: now))
            touch(roomID)
            return id
        }
    }

    func edit(_ roomID: Int, _ messageID: String, body: String) {
        lock.withLock {
            guard let i = messagesByRoom[roomID]?.firstIndex(where: { $0.messageID == messageID }) else { return }
            messagesByRoom[roomID]![i].body = body
            messagesByRoom[roomID]![i].updateTime = now
            touch(roomID)
        }
    }

    func delete(_ roomID: Int, _ messageID: String) {
        lock.withLock {
            messagesByRoom[roomID]?.removeAll { $0.messageID == messageID }
            touch(roomID)
        }
    }

    func setLimitation(_ roomID: Int, _ limitation: MessageLimitation?) {
        lock.withLock { limitations[roomID] = limitation; touch(roomID) }
    }

    /// Makes requests whose log line starts with `prefix` (e.g. "members 12") fail with a 500, or succeed again.
    func setFailing(_ prefix: String, _ on: Bool = true) {
        lock.withLock { if on { failing.insert(prefix) } else { failing.remove(prefix) } }
    }

    /// Requests so far, as "endpoint room…" lines.
    var log: [String] { lock.withLock { requests } }

    func count(_ prefix: String) -> Int { log.filter { $0.hasPrefix(prefix) }.count }

    func clearLog() { lock.withLock { requests = [] } }

    /// Called under `lock`.
    private func touch(_ roomID: Int) {
        guard let i = roomList.firstIndex(where: { $0.roomID == roomID }) else { return }
        roomList[i].lastUpdateTime = now
        roomList[i].messageNum = messagesByRoom[roomID]?.count ?? 0
        roomList[i].taskNum = tasksByRoom[roomID]?.filter { $0.status == .open }.count ?? 0
        roomList[i].fileNum = filesByRoom[roomID]?.count ?? 0
    }

    private func request(_ line: String, room: Int? = nil) throws {
        try lock.withLock {
            requests.append(line)
            if failing.contains(where: { line.hasPrefix($0) }) {
                throw ChatworkAPIError.server(status: 500, path: line, messages: ["injected"])
            }
            if let room, forbidden.contains(room) {
                throw ChatworkAPIError.forbidden(path: line, messages: ["You don't have permission to access this room"])
            }
        }
        if secondsPerRequest > 0 { clock.advance(by: secondsPerRequest) }
    }

    // MARK: ChatworkReading

    func me() async throws -> Me { try request("me"); return Me(accountID: 1, roomID: 1, name: "Alice") }
    func myStatus() async throws -> MyStatus {
        try request("my/status"); return MyStatus(unreadRoomNum: 0, mentionRoomNum: 0, mytaskRoomNum: 0, unreadNum: 0, mentionNum: 0, mytaskNum: 0)
    }
    func myTasks(assignedBy: Int?, status: String?) async throws -> [MyTask] { try request("my/tasks"); return [] }
    func contacts() async throws -> [Contact] { try request("contacts"); return [] }
    func incomingRequests() async throws -> [IncomingRequest] { try request("incoming_requests"); return [] }
    func rooms() async throws -> [Room] { try request("rooms"); return lock.withLock { roomList } }

    func room(_ roomID: Int) async throws -> Room {
        try request("room \(roomID)", room: roomID)
        guard var r = lock.withLock({ roomList.first { $0.roomID == roomID } }) else { throw notFound("room \(roomID)") }
        r.description = lock.withLock { descriptions[roomID] } ?? ""
        return r
    }

    func members(roomID: Int) async throws -> [Member] {
        try request("members \(roomID)", room: roomID); return lock.withLock { membersByRoom[roomID] ?? [] }
    }

    func messages(roomID: Int, force: Bool) async throws -> MessagesPage {
        try request("messages \(roomID)", room: roomID)
        return lock.withLock {
            MessagesPage(messages: Array((messagesByRoom[roomID] ?? []).suffix(100)), limitation: limitations[roomID])
        }
    }

    func message(roomID: Int, messageID: String) async throws -> Message {
        try request("message \(roomID)-\(messageID)")
        guard let m = lock.withLock({ messagesByRoom[roomID]?.first { $0.messageID == messageID } }) else {
            throw notFound("message \(messageID)")
        }
        return m
    }

    func tasks(roomID: Int, accountID: Int?, assignedBy: Int?, status: String?) async throws -> [RoomTask] {
        try request("tasks \(roomID) \(status ?? "")", room: roomID)
        return lock.withLock { (tasksByRoom[roomID] ?? []).filter { status == nil || $0.status.rawValue == status } }
    }
    func files(roomID: Int, accountID: Int?) async throws -> [ChatworkFile] {
        try request("files \(roomID)", room: roomID); return lock.withLock { filesByRoom[roomID] ?? [] }
    }
    func file(roomID: Int, fileID: Int, createDownloadURL: Bool) async throws -> ChatworkFile {
        try request("file \(roomID)-\(fileID)", room: roomID)
        guard var f = lock.withLock({ filesByRoom[roomID]?.first { $0.fileID == fileID } }) else { throw notFound("file \(fileID)") }
        if createDownloadURL { f.downloadURL = "https://fake.invalid/\(fileID)" }
        return f
    }
    func link(roomID: Int) async throws -> RoomLink {
        try request("link \(roomID)", room: roomID)
        let admin = lock.withLock { roomList.first { $0.roomID == roomID }?.role == .admin }
        guard admin else { throw ChatworkAPIError.forbidden(path: "link", messages: ["not admin"]) }
        return RoomLink(isPublic: false)
    }
    /// Downloads store a few bytes (they are not API requests: the statistics leave them out).
    func download(from url: URL, to destination: URL, expectedSize: Int?) async throws -> DownloadResult {
        lock.withLock { downloads.append(url.absoluteString) }
        let data = Data(repeating: 0x41, count: expectedSize ?? 10)
        try data.write(to: destination)
        return DownloadResult(sha256Hex: Hashing.sha256(data), size: data.count)
    }
    private var downloads: [String] = []
    var downloadLog: [String] { lock.withLock { downloads } }
    var statistics: ClientStatistics {
        get async { var s = ClientStatistics(); s.requests = log.count; return s }
    }

    private func notFound(_ what: String) -> ChatworkAPIError { .notFound(path: what, messages: ["not found"]) }
}
