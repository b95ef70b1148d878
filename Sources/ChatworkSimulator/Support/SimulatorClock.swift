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

    /// A clock that follows the system time.
    public init() {
        state = Locked((nil, 0))
    }

    /// A clock frozen at `date` until it is advanced or set.
    public init(fixedAt date: Date) {
        state = Locked((date, 0))
    }

    /// The current simulated time.
    public var now: Date {
        state.withLock { value in
            (value.fixed ?? Date()).addingTimeInterval(value.offset)
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
