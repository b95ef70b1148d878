/// How often a room must be archived so that the newest-100 window never slides past unseen
/// messages, estimated from the archive's own history: the room's message rate over the last
/// 14 days before the newest run (or since its oldest archived message, at least one day, gaps'
/// estimated missing messages included) against the observed interval between runs.
public struct GapRisk: Encodable, Sendable, Equatable {
    /// Messages a day, rounded to 0.1.
    public var messagesPerDay: Double
    /// The longest interval between runs that keeps the expected new messages within the
    /// threshold (nil: the room has no messages to go by).
    public var safeIntervalHours: Double?
    /// More than ``GapForecast/threshold`` new messages are expected between two runs.
    public var atRisk: Bool
    /// The interval between runs the estimate assumes (observed, or 24 hours before two runs exist).
    public var runIntervalHours: Double
    /// New messages expected between two runs at that interval.
    public var expectedPerRun: Double

    enum CodingKeys: String, CodingKey {
        case messagesPerDay = "messages_per_day", safeIntervalHours = "safe_interval_hours", atRisk = "at_risk"
        case runIntervalHours = "run_interval_hours", expectedPerRun = "expected_per_run"
    }

    /// Every key always present (`safe_interval_hours` is null for a room without messages).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(messagesPerDay, forKey: .messagesPerDay)
        try c.encode(safeIntervalHours, forKey: .safeIntervalHours)
        try c.encode(atRisk, forKey: .atRisk)
        try c.encode(runIntervalHours, forKey: .runIntervalHours)
        try c.encode(expectedPerRun, forKey: .expectedPerRun)
    }
}

public enum GapForecast {
    /// Expected new messages between two runs beyond which a room is at risk (of the 100-message window).
    public static let threshold = 70.0
    /// The interval assumed before the archive has two runs to measure (a nightly run).
    public static let assumedInterval = 86_400.0
    /// The shortest span a rate is measured over (a burst just before the first run is not a rate).
    public static let minimumSpan = 86_400.0

    /// Gaps between runs shorter than this are reruns (by hand, or after a failure), not the schedule.
    public static let shortestInterval = 300.0

    /// The observed run interval: the median of the gaps between consecutive run starts (reruns
    /// within 5 minutes left out).
    public static func runInterval(runStarts: [Int]) -> (seconds: Double, observed: Bool) {
        let starts = runStarts.sorted()
        let gaps = zip(starts.dropFirst(), starts).map { Double($0 - $1) }.filter { $0 >= shortestInterval }.sorted()
        guard !gaps.isEmpty else { return (assumedInterval, false) }
        let mid = gaps.count / 2
        let median = gaps.count % 2 == 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2
        return (median, true)
    }

    /// - Parameters:
    ///   - messages: messages the room sent between `windowStart` (or its oldest archived message,
    ///     if later) and `reference`, plus the estimated missing ones of gaps in that time.
    ///   - oldestMessage: the send time of the room's oldest archived message.
    public static func risk(messages: Int, windowStart: Int, oldestMessage: Int?, reference: Int, runInterval: Double) -> GapRisk {
        let start = max(windowStart, oldestMessage ?? reference)
        let span = max(Double(reference - start), minimumSpan)
        let perDay = Double(max(0, messages)) / (span / 86_400)
        let expected = perDay * runInterval / 86_400
        let safe: Double? = perDay > 0 ? threshold / perDay * 24 : nil
        return GapRisk(messagesPerDay: (perDay * 10).rounded() / 10, safeIntervalHours: safe.map { ($0 * 10).rounded() / 10 },
                       atRisk: expected > threshold, runIntervalHours: (runInterval / 3_600 * 10).rounded() / 10,
                       expectedPerRun: (expected * 10).rounded() / 10)
    }
}
