import ChatworkAPI
import Foundation

/// A clock that never really sleeps: `sleep` moves its time forward and records the wait.
final class FakeClock: RateLimitClock, @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var current: Date
    private var recordedSleeps: [TimeInterval] = []

    init(start: Date = Date(timeIntervalSince1970: 1_700_000_000.25)) {
        current = start
    }

    func now() -> Date {
        lock.withLock { current }
    }

    func sleep(seconds: TimeInterval) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recordedSleeps.append(seconds)
            if seconds > 0 { current = current.addingTimeInterval(seconds) }
        }
    }

    func advance(_ seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    var sleeps: [TimeInterval] { lock.withLock { recordedSleeps } }
}

/// A server-side fixed-window rate limit like Chatwork's: `limit` requests per `window` seconds,
/// the window opening at the first request after the previous one ended, reset in whole seconds.
struct FixedWindowServer {
    let limit: Int
    let window: Int
    private(set) var windowStart: Int?
    private(set) var countInWindow = 0
    private(set) var tooManyRequests = 0

    init(limit: Int, window: Int) {
        self.limit = limit
        self.window = window
    }

    struct Answer {
        var status: Int
        var limit: Int
        var remaining: Int
        var reset: Int
    }

    mutating func handle(at now: Date) -> Answer {
        let t = now.timeIntervalSince1970
        if let start = windowStart, t < Double(start + window) {
            // same window
        } else {
            windowStart = Int(t.rounded(.down))
            countInWindow = 0
        }
        let reset = (windowStart ?? 0) + window
        if countInWindow >= limit {
            tooManyRequests += 1
            return Answer(status: 429, limit: limit, remaining: 0, reset: reset)
        }
        countInWindow += 1
        return Answer(status: 200, limit: limit, remaining: limit - countInWindow, reset: reset)
    }
}
