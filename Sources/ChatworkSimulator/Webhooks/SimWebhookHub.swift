import Foundation

/// One delivery waiting to be sent: the body as it was when the message changed, and the
/// setting as it was then (its ``SimDeliveryMode`` included).
struct SimWebhookJob: Sendable {
    let setting: SimWebhookSetting
    let eventType: String
    let messageID: String
    let body: Data
}

/// Chatwork's webhook side inside the simulator: the account's webhook settings and the queue of
/// deliveries. Whatever posts or edits a message (``ChatworkSimulator/updateWorkspace(_:)``, the
/// API's `POST`/`PUT` of messages, ``SimWebhookSender``) adds its events here under the
/// simulator's lock, in order; one background task sends them one after the other, off the path
/// of the request that caused them, as Chatwork does. ``settled()`` waits until every delivery
/// queued before it has been made (tests synchronise on it instead of sleeping).
final class SimWebhookHub: Sendable {
    private let state = Locked(State())
    private let poster = SimWebhookPoster(sharedClient: ())

    private struct State: Sendable {
        var settings: [SimWebhookSetting] = []
        var nextID = 1
        var queue: [SimWebhookJob] = []
        var worker: Task<Void, Never>?
        var enqueued = 0
        var finished = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var deliveries: [SimDelivery] = []
    }

    // MARK: Settings

    func add(scope: SimWebhookSetting.Scope, url: URL, token: String, delivery: SimDeliveryMode) throws -> SimWebhookSetting {
        try state.withLock { s in
            guard s.settings.count < SimWebhookSender.maxSettings else {
                throw SimWebhookError(description: "Chatwork allows at most \(SimWebhookSender.maxSettings) webhook settings per account")
            }
            let setting = SimWebhookSetting(id: String(s.nextID), scope: scope, url: url, token: token, delivery: delivery)
            s.nextID += 1
            s.settings.append(setting)
            return setting
        }
    }

    func setDelivery(_ mode: SimDeliveryMode, settingID: String?) {
        state.withLock { s in
            for i in s.settings.indices where settingID == nil || s.settings[i].id == settingID { s.settings[i].delivery = mode }
        }
    }

    func remove(settingID: String) {
        state.withLock { $0.settings.removeAll { $0.id == settingID } }
    }

    var settings: [SimWebhookSetting] { state.withLock { $0.settings } }
    var deliveries: [SimDelivery] { state.withLock { $0.deliveries } }

    /// The rooms whose message changes someone listens to; nil when no setting exists (then
    /// nothing needs comparing). `nil` rooms inside: every room (an account webhook sees mentions anywhere).
    var watched: Set<Int>?? {
        state.withLock { s in
            guard !s.settings.isEmpty else { return nil }
            var rooms = Set<Int>()
            for setting in s.settings {
                switch setting.scope {
                case .room(let r): rooms.insert(r)
                case .account: return .some(nil)
                }
            }
            return .some(rooms)
        }
    }

    // MARK: Queue

    /// Queues the deliveries of these message changes (called under the simulator's lock, in order).
    func enqueue(_ changes: [SimWebhookChanges.Change], time: Int) {
        guard !changes.isEmpty else { return }
        state.withLock { s in
            for change in changes {
                for setting in s.settings {
                    if let job = SimWebhookChanges.job(for: change, setting: setting, time: time) {
                        s.queue.append(job)
                        s.enqueued += 1
                    }
                }
            }
            if s.worker == nil, !s.queue.isEmpty {
                s.worker = Task { [self] in await self.drain() }
            }
        }
    }

    /// Waits until every delivery queued before this call has been made (or dropped).
    func settled() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            state.withLock { s in
                if s.finished >= s.enqueued { c.resume() } else { s.waiters.append((s.enqueued, c)) }
            }
        }
    }

    /// Abandons the deliveries not yet made and waits for the one in flight (the simulator stops).
    func shutdown() async {
        let worker = state.withLock { s -> Task<Void, Never>? in
            s.finished += s.queue.count
            s.queue = []
            Self.resumeWaiters(&s)
            return s.worker
        }
        worker?.cancel()
        await worker?.value
    }

    private func drain() async {
        while true {
            let next = state.withLock { s -> SimWebhookJob? in
                guard !s.queue.isEmpty else {
                    s.worker = nil
                    return nil
                }
                return s.queue.removeFirst()
            }
            guard let job = next else { return }
            let made = await send(job)
            state.withLock { s in
                s.deliveries += made
                s.finished += 1
                Self.resumeWaiters(&s)
            }
        }
    }

    /// Sends one job according to its setting's mode; returns the attempts.
    private func send(_ job: SimWebhookJob) async -> [SimDelivery] {
        let mode = job.setting.delivery
        if mode == .never {
            return [SimDelivery(settingID: job.setting.id, eventType: job.eventType, messageID: job.messageID, status: nil, dropped: true)]
        }
        var out: [SimDelivery] = []
        for _ in 0..<(mode == .twice ? 2 : 1) {
            let key = mode == .badSignature ? Array(SimWebhookSender.makeToken().utf8) : job.setting.key
            let status = await poster.deliver(job.body, signature: SimWebhookPoster.sign(job.body, key: key), to: job.setting.url)
            out.append(SimDelivery(settingID: job.setting.id, eventType: job.eventType, messageID: job.messageID, status: status, dropped: false))
        }
        return out
    }

    private static func resumeWaiters(_ s: inout State) {
        let finished = s.finished
        let ready = s.waiters.filter { $0.target <= finished }
        s.waiters.removeAll { $0.target <= finished }
        for w in ready { w.continuation.resume() }
    }
}
