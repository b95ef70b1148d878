import Foundation

/// The tokens of one OAuth grant as the token endpoint gave them, with absolute times.
///
/// The tokens never appear in `description`, `debugDescription`, `dump` or interpolation.
public struct OAuthTokenSet: Sendable, Equatable {
    public var accessToken: String
    /// The newest refresh token (rotation: an older one is assumed spent once refreshed).
    public var refreshToken: String?
    /// `Bearer`.
    public var tokenType: String
    /// The scope granted, space-separated.
    public var scope: String
    /// When the access token was received.
    public var obtainedAt: Date
    /// When the access token expires (`obtainedAt + expires_in`).
    public var expiresAt: Date

    public init(accessToken: String, refreshToken: String?, tokenType: String = "Bearer", scope: String,
                obtainedAt: Date, expiresAt: Date) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.scope = scope
        self.obtainedAt = obtainedAt
        self.expiresAt = expiresAt
    }

    /// Seconds the access token lives in all.
    public var lifetime: TimeInterval { max(0, expiresAt.timeIntervalSince(obtainedAt)) }

    /// How long before expiry the token is renewed: 60 s or a fifth of its lifetime, whichever is smaller.
    public var refreshMargin: TimeInterval { min(60, lifetime / 5) }

    /// Whether the access token should be renewed before it is used at `now`.
    public func needsRefresh(at now: Date) -> Bool {
        now >= expiresAt.addingTimeInterval(-refreshMargin)
    }
}

extension OAuthTokenSet: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "OAuthTokenSet(access_token: <redacted>, refresh_token: \(refreshToken == nil ? "none" : "<redacted>"), scope: \(scope), expires_at: \(ISO8601DateFormatter().string(from: expiresAt)))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["accessToken": "<redacted>", "refreshToken": refreshToken == nil ? "none" : "<redacted>",
                                "scope": scope, "expiresAt": expiresAt], displayStyle: .struct)
    }
}

/// A client secret read from its own file; never printed.
public struct OAuthClientSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    public init(_ value: String) { self.value = value }

    /// Reads the secret from the first line of `url`, which must be readable only by its owner
    /// (mode 0600), like a token file.
    public static func read(from url: URL) throws -> OAuthClientSecret {
        do {
            return OAuthClientSecret(try ChatworkCredential.fromFile(url).secret)
        } catch let error as CredentialError {
            switch error {
            case .insecurePermissions(let path, let mode):
                throw OAuthSecretFileError(description: "the client secret file \(path) can be read by other users (mode \(String(mode, radix: 8))); run `chmod 600 \(path)`")
            case .emptyFile(let path):
                throw OAuthSecretFileError(description: "the client secret file \(path) is empty; put the client secret (from Chatwork's OAuth client settings) on its first line")
            case .unreadableFile(let path, let reason):
                throw OAuthSecretFileError(description: "cannot read the client secret file \(path): \(reason)")
            case .invalidToken(let path, let reason):
                throw OAuthSecretFileError(description: "the client secret in \(path) is not usable: \(reason); put only the secret on the first line")
            }
        }
    }

    public var description: String { "OAuthClientSecret(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["value": "<redacted>"], displayStyle: .struct) }
}

/// The client secret file cannot be used.
public struct OAuthSecretFileError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public let description: String
    public var errorDescription: String? { description }
}
