import Foundation

/// Counters of one ``ChatworkClient``, for progress reports and the run summary.
public struct ClientStatistics: Sendable, Equatable {
    /// API requests sent, retries included (downloads not included).
    public var requests: Int = 0
    /// 429 answers met.
    public var rateLimitedResponses: Int = 0
    /// Requests tried again after a 5xx, timeout, dropped connection or unreadable body.
    public var retries: Int = 0
    /// Seconds spent waiting to stay within the rate limit (pacing and 429 waits).
    public var rateLimitWaitSeconds: TimeInterval = 0
    /// Files downloaded completely.
    public var downloads: Int = 0
    /// Bytes of files downloaded completely.
    public var bytesDownloaded: Int64 = 0
    /// The last rate-limit state the server reported.
    public var lastRateLimit: RateLimitState?

    public init() {}
}
