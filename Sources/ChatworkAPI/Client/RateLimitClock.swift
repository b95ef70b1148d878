import Foundation

/// Wall time: what "now" is. The archive stamps records, run ids, manifests, the lock holder and
/// log lines with it. Injectable so tests run on a ``ManualClock``.
public protocol NowProvider: Sendable {
    /// The current time.
    func now() -> Date
}

/// The time source of the rate limiter, the retry backoff and the archiver: wall time and sleeping.
/// Injectable so tests run without sleeping; one ``ManualClock`` can drive the client, the
/// archiver and (through `SimulatorClock(following:)`) the simulator on one timeline.
public protocol RateLimitClock: NowProvider {
    /// Suspends for `seconds` (or returns at once for 0 or less). Throws `CancellationError` when cancelled.
    func sleep(seconds: TimeInterval) async throws
}

/// The wall clock and `Task.sleep`: the one place of the client and the archive that reads the system time.
public struct SystemClock: RateLimitClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(seconds: TimeInterval) async throws {
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}

/// The former name of ``SystemClock``.
public typealias SystemRateLimitClock = SystemClock

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
