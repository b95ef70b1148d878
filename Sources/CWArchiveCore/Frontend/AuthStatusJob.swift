import ChatworkAPI
import Foundation

/// `cwarchive auth status`: what a credentials file holds, without a token or a secret.
public struct AuthStatusJob: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    public var credentialsPath: String?
    public var format: Format = .text
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var clock: any NowProvider = SystemClock()

    public init() {}

    /// The facts shown, in the JSON field names of `--format json`.
    public struct Report: Encodable, Sendable, Equatable {
        public var credentials: String
        public var clientID: String
        public var clientType: String
        public var clientSecretFile: String?
        public var scope: String
        public var tokenURL: String
        public var accessTokenExpiresAt: String
        public var accessTokenExpired: Bool
        public var accessTokenExpiresInSeconds: Int
        public var refreshTokenHeld: Bool
        public var loggedInAt: String
        public var lastRefreshedAt: String?
        public var refreshInterruptedAt: String?

        enum CodingKeys: String, CodingKey {
            case credentials, scope
            case clientID = "client_id", clientType = "client_type", clientSecretFile = "client_secret_file"
            case tokenURL = "token_url", accessTokenExpiresAt = "access_token_expires_at"
            case accessTokenExpired = "access_token_expired", accessTokenExpiresInSeconds = "access_token_expires_in_seconds"
            case refreshTokenHeld = "refresh_token_held", loggedInAt = "logged_in_at"
            case lastRefreshedAt = "last_refreshed_at", refreshInterruptedAt = "refresh_interrupted_at"
        }

        /// Every field is always present; unknown times and a public client's secret file are `null`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(credentials, forKey: .credentials)
            try c.encode(clientID, forKey: .clientID)
            try c.encode(clientType, forKey: .clientType)
            try c.encode(clientSecretFile, forKey: .clientSecretFile)
            try c.encode(scope, forKey: .scope)
            try c.encode(tokenURL, forKey: .tokenURL)
            try c.encode(accessTokenExpiresAt, forKey: .accessTokenExpiresAt)
            try c.encode(accessTokenExpired, forKey: .accessTokenExpired)
            try c.encode(accessTokenExpiresInSeconds, forKey: .accessTokenExpiresInSeconds)
            try c.encode(refreshTokenHeld, forKey: .refreshTokenHeld)
            try c.encode(loggedInAt, forKey: .loggedInAt)
            try c.encode(lastRefreshedAt, forKey: .lastRefreshedAt)
            try c.encode(refreshInterruptedAt, forKey: .refreshInterruptedAt)
        }
    }

    /// The report of the credentials at `url` at `now`.
    public static func report(_ c: OAuthCredentials, file: URL, now: Date) -> Report {
        let utc = TimeFormatter(timeZone: TimeZone(secondsFromGMT: 0)!)
        func iso(_ d: Date) -> String { utc.iso(Int(d.timeIntervalSince1970.rounded(.down))) }
        let remaining = Int(c.accessTokenExpiresAt.timeIntervalSince(now).rounded(.down))
        return Report(credentials: file.path, clientID: c.clientID, clientType: c.clientType, clientSecretFile: c.clientSecretFile,
                      scope: c.scope, tokenURL: c.tokenURL, accessTokenExpiresAt: iso(c.accessTokenExpiresAt),
                      accessTokenExpired: remaining <= 0, accessTokenExpiresInSeconds: remaining,
                      refreshTokenHeld: !(c.refreshToken ?? "").isEmpty, loggedInAt: iso(c.loggedInAt),
                      lastRefreshedAt: c.lastRefreshedAt.map(iso), refreshInterruptedAt: c.refreshPendingSince.map(iso))
    }

    public func run(console: Console) -> ExitStatus {
        let file = CredentialsFile.resolve(credentialsPath ?? CredentialsFile.defaultPath(environment: environment))
        let credentials: OAuthCredentials
        do { credentials = try CredentialsFile.read(file) } catch {
            console.warn(TerminalText.sanitize("\(error)"))
            return .fatal
        }
        let r = Self.report(credentials, file: file, now: clock.now())
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(r) else { return .fatal }
            console.out(String(decoding: data, as: UTF8.self))
        case .text:
            for line in Self.text(r) { console.out(TerminalText.sanitize(line)) }
        }
        return .ok
    }

    static func text(_ r: Report) -> [String] {
        var lines = [
            "credentials: \(r.credentials)",
            "client id: \(r.clientID) (\(r.clientType)\(r.clientSecretFile.map { "; secret read from \($0)" } ?? ""))",
            "scope: \(r.scope)",
            "token url: \(r.tokenURL)",
        ]
        if r.accessTokenExpired {
            lines.append("access token: expired at \(r.accessTokenExpiresAt) (renewed by the next run)")
        } else {
            lines.append("access token: expires \(r.accessTokenExpiresAt) (in \(duration(r.accessTokenExpiresInSeconds)))")
        }
        lines.append("refresh token: \(r.refreshTokenHeld ? "held" : "none (run `cwarchive auth login` again)")")
        lines.append("logged in: \(r.loggedInAt)")
        lines.append("last refreshed: \(r.lastRefreshedAt ?? "never")")
        if let interrupted = r.refreshInterruptedAt {
            lines.append("warning: a refresh was interrupted at \(interrupted); if the next run reports a refused refresh token, run `cwarchive auth login` again")
        }
        return lines
    }

    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        if seconds < 86_400 { return "\(seconds / 3600) h \((seconds % 3600) / 60) min" }
        return "\(seconds / 86_400) d"
    }
}
