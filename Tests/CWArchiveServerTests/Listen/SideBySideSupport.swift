import AsyncHTTPClient
import ChatworkAPI
import ChatworkSimulator
import Foundation
import NIOCore
@testable import CWArchiveCore
@testable import CWArchiveServer

/// Posts messages through the simulator's HTTP API (`POST /rooms/{id}/messages`, form-encoded),
/// as another member's client would.
final class SimulatorAPIWriter: Sendable {
    let baseURL: URL
    let token: String
    private let client = HTTPClient(eventLoopGroupProvider: .singleton)

    init(baseURL: URL, token: String) {
        self.baseURL = baseURL
        self.token = token
    }

    func shutdown() async throws { try await client.shutdown() }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Posts `body` into `room`; returns the new message's id.
    @discardableResult
    func post(room: Int, body: String) async throws -> String {
        var request = HTTPClientRequest(url: baseURL.absoluteString + "/rooms/\(room)/messages")
        request.method = .POST
        request.headers.add(name: "X-ChatWorkToken", value: token)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = body.addingPercentEncoding(withAllowedCharacters: allowed) ?? body
        request.body = .bytes(ByteBuffer(string: "body=\(encoded)&self_unread=0"))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 16)
        let text = String(buffer: bytes)
        guard response.status.code == 200,
              let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let id = object["message_id"] as? String else {
            throw Failure(description: "POST /rooms/\(room)/messages answered \(response.status.code): \(text)")
        }
        return id
    }
}

/// The real client over loopback, with a hook that runs before each room's window is read: a
/// test does its work there while the `archive` run holds the archive's lock.
struct HookedReading: ChatworkReading {
    let base: ChatworkClient
    let beforeMessages: @Sendable (Int) async throws -> Void

    func me() async throws -> Me { try await base.me() }
    func myStatus() async throws -> MyStatus { try await base.myStatus() }
    func myTasks(assignedBy: Int?, status: String?) async throws -> [MyTask] { try await base.myTasks(assignedBy: assignedBy, status: status) }
    func contacts() async throws -> [Contact] { try await base.contacts() }
    func incomingRequests() async throws -> [IncomingRequest] { try await base.incomingRequests() }
    func rooms() async throws -> [Room] { try await base.rooms() }
    func room(_ roomID: Int) async throws -> Room { try await base.room(roomID) }
    func members(roomID: Int) async throws -> [Member] { try await base.members(roomID: roomID) }
    func messages(roomID: Int, force: Bool) async throws -> MessagesPage {
        try await beforeMessages(roomID)
        return try await base.messages(roomID: roomID, force: force)
    }
    func message(roomID: Int, messageID: String) async throws -> Message { try await base.message(roomID: roomID, messageID: messageID) }
    func tasks(roomID: Int, accountID: Int?, assignedBy: Int?, status: String?) async throws -> [RoomTask] {
        try await base.tasks(roomID: roomID, accountID: accountID, assignedBy: assignedBy, status: status)
    }
    func files(roomID: Int, accountID: Int?) async throws -> [ChatworkFile] { try await base.files(roomID: roomID, accountID: accountID) }
    func file(roomID: Int, fileID: Int, createDownloadURL: Bool) async throws -> ChatworkFile {
        try await base.file(roomID: roomID, fileID: fileID, createDownloadURL: createDownloadURL)
    }
    func link(roomID: Int) async throws -> RoomLink { try await base.link(roomID: roomID) }
    func download(from url: URL, to destination: URL, expectedSize: Int?) async throws -> DownloadResult {
        try await base.download(from: url, to: destination, expectedSize: expectedSize)
    }
    var statistics: ClientStatistics { get async { await base.statistics } }
}

/// The sample workspace in a started simulator, a listener fixture for some of its rooms, and
/// one `archive` run at a time into the fixture's archive.
final class SideBySide: @unchecked Sendable {
    // @unchecked: every member is set once in `init`; the parts are thread-safe.
    static let token = "demo-token-0000"
    static let hanakoToken = "demo-token-hanako"
    static let hanako = 1_000_002
    static let busy = 2_000_006
    static let project = 2_000_004

    let sim: ChatworkSimulator
    let f: ListenFixture
    let writer: SimulatorAPIWriter

    private init(sim: ChatworkSimulator, f: ListenFixture) {
        self.sim = sim
        self.f = f
        writer = SimulatorAPIWriter(baseURL: sim.baseURL, token: Self.hanakoToken)
    }

    /// Starts everything, runs `body`, and stops the listener, the writer and the simulator (awaited).
    static func with(rooms: [Int], _ body: (SideBySide) async throws -> Void) async throws {
        guard let dir = ChatworkSimulator.sampleWorkspaceDirectory() else { throw SimulatorAPIWriter.Failure(description: "no sample workspace") }
        let sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: dir))
        try await sim.start(port: 0)
        let s = SideBySide(sim: sim, f: try ListenFixture(rooms: rooms))
        do {
            try await body(s)
        } catch {
            try? await s.f.stop()
            try? await s.writer.shutdown()
            await sim.stop()
            s.f.cleanUp()
            throw error
        }
        try await s.f.stop()
        try await s.writer.shutdown()
        await sim.stop()
        s.f.cleanUp()
    }

    /// One `archive` run; `beforeMessages` runs before each room's window is read.
    func archive(beforeMessages: @escaping @Sendable (Int) async throws -> Void = { _ in }) async throws -> RunSummary {
        let store = try ArchiveStore.open(at: f.archiveURL, create: true)
        var config = ChatworkClientConfiguration(baseURL: sim.baseURL)
        config.backoffBase = 0.01
        config.backoffMaximum = 0.05
        let client = ChatworkClient(credential: .apiToken(Self.token), configuration: config)
        do {
            let s = try await Archiver(store: store, client: HookedReading(base: client, beforeMessages: beforeMessages), options: ArchiveOptions()).run()
            try await client.shutdown()
            return s
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Room event webhooks of the simulator for `rooms`, to the listener, with the fixture's tokens.
    func addWebhooks(_ rooms: [Int], delivery: SimDeliveryMode = .normal) throws -> [Int: SimWebhookSetting] {
        var out: [Int: SimWebhookSetting] = [:]
        for r in rooms { out[r] = try sim.addRoomWebhook(roomId: r, url: f.url, token: f.tokens[r] ?? "", delivery: delivery) }
        return out
    }

    /// The room's messages in the simulator now (not deleted), oldest first.
    func serverMessages(_ room: Int) -> [SimMessage] {
        sim.workspace.room(room)?.messages.filter { !$0.deleted } ?? []
    }

    func status() throws -> StatusReport { try StatusReport.load(store: f.store()) }
}
