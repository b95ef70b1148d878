import Foundation

/// What `GET /rooms/{id}/messages/{message_id}` answers for a deleted message.
/// (Lists never show deleted messages.)
public enum DeletedMessageLookup: Sendable, Equatable {
    /// 200 with body `[deleted]` and `update_time` = time of deletion (the default; it is how the
    /// `[deleted]` tag of the markup reaches clients).
    case deletedBody
    /// 404, as for a message that never existed.
    case notFound
}

/// How the simulator behaves: limits, lifetimes, faults and its clock.
public struct SimulatorConfiguration: Sendable {
    /// Requests allowed per token and window (the real service: 300 per 5 minutes).
    public var rateLimit: Int = 300
    /// Length of a rate-limit window in seconds.
    public var rateWindow: TimeInterval = 300
    /// How long a `download_url` works, in seconds (the real service: 30).
    public var downloadURLLifetime: TimeInterval = 30
    /// Faults injected from the start; change them later with `ChatworkSimulator.setFaults(_:)`.
    public var faults: FaultConfiguration = .none
    /// The clock for rate windows, URL lifetimes and the message-limitation window.
    public var clock: SimulatorClock = SimulatorClock()
    /// What a lookup by id of a deleted message answers.
    public var deletedMessageLookup: DeletedMessageLookup = .deletedBody
    /// Adds members the real API does not have (yet) to JSON answers, as a later version of the
    /// API might: `x_future_field` on every object of the answer (or of the list), and
    /// `x_future_flag` in every `account`. For testing that an archive loses none of them.
    public var futureFields = false

    public init(
        rateLimit: Int = 300,
        rateWindow: TimeInterval = 300,
        downloadURLLifetime: TimeInterval = 30,
        faults: FaultConfiguration = .none,
        clock: SimulatorClock = SimulatorClock(),
        deletedMessageLookup: DeletedMessageLookup = .deletedBody
    ) {
        self.rateLimit = rateLimit
        self.rateWindow = rateWindow
        self.downloadURLLifetime = downloadURLLifetime
        self.faults = faults
        self.clock = clock
        self.deletedMessageLookup = deletedMessageLookup
    }
}

/// Faults to inject, for testing a client's error handling. Decisions come from a generator
/// seeded with `seed`, so a run is reproducible when requests arrive in the same order.
public struct FaultConfiguration: Sendable, Equatable {
    /// Which requests the rate-based faults, latency, drops and truncation apply to.
    public struct Scope: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Requests under `/v2`.
        public static let api = Scope(rawValue: 1)
        /// Requests of `download_url`s.
        public static let download = Scope(rawValue: 2)
        public static let all: Scope = [.api, .download]
    }

    /// Fraction (0...1) of requests answered 500, 502 or 503.
    public var errorRate: Double = 0
    /// Added delay before each request in scope is answered, in seconds.
    public var latency: TimeInterval = 0
    /// Fraction of requests whose connection is closed without any response.
    public var dropRate: Double = 0
    /// Fraction of responses sent with a `Content-Length` larger than the bytes sent, then closed.
    public var truncateRate: Double = 0
    /// Fraction of API responses with a JSON body whose body is cut into invalid JSON (200 status).
    public var malformedJSONRate: Double = 0
    /// Fraction of API responses sent with `Content-Type: text/html` instead of JSON.
    public var wrongContentTypeRate: Double = 0
    /// The next N API requests answer 429 (a storm), whatever the real count.
    public var storm429Count: Int = 0
    /// Every download URL is treated as expired (403 with an XML error, like S3).
    public var expireDownloadURLs: Bool = false
    /// Download URLs answer 200 with an HTML error page instead of the file.
    public var downloadHTMLErrorPage: Bool = false
    /// Where `errorRate`, `latency`, `dropRate` and `truncateRate` apply.
    public var scope: Scope = .all
    /// Seed of the fault generator.
    public var seed: UInt64 = 1

    public init(
        errorRate: Double = 0, latency: TimeInterval = 0, dropRate: Double = 0, truncateRate: Double = 0,
        malformedJSONRate: Double = 0, wrongContentTypeRate: Double = 0, storm429Count: Int = 0,
        expireDownloadURLs: Bool = false, downloadHTMLErrorPage: Bool = false, scope: Scope = .all, seed: UInt64 = 1
    ) {
        self.errorRate = errorRate
        self.latency = latency
        self.dropRate = dropRate
        self.truncateRate = truncateRate
        self.malformedJSONRate = malformedJSONRate
        self.wrongContentTypeRate = wrongContentTypeRate
        self.storm429Count = storm429Count
        self.expireDownloadURLs = expireDownloadURLs
        self.downloadHTMLErrorPage = downloadHTMLErrorPage
        self.scope = scope
        self.seed = seed
    }

    /// No faults at all.
    public static let none = FaultConfiguration()
}
