import Foundation

/// Settings of a ``ChatworkClient``.
public struct ChatworkClientConfiguration: Sendable {
    /// `https://api.chatwork.com/v2`.
    public static let defaultBaseURL = URL(string: "https://api.chatwork.com/v2")!
    /// The environment variable that overrides the base URL (a proxy, the simulator, another host).
    public static let baseURLEnvironmentVariable = "CHATWORK_API_BASE"

    /// The API root; paths like `/rooms` are appended to it.
    public var baseURL: URL
    /// How many times a failed GET is tried again (5xx, timeouts, dropped connections, bodies that
    /// do not decode) before the last error is thrown. 429 answers are counted separately.
    public var maxRetries: Int = 5
    /// How many 429 answers in a row are waited out before giving up.
    public var maxRateLimitWaits: Int = 10
    /// Seconds one API request may take in total.
    public var requestTimeout: TimeInterval = 30
    /// Seconds to wait for a connection to open (a refused connection is retried until then).
    public var connectTimeout: TimeInterval = 10
    /// Seconds without any byte received before a download is considered dead.
    public var downloadIdleTimeout: TimeInterval = 60
    /// Seconds a whole download may take.
    public var downloadTimeout: TimeInterval = 3600
    public var userAgent: String = "cwarchive (ChatworkAPI client)"
    /// First retry delay in seconds; doubles with each attempt, with jitter.
    public var backoffBase: TimeInterval = 0.5
    /// Upper bound for one retry delay in seconds.
    public var backoffMaximum: TimeInterval = 30
    /// Pacing settings; see ``RateLimiter``.
    public var rateLimit: RateLimiter.Settings = .init()
    /// Largest JSON body accepted, in bytes.
    public var maxResponseBytes: Int = 64 * 1024 * 1024

    public init(baseURL: URL = ChatworkClientConfiguration.defaultBaseURL, userAgent: String? = nil) {
        self.baseURL = baseURL
        if let userAgent { self.userAgent = userAgent }
    }

    /// The base URL to use: the `--api-base` flag if given, else `CHATWORK_API_BASE`, else the
    /// default. It must be an absolute `https` URL; plain `http` is accepted only for a loopback
    /// host (the simulator), because the token travels in a header. A trailing `/` is removed.
    public static func resolveBaseURL(flag: String?, environment: [String: String]) throws -> URL {
        let chosen: (text: String, source: String)?
        if let flag, !flag.trimmingCharacters(in: .whitespaces).isEmpty {
            chosen = (flag, "--api-base")
        } else if let env = environment[baseURLEnvironmentVariable], !env.trimmingCharacters(in: .whitespaces).isEmpty {
            chosen = (env, baseURLEnvironmentVariable)
        } else {
            chosen = nil
        }
        guard let chosen else { return defaultBaseURL }
        var text = chosen.text.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, let url = components.url
        else {
            throw ConfigurationError.invalidBaseURL(value: chosen.text, source: chosen.source,
                reason: "it is not an absolute URL like https://api.chatwork.com/v2")
        }
        if components.query != nil || components.fragment != nil {
            throw ConfigurationError.invalidBaseURL(value: chosen.text, source: chosen.source,
                reason: "it must not contain a query (?) or fragment (#)")
        }
        switch scheme {
        case "https":
            return url
        case "http" where isLoopback(host):
            return url
        case "http":
            throw ConfigurationError.invalidBaseURL(value: chosen.text, source: chosen.source,
                reason: "plain http would send the API token unencrypted; use https (http is allowed only for localhost)")
        default:
            throw ConfigurationError.invalidBaseURL(value: chosen.text, source: chosen.source,
                reason: "the scheme must be https")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// A setting that cannot be used.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case invalidBaseURL(value: String, source: String, reason: String)

    public var description: String {
        switch self {
        case .invalidBaseURL(let value, let source, let reason):
            return "The API base URL \"\(value)\" (from \(source)) cannot be used: \(reason)."
        }
    }

    public var errorDescription: String? { description }
}
