import ChatworkAPI
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
    private var requests: [String] = []
    private var nextID = 1_000_000

    init(clock: ManualClock) { self.clock = clock }

    private var now: Int { Int(clock.now().timeIntervalSince1970) }

    // MARK: Setting up

    /// Adds a group room where the token's owner is a member.
    func addRoom(_ roomID: Int, name: String = "Room") {
        lock.withLock { roomList.append(Room(roomID: roomID, name: name, type: .group, role: .member, lastUpdateTime: now)) }
    }

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
    }

    private func request(_ line: String) throws {
        try lock.withLock {
            requests.append(line)
            if failing.contains(where: { line.hasPrefix($0) }) {
                throw ChatworkAPIError.server(status: 500, path: line, messages: ["injected"])
            }
        }
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
        try request("room \(roomID)")
        guard let r = lock.withLock({ roomList.first { $0.roomID == roomID } }) else { throw notFound("room \(roomID)") }
        return r
    }

    func members(roomID: Int) async throws -> [Member] {
        try request("members \(roomID)"); return [Member(accountID: 1, role: .member, name: "Alice")]
    }

    func messages(roomID: Int, force: Bool) async throws -> MessagesPage {
        try request("messages \(roomID)")
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

    func tasks(roomID: Int, accountID: Int?, assignedBy: Int?, status: String?) async throws -> [RoomTask] { try request("tasks \(roomID)"); return [] }
    func files(roomID: Int, accountID: Int?) async throws -> [ChatworkFile] { try request("files \(roomID)"); return [] }
    func file(roomID: Int, fileID: Int, createDownloadURL: Bool) async throws -> ChatworkFile {
        try request("file \(roomID)-\(fileID)"); throw notFound("file \(fileID)")
    }
    func link(roomID: Int) async throws -> RoomLink { try request("link \(roomID)"); throw notFound("link") }
    func download(from url: URL, to destination: URL, expectedSize: Int?) async throws -> DownloadResult {
        try request("download \(url)"); throw ChatworkAPIError.transport(path: url.path, detail: "the fake has no files")
    }
    var statistics: ClientStatistics {
        get async { var s = ClientStatistics(); s.requests = log.count; return s }
    }

    private func notFound(_ what: String) -> ChatworkAPIError { .notFound(path: what, messages: ["not found"]) }
}
