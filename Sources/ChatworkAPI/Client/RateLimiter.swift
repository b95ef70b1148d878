import Foundation

/// What the server last said about the rate limit (`x-ratelimit-*` headers).
public struct RateLimitState: Sendable, Equatable {
    /// Requests allowed per window (300 per 5 minutes today; never assumed).
    public var limit: Int
    /// Requests left in the current window.
    public var remaining: Int
    /// When the window resets, as the server wrote it (Unix seconds).
    public var resetEpoch: Int
    /// The same moment on this machine's clock (corrected for clock skew when the server sent a `Date`).
    public var resetAt: Date

    public init(limit: Int, remaining: Int, resetEpoch: Int, resetAt: Date) {
        self.limit = limit
        self.remaining = remaining
        self.resetEpoch = resetEpoch
        self.resetAt = resetAt
    }
}

/// Paces requests so that a long run never meets a 429.
///
/// Every response updates the state from `x-ratelimit-limit`, `-remaining` and `-reset`. Before a
/// request, ``reserve(now:)`` spreads the requests still allowed evenly over the time left until
/// the reset, instead of bursting and then stalling; with nothing left it waits for the reset. A
/// 429 blocks every request until the reset the server gave (plus a little).
///
/// A value type: the client keeps one and calls it from its actor.
public struct RateLimiter: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Requests left unused in each window: room for another program on the same token and
        /// for rounding.
        public var reserve: Int = 1
        /// Seconds added to the reset time: the server gives it in whole seconds.
        public var resetSlack: TimeInterval = 1
        /// The longest single wait accepted, whatever the headers say (guards against a wrong
        /// clock or header). The window is 5 minutes today.
        public var maximumWait: TimeInterval = 330
        /// Wait after a 429 that carries no reset header; doubles for each further 429.
        public var waitWithoutResetHeader: TimeInterval = 5
        /// While more than this fraction of the window's limit remains, requests go at once; below
        /// it, what remains is spread evenly until the reset. A short run is never slowed down, and
        /// a long run neither stalls at the end of a window nor meets a 429.
        public var burstFraction: Double = 0.5

        public init(reserve: Int = 1, resetSlack: TimeInterval = 1, maximumWait: TimeInterval = 330, waitWithoutResetHeader: TimeInterval = 5) {
            self.reserve = reserve
            self.resetSlack = resetSlack
            self.maximumWait = maximumWait
            self.waitWithoutResetHeader = waitWithoutResetHeader
        }
    }

    public let settings: Settings
    /// The last state the server reported, nil before the first response.
    public private(set) var state: RateLimitState?
    /// No request may start before this (set by a 429).
    public private(set) var blockedUntil: Date?
    private var lastSlot: Date?
    private var inFlight = 0
    private var consecutiveRateLimited = 0
    /// Server clock minus local clock, in seconds, when it is large enough to matter.
    private var clockSkew: TimeInterval = 0

    public init(settings: Settings = .init()) {
        self.settings = settings
    }

    /// Reserves the next request slot and returns how many seconds to wait before sending it.
    /// Call ``record(limit:remaining:reset:serverDate:now:)`` or ``release()`` once the request ends.
    public mutating func reserve(now: Date) -> TimeInterval {
        let othersInFlight = inFlight
        inFlight += 1
        var earliest = now
        if let blockedUntil {
            if blockedUntil > now {
                earliest = blockedUntil
            } else {
                self.blockedUntil = nil
            }
        }
        guard let state else { return claim(earliest, now: now) }
        let windowEnd = min(state.resetAt.addingTimeInterval(settings.resetSlack), now.addingTimeInterval(settings.maximumWait))
        if earliest >= windowEnd {
            // The window has reset since the last answer: its numbers no longer apply.
            self.state = nil
            return claim(earliest, now: now)
        }
        let usable = state.remaining - othersInFlight - settings.reserve
        if usable <= 0 {
            // Nothing left in this window: wait for the reset.
            return claim(windowEnd, now: now)
        }
        let interval = windowEnd.timeIntervalSince(earliest) / Double(usable)
        var slot = earliest
        if let lastSlot, lastSlot.addingTimeInterval(interval) > slot {
            slot = lastSlot.addingTimeInterval(interval)
        }
        return claim(slot, now: now)
    }

    private mutating func claim(_ slot: Date, now: Date) -> TimeInterval {
        lastSlot = slot
        return max(0, slot.timeIntervalSince(now))
    }

    /// A reserved request ended without any answer from the server.
    public mutating func release() {
        inFlight = max(0, inFlight - 1)
    }

    /// Records the rate-limit headers of an answer (any status) to a reserved request. Missing or
    /// unreadable headers leave the state as it was.
    public mutating func record(limit: Int?, remaining: Int?, reset: Int?, serverDate: Date?, now: Date) {
        inFlight = max(0, inFlight - 1)
        if let serverDate {
            let skew = serverDate.timeIntervalSince(now)
            // The Date header has whole seconds: ignore differences that small.
            clockSkew = abs(skew) > 2 ? skew : 0
        }
        guard let limit, let remaining, let reset, limit >= 0 else { return }
        let resetAt = Date(timeIntervalSince1970: TimeInterval(reset) - clockSkew)
        let fresh = RateLimitState(limit: limit, remaining: max(0, remaining), resetEpoch: reset, resetAt: resetAt)
        guard let current = state else {
            state = fresh
            return
        }
        if reset == current.resetEpoch {
            // Same window: answers may arrive out of order, the smallest count is the newest.
            state = RateLimitState(limit: limit, remaining: min(current.remaining, fresh.remaining), resetEpoch: reset, resetAt: resetAt)
        } else if reset > current.resetEpoch {
            state = fresh
        }
        // An older window's answer arriving late is ignored.
    }

    /// A request was answered with 429 (its headers already passed to `record`). Blocks all
    /// requests until the window resets and returns the seconds to wait.
    @discardableResult
    public mutating func recordRateLimited(reset: Int?, now: Date) -> TimeInterval {
        consecutiveRateLimited += 1
        var until: Date
        if let reset {
            until = Date(timeIntervalSince1970: TimeInterval(reset) - clockSkew).addingTimeInterval(settings.resetSlack)
            if until <= now {
                // The reset is already past on our clock (skew, or a window that just ended): wait a little anyway.
                until = now.addingTimeInterval(settings.resetSlack)
            }
        } else {
            let doubling = pow(2, Double(min(consecutiveRateLimited - 1, 10)))
            until = now.addingTimeInterval(settings.waitWithoutResetHeader * doubling)
        }
        until = min(until, now.addingTimeInterval(settings.maximumWait))
        if let current = state {
            state = RateLimitState(limit: current.limit, remaining: 0, resetEpoch: current.resetEpoch, resetAt: current.resetAt)
        }
        if let blockedUntil, blockedUntil > until { until = blockedUntil }
        blockedUntil = until
        return until.timeIntervalSince(now)
    }

    /// A request succeeded: the run of 429s is over.
    public mutating func recordSuccess() {
        consecutiveRateLimited = 0
    }
}
