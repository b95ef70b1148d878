import Foundation

/// A download URL handed out by `create_download_url=1`.
struct DownloadTicket: Sendable {
    var roomId: Int
    var fileId: Int
    var expires: Date
}

/// Everything that changes while the simulator runs, kept behind one lock.
struct CoreState: Sendable {
    var workspace: SimWorkspace
    var limiter: RateLimiter
    var faults: FaultInjector
    /// force=0 cursors: "token\u{0}roomId" → id of the newest message fetched.
    var cursors: [String: String] = [:]
    var downloads: [String: DownloadTicket] = [:]
    var log: [String] = []
    var requestCount = 0
    var downloadLog: [String] = []
    var downloadCount = 0
    var credentialLeaks = 0
}

/// The simulator's shared state and configuration, used by the HTTP glue on every request.
final class SimulatorCore: Sendable {
    let configuration: SimulatorConfiguration
    let state: Locked<CoreState>
    /// Origin of this server, e.g. "http://127.0.0.1:8080", set once listening.
    let origin: Locked<String>
    /// The OAuth server (its own lock; never takes `state`'s).
    let oauth: SimOAuthServer
    /// The webhook settings and deliveries (its own lock, taken under `state`'s, never the reverse).
    let webhooks = SimWebhookHub()

    init(workspace: SimWorkspace, configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.state = Locked(CoreState(
            workspace: workspace,
            limiter: RateLimiter(limit: configuration.rateLimit, window: configuration.rateWindow),
            faults: FaultInjector(configuration.faults)))
        self.origin = Locked("http://127.0.0.1:0")
        self.oauth = SimOAuthServer(clock: configuration.clock)
    }

    var now: Date { configuration.clock.now }

    /// Changes the workspace under the lock held by the caller, and queues the webhook deliveries
    /// of the messages the change posted or edited (only compared when a webhook setting exists).
    func change<T>(_ st: inout CoreState, _ body: (inout SimWorkspace) throws -> T) rethrows -> T {
        guard let watched = webhooks.watched else { return try body(&st.workspace) }
        let before = st.workspace
        let result = try body(&st.workspace)
        webhooks.enqueue(SimWebhookChanges.changes(from: before, to: st.workspace, rooms: watched), time: configuration.clock.unixNow)
        return result
    }

    func plan(isDownload: Bool) -> FaultPlan {
        state.withLock { $0.faults.plan(isDownload: isDownload) }
    }

    func record(api line: String) {
        state.withLock {
            $0.log.append(line)
            $0.requestCount += 1
        }
    }

    func record(download line: String, leakedCredentials: Bool) {
        state.withLock {
            $0.downloadLog.append(line)
            $0.downloadCount += 1
            if leakedCredentials { $0.credentialLeaks += 1 }
        }
    }
}
