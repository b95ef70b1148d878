import Foundation

/// An OAuth client registered with the simulator, as a developer registers one in Chatwork.
public struct SimOAuthClient: Sendable, Equatable {
    public var clientID: String
    /// The secret of a confidential client (HTTP Basic at the token endpoint); nil for a public client.
    public var clientSecret: String?
    /// The redirect URIs the client registered; the authorization request must use one exactly.
    public var redirectURIs: [String]
    /// The account that approves every authorization request of this client.
    public var accountID: Int

    public init(clientID: String, clientSecret: String?, redirectURIs: [String], accountID: Int) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURIs = redirectURIs
        self.accountID = accountID
    }

    public var isConfidential: Bool { clientSecret != nil }
}

/// Lifetimes and behaviour of the simulator's OAuth server.
public struct SimOAuthSettings: Sendable, Equatable {
    /// Seconds an access token works (the real service: 900).
    public var accessTokenLifetime: TimeInterval = 900
    /// Seconds an authorization code can be exchanged (the real service: 60).
    public var codeLifetime: TimeInterval = 60
    /// Seconds a refresh token works without `offline_access` (the real service: 14 days).
    public var refreshTokenLifetime: TimeInterval = 14 * 86_400
    /// Whether the user declines at the authorization endpoint (`error=access_denied`).
    public var denyAuthorization = false
    /// Whether a refresh answers a new refresh token and invalidates the old one (rotation).
    public var rotateRefreshTokens = true

    public init(accessTokenLifetime: TimeInterval = 900, codeLifetime: TimeInterval = 60,
                refreshTokenLifetime: TimeInterval = 14 * 86_400, denyAuthorization: Bool = false,
                rotateRefreshTokens: Bool = true) {
        self.accessTokenLifetime = accessTokenLifetime
        self.codeLifetime = codeLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.denyAuthorization = denyAuthorization
        self.rotateRefreshTokens = rotateRefreshTokens
    }
}

/// The scopes Chatwork knows (the read and write scopes of the API, and `offline_access`).
enum SimOAuthScopes {
    static let known: Set<String> = [
        "rooms.all:read_write", "rooms.all:read", "rooms.all:write", "rooms:read", "rooms.info:read", "rooms.info:write",
        "rooms.members:read", "rooms.members:write", "rooms.messages:read", "rooms.messages:write", "rooms.tasks:read",
        "rooms.tasks:write", "rooms.files:read", "rooms.files:write", "users.all:read", "users.profile.me:read",
        "users.tasks.me:read", "users.status.me:read", "contacts.all:read_write", "contacts.all:read", "contacts.all:write",
        "offline_access",
    ]
}
