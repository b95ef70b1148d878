import Foundation

/// A clock that moves only when told, for tests and simulations: `now()` stays where it was set,
/// and `sleep(seconds:)` returns at once after moving the time forward by the seconds asked and
/// recording them. One instance can be the clock of a client, an archiver, an archive store and
/// (through `SimulatorClock(following: { clock.now() })`) a simulator, so they share one timeline.
public final class ManualClock: RateLimitClock, @unchecked Sendable {
    // @unchecked: `current` and `recordedSleeps` are only read and changed under `lock`.
    private let lock = NSLock()
    private var current: Date
    private var recordedSleeps: [TimeInterval] = []

    /// A clock standing at `start` (by default 2023-11-14T22:13:20Z, a fixed instant).
    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = start
    }

    public func now() -> Date {
        lock.withLock { current }
    }

    /// Records the wait and moves the time forward by it, without suspending for real.
    public func sleep(seconds: TimeInterval) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recordedSleeps.append(seconds)
            if seconds > 0, seconds.isFinite { current = current.addingTimeInterval(seconds) }
        }
    }

    /// Moves the time forward (or back, with a negative interval).
    public func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    /// Sets the time.
    public func set(_ date: Date) {
        lock.withLock { current = date }
    }

    /// Every wait asked of ``sleep(seconds:)`` so far, in order.
    public var sleeps: [TimeInterval] { lock.withLock { recordedSleeps } }
}
