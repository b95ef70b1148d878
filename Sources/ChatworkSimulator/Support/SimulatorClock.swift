import Foundation

/// The simulator's notion of "now". Tests advance it instead of sleeping: rate-limit windows,
/// download-URL lifetimes, the message-limitation window and the times given to new messages
/// all read this clock.
///
/// ```swift
/// let clock = SimulatorClock()
/// let sim = ChatworkSimulator(workspace: ws, configuration: .init(clock: clock))
/// clock.advance(by: 31)   // every download URL handed out so far has expired
/// ```
public final class SimulatorClock: Sendable {
    private let state: Locked<(fixed: Date?, offset: TimeInterval)>
    /// The time followed while the clock is not frozen.
    private let source: @Sendable () -> Date

    /// A clock that follows the system time.
    public init() {
        state = Locked((nil, 0))
        source = { Date() }
    }

    /// A clock that follows `source` (until it is set): give it the `now()` of the client's
    /// injected clock and the simulator and the client share one timeline.
    ///
    /// ```swift
    /// let clock = ManualClock()
    /// let sim = SimulatorClock(following: { clock.now() })
    /// ```
    public init(following source: @escaping @Sendable () -> Date) {
        state = Locked((nil, 0))
        self.source = source
    }

    /// A clock frozen at `date` until it is advanced or set.
    public init(fixedAt date: Date) {
        state = Locked((date, 0))
        source = { Date() }
    }

    /// The current simulated time.
    public var now: Date {
        state.withLock { value in
            (value.fixed ?? source()).addingTimeInterval(value.offset)
        }
    }

    /// The current simulated time in Unix seconds.
    public var unixNow: Int {
        Int(now.timeIntervalSince1970.rounded(.down))
    }

    /// Moves the clock forward (or back, with a negative interval).
    public func advance(by interval: TimeInterval) {
        state.withLock { $0.offset += interval }
    }

    /// Freezes the clock at `date`.
    public func set(_ date: Date) {
        state.withLock { $0 = (date, 0) }
    }
}
