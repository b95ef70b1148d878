import Foundation
import Hummingbird
import Logging

/// A fake Chatwork API v2 over real HTTP on 127.0.0.1, serving a `SimWorkspace`.
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
    public func stop() async {
        let task = runtime.withLock { state -> Task<Void, Never>? in
            defer { state = Runtime() }
            return state.task
        }
        task?.cancel()
        await task?.value
    }

    /// The port listened on, nil when not running.
    public var port: Int? { runtime.withLock { $0.port } }

    /// The API base URL, e.g. `http://127.0.0.1:PORT/v2` (port 0 before `start`).
    public var baseURL: URL {
        let origin = core.origin.withLock { $0 }
        return URL(string: origin + "/v2") ?? URL(fileURLWithPath: "/")
    }

    /// Changes the workspace (tests change data between runs); returns what `change` returns.
    @discardableResult
    public func updateWorkspace<T>(_ change: (inout SimWorkspace) throws -> T) rethrows -> T {
        try core.state.withLock { try change(&$0.workspace) }
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

    /// Forgets every force=0 cursor (as if every token had never fetched messages).
    public func resetMessageCursors() {
        core.state.withLock { $0.cursors = [:] }
    }
}
