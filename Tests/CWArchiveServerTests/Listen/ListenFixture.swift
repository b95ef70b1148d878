import ChatworkAPI
import ChatworkSimulator
import Foundation
@testable import CWArchiveCore
@testable import CWArchiveServer
#if canImport(Glibc)
import Glibc
#endif

/// A temporary archive with token files, and a listener on 127.0.0.1 port 0 running in this
/// process, for tests that post real HTTP deliveries to it.
final class ListenFixture: @unchecked Sendable {
    // @unchecked: `task` and `port` are set once by `start` before any concurrent use.
    let root: URL
    let archiveURL: URL
    /// Room → its webhook token (Base64 text, as Chatwork's settings page shows it).
    let tokens: [Int: String]
    let accountToken = SimWebhookSender.makeToken()
    private(set) var task: Task<Void, Error>?
    private(set) var port = 0
    private(set) var server: ListenServer?

    static let roomA = 1001
    static let roomB = 1002

    init(rooms: [Int] = [ListenFixture.roomA, ListenFixture.roomB], archiveURL: URL? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cwarchive-listen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.archiveURL = archiveURL ?? root.appendingPathComponent("archive")
        var t: [Int: String] = [:]
        for r in rooms { t[r] = SimWebhookSender.makeToken() }
        tokens = t
        for (room, token) in tokens { try writeSecret(token, name: "room-\(room).token") }
        try writeSecret(accountToken, name: "account.token")
    }

    func tokenPath(room: Int) -> String { root.appendingPathComponent("room-\(room).token").path }
    var accountTokenPath: String { root.appendingPathComponent("account.token").path }

    private func writeSecret(_ text: String, name: String) throws {
        let url = root.appendingPathComponent(name)
        try Data((text + "\n").utf8).write(to: url)
        chmod(url.path, 0o600)
    }

    func key(room: Int) -> [UInt8] { Array(Data(base64Encoded: tokens[room] ?? "") ?? Data()) }
    var accountKey: [UInt8] { Array(Data(base64Encoded: accountToken) ?? Data()) }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/chatwork/webhook")! }

    func store() throws -> ArchiveStore { try ArchiveStore.open(at: archiveURL, create: true) }

    /// Starts a listener (commits only when asked, unless `commitInterval` is small).
    func start(commitInterval: Int = 3600, commitOnStop: Bool = true) async throws {
        var roomTokens: [Int: WebhookToken] = [:]
        for r in tokens.keys { roomTokens[r] = try WebhookToken.read(path: tokenPath(room: r), flag: "--webhook") }
        let config = ListenConfiguration(bind: try BindAddress(host: "127.0.0.1", port: 0), roomTokens: roomTokens,
                                         accountToken: try WebhookToken.read(path: accountTokenPath, flag: "--account-webhook"),
                                         commitInterval: commitInterval)
        let server = try ListenServer(configuration: config, store: try store(), console: Console(quiet: true))
        self.server = server
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        task = Task { try await server.run(onRunning: { continuation.yield($0) }, commitOnStop: commitOnStop) }
        for await p in ports { port = p; break }
    }

    /// Stops the listener (with `commitOnStop`, it commits the spool first) and waits for it.
    func stop() async throws {
        task?.cancel()
        try await task?.value
        task = nil
    }

    func cleanUp() { try? FileManager.default.removeItem(at: root) }

    /// A `message_created`/`message_updated` body as Chatwork sends it.
    static func messageBody(type: String = "message_created", room: Int, messageID: String, account: Int = 1,
                            body: String, sendTime: Int = 1_700_000_000, updateTime: Int = 0) -> Data {
        let object: [String: Any] = [
            "webhook_setting_id": "42", "webhook_event_type": type, "webhook_event_time": sendTime + 1,
            "webhook_event": ["message_id": messageID, "room_id": room, "account_id": account, "body": body,
                              "send_time": sendTime, "update_time": updateTime] as [String: Any],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The records of every data file the archive lists.
    func records() throws -> [ArchiveRecord] {
        let s = try store()
        var out: [ArchiveRecord] = []
        for m in try s.manifests() {
            for f in m.manifest.files where f.path.hasPrefix("data/") {
                try SegmentReader.forEachRecord(in: s.root.appendingPathComponent(f.path)) { out.append($0) }
            }
        }
        return out
    }

    /// The message records of the archive, in commit order (`runPrefix`: only those of such runs).
    func messageRecords(runPrefix: String = "") throws -> [Message] {
        var out: [Message] = []
        for r in try records() where r.run.hasPrefix(runPrefix) {
            if case .message(let m) = r.payload { out.append(m) }
        }
        return out
    }

    /// The deliveries the archive kept as received.
    func keptEvents() throws -> [WebhookEventRecord] {
        var out: [WebhookEventRecord] = []
        for r in try records() {
            if case .webhookEvent(let e) = r.payload { out.append(e) }
        }
        return out
    }

    /// The newest archived version of a message, through the index.
    func archived(room: Int, messageID: String) throws -> KnownMessage? {
        let index = try ArchiveIndex.openForReading(store: try store())
        return try index.latestVersions(roomID: room, messageIDs: [messageID])[messageID]
    }
}
