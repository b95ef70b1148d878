import Foundation
import Hummingbird
import Logging

/// A fake Chatwork API v2 over real HTTP on 127.0.0.1, serving a `SimWorkspace`.
///
/// Behaviour, following `/work/shared/chatwork-api` (NOTES.md and the reference):
/// - GET endpoints under `/v2`, and the two that post and edit a message (`POST /rooms/{id}/messages`,
///   `PUT /rooms/{id}/messages/{message_id}`, form-encoded `body`); other methods answer 405, unknown paths 404
///   `{"errors":["Invalid Endpoint or HTTP method"]}`. Errors always have the shape `{"errors":[...]}`.
/// - Auth by `X-ChatWorkToken` or `Authorization: Bearer`; otherwise 401 `{"errors":["Invalid API token"]}`.
/// - Order of checks: method, 429 storm, token (401), rate limit (429), injected 5xx, room membership (403),
///   parameters (400), existence (404). Every API answer carries `x-ratelimit-limit/-remaining/-reset`
///   (counted per presented token, 401s included). Downloads neither count nor carry them.
/// - Empty lists answer 204 with no body.
/// - Messages: lists show at most the newest 100, oldest first. `force=0` shows only what this token has
///   not fetched in this room (newest 100 of those); any fetch, `force=1` included, moves that cursor
///   to the newest message returned (the reference: force=0 returns "the difference since the last fetch").
///   Deleted messages leave lists and `message_num`; by id they answer 200 with body `[deleted]`
///   (or 404 with `DeletedMessageLookup.notFound`). A limited room shows only messages of the past
///   `days` days (older ones 404 by id) and its message endpoints carry the limitation headers.
/// - `/rooms/{id}/files` lists the newest 100 files. `create_download_url=1` adds `download_url`
///   (`http://127.0.0.1:PORT/download/<random>`), valid `downloadURLLifetime` seconds on the simulator's
///   clock; after that (or for an unknown id) 403 with an S3-like XML body. The download path needs
///   no token; a request carrying `Authorization` gets 400 (like S3) and every request carrying
///   credentials is counted in `credentialLeakCount`.
/// - `/rooms/{id}/link` answers 403 to non-admins; `{"public":false}` when the room has no link.
/// - `unread_num`, `mention_num` and `sticky` are per room (the same for every viewer); `mytask_num`
///   and `/my/status` are computed from the viewer's open tasks.
/// - Webhooks (`ChatworkSimulator+Webhooks.swift`): settings as on Chatwork's settings page; every
///   message posted or edited, through the API or ``updateWorkspace(_:)``, is delivered signed to the
///   settings that see it, asynchronously, in order (each setting may deliver twice or drop).
/// - HTTP handlers run on Swift's cooperative thread pool: a test that blocks those threads (sockets,
///   semaphores) can starve the simulator; block on a `Thread` of its own instead.
///
/// ```swift
/// let sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: dir))
/// try await sim.start()
/// // point a client at sim.baseURL with token "demo-token-0000"
/// await sim.stop()
/// ```
public final class ChatworkSimulator: Sendable {
    let core: SimulatorCore
    private let runtime = Locked<Runtime>(Runtime())

    private struct Runtime: Sendable {
        var task: Task<Void, Never>?
        var port: Int?
    }

    public init(workspace: SimWorkspace, configuration: SimulatorConfiguration = .init()) {
        core = SimulatorCore(workspace: workspace, configuration: configuration)
    }

    /// The configuration given at creation.
    public var configuration: SimulatorConfiguration { core.configuration }

    /// The clock the simulator reads (advance it in tests instead of sleeping).
    public var clock: SimulatorClock { core.configuration.clock }

    /// Starts listening on 127.0.0.1 (port 0 = any free port) in the background; returns once it
    /// accepts connections. Throws `SimulatorError.startFailed` when the port cannot be bound.
    public func start(port: Int = 0) async throws {
        if runtime.withLock({ $0.task != nil }) { return }
        var logger = Logger(label: "ChatworkSimulator")
        logger.logLevel = .critical
        let (events, continuation) = AsyncStream.makeStream(of: Result<Int, SimulatorError>.self)
        let app = Application(
            responder: SimResponder(core: core),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                continuation.yield(.success(channel.localAddress?.port ?? port))
            },
            logger: logger)
        let task = Task {
            do {
                try await app.run()
                continuation.yield(.failure(.startFailed("the server stopped")))
            } catch {
                continuation.yield(.failure(.startFailed(String(describing: error))))
            }
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .success(let boundPort):
                runtime.withLock {
                    $0.task = task
                    $0.port = boundPort
                }
                core.origin.withLock { $0 = "http://127.0.0.1:\(boundPort)" }
                return
            case .failure(let error):
                throw error
            }
        }
        throw SimulatorError.startFailed("the server did not report that it listens")
    }

    /// Stops the server and closes its connections. Data and logs stay; `start` may be called again.
    /// Webhook deliveries not yet made are abandoned (await ``webhookDeliveriesSettled()`` first).
    public func stop() async {
        let task = runtime.withLock { state -> Task<Void, Never>? in
            defer { state = Runtime() }
            return state.task
        }
        task?.cancel()
        await task?.value
        await core.webhooks.shutdown()
    }

    /// The port listened on, nil when not running.
    public var port: Int? { runtime.withLock { $0.port } }

    /// The API base URL, e.g. `http://127.0.0.1:PORT/v2` (port 0 before `start`).
    public var baseURL: URL {
        let origin = core.origin.withLock { $0 }
        return URL(string: origin + "/v2") ?? URL(fileURLWithPath: "/")
    }

    /// Changes the workspace (tests change data between runs); returns what `change` returns.
    /// `change` runs under the simulator's lock: do not call the simulator from inside it.
    @discardableResult
    /// Messages it posts or edits are delivered to the webhook settings that see them
    /// (``addRoomWebhook(roomId:url:token:delivery:)``), after it returns.
    public func updateWorkspace<T>(_ change: (inout SimWorkspace) throws -> T) rethrows -> T {
        try core.state.withLock { st in try core.change(&st, change) }
    }

    /// A copy of the current workspace.
    public var workspace: SimWorkspace { core.state.withLock { $0.workspace } }

    /// Replaces the faults (restarting the fault generator and the 429 storm).
    public func setFaults(_ faults: FaultConfiguration) {
        core.state.withLock { $0.faults.reset(faults) }
    }

    /// The faults in force.
    public var faults: FaultConfiguration { core.state.withLock { $0.faults.configuration } }

    /// API requests answered (downloads not included), dropped ones included.
    public var requestCount: Int { core.state.withLock { $0.requestCount } }

    /// One line per API request: "GET /v2/rooms/123/messages?force=1 200"
    /// (a fault adds " DROPPED", " TRUNCATED", " MALFORMED" or " WRONG-CONTENT-TYPE").
    public func requestLog() -> [String] { core.state.withLock { $0.log } }

    /// Forgets the request log, the request count and the download log.
    public func resetRequestLog() {
        core.state.withLock {
            $0.log = []
            $0.requestCount = 0
            $0.downloadLog = []
            $0.downloadCount = 0
            $0.credentialLeaks = 0
        }
    }

    /// One line per download request: "GET /download/abc… 200".
    public func downloadLog() -> [String] { core.state.withLock { $0.downloadLog } }

    /// Download requests answered.
    public var downloadCount: Int { core.state.withLock { $0.downloadCount } }

    /// Download requests that carried `X-ChatWorkToken` or `Authorization`: a client must send none
    /// (the real download host is a third party). Should stay 0.
    public var credentialLeakCount: Int { core.state.withLock { $0.credentialLeaks } }

    /// The bytes a download of this file serves (stored or generated), nil for an unknown file.
    public func expectedBytes(roomId: Int, fileId: Int) -> Data? {
        guard let file = workspace.room(roomId)?.files.first(where: { $0.fileId == fileId }) else { return nil }
        switch file.content {
        case .generated(let seed): return SimFileContent.generatedData(seed: seed, size: file.filesize)
        case .stored(let path): return try? Data(contentsOf: URL(fileURLWithPath: path))
        }
    }

    /// Forgets every force=0 cursor (as if every token had never fetched messages).
    public func resetMessageCursors() {
        core.state.withLock { $0.cursors = [:] }
    }
}
