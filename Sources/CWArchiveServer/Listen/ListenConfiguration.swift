import CWArchiveCore
import Foundation

/// Everything `cwarchive listen` needs, checked: where to listen, which tokens, how often to commit.
public struct ListenConfiguration: Sendable {
    /// Port without TLS (behind a reverse proxy that terminates HTTPS).
    public static let defaultPlainPort = 8080
    /// Port with `--tls-cert`/`--tls-key`.
    public static let defaultTLSPort = 8443
    public static let defaultPath = "/chatwork/webhook"
    public static let defaultCommitInterval = 60

    public var bind: BindAddress
    /// The request path deliveries are posted to.
    public var path: String
    public var roomTokens: [Int: WebhookToken]
    public var accountToken: WebhookToken?
    /// PEM certificate chain and private key, when the listener terminates TLS itself.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Seconds between commits of the spool.
    public var commitInterval: Int
    /// How long a stop waits for another writer's lock before leaving the spool to the next run.
    public var finalCommitWait: Double = 20

    public init(bind: BindAddress, path: String = ListenConfiguration.defaultPath, roomTokens: [Int: WebhookToken],
                accountToken: WebhookToken? = nil, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil,
                commitInterval: Int = ListenConfiguration.defaultCommitInterval) {
        self.bind = bind
        self.path = path
        self.roomTokens = roomTokens
        self.accountToken = accountToken
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.commitInterval = commitInterval
    }

    public var usesTLS: Bool { tlsCertificatePath != nil }

    /// Checks a `--path` value: it starts with `/`, has no query, fragment, spaces or control characters.
    public static func checkPath(_ path: String) throws(UsageError) -> String {
        let ok = path.hasPrefix("/") && path.utf8.count <= 512
            && !path.unicodeScalars.contains { UnicodeRules.isControl($0) || $0 == " " || $0 == "?" || $0 == "#" || $0 == "%" }
        guard ok else {
            throw UsageError("--path: \(TerminalText.quoted(path, limit: 80)) is not a request path (give one that starts with /, without spaces, ? or #, e.g. /chatwork/webhook)")
        }
        return path
    }

    /// Parses a `--webhook ROOM_ID=TOKEN_FILE` value (the file is read later).
    public static func parseWebhook(_ value: String) throws(UsageError) -> (roomID: Int, file: String) {
        let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let room = Int(parts[0]), room > 0, !parts[1].isEmpty else {
            throw UsageError("--webhook: \(TerminalText.quoted(value, limit: 80)) is not ROOM_ID=TOKEN_FILE (a room id, =, and the path of a file holding that room webhook's token, e.g. 123456=/etc/cwarchive/room-123456.token)")
        }
        return (room, String(parts[1]))
    }
}
