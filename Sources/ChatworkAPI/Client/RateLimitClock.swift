import Foundation

/// The time source of the rate limiter and the retry backoff. Injectable so tests run without sleeping.
public protocol RateLimitClock: Sendable {
    func now() -> Date
    /// Suspends for `seconds` (or returns at once for 0 or less). Throws `CancellationError` when cancelled.
    func sleep(seconds: TimeInterval) async throws
}

/// The wall clock and `Task.sleep`.
public struct SystemRateLimitClock: RateLimitClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(seconds: TimeInterval) async throws {
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}

/// Jittered exponential backoff for retries: attempt 1 waits about `base`, each further attempt
/// twice as long, never more than `maximum`. "Equal jitter": half the delay is fixed, half random,
/// so clients that failed together do not retry together.
public struct Backoff: Sendable, Equatable {
    public var base: TimeInterval
    public var maximum: TimeInterval

    public init(base: TimeInterval, maximum: TimeInterval) {
        self.base = max(0, base)
        self.maximum = max(0, maximum)
    }

    /// The delay before retry number `attempt` (1-based); `random` is a number in 0..<1.
    public func delay(forAttempt attempt: Int, random: Double) -> TimeInterval {
        let exponent = Double(min(max(attempt, 1) - 1, 30))
        let ceiling = min(maximum, base * pow(2, exponent))
        let unit = min(max(random, 0), 1)
        return ceiling / 2 + ceiling / 2 * unit
    }
}
