import Foundation

/// Where ``ChatworkClient`` takes its OAuth access token from before each request.
public protocol BearerTokenProvider: Sendable {
    /// A token that is valid now (renewed first when it is about to expire).
    func accessToken() async throws -> String
    /// The API refused `rejected` (HTTP 401): a fresh token, or the one another request or
    /// process already got in its place.
    func accessToken(replacingRejected rejected: String) async throws -> String
}

/// The persisted state of a grant as a ``RefreshingTokenProvider`` sees it.
public struct OAuthStoredTokens: Sendable, Equatable {
    public var tokens: OAuthTokenSet
    /// When tokens were last renewed by a refresh (nil: never since the login).
    public var lastRefreshedAt: Date?
    /// Set (durably) just before a refresh token is sent, cleared when the answer is saved: when
    /// it is found set, a refresh was interrupted and its refresh token may be spent.
    public var pendingRefreshSince: Date?

    public init(tokens: OAuthTokenSet, lastRefreshedAt: Date? = nil, pendingRefreshSince: Date? = nil) {
        self.tokens = tokens
        self.lastRefreshedAt = lastRefreshedAt
        self.pendingRefreshSince = pendingRefreshSince
    }
}

/// Persistence of a grant shared by every process that uses it (a credentials file).
public protocol OAuthTokenStore: Sendable {
    /// Waits for the exclusive lock (other processes included) and returns it held.
    func lock() async throws -> any OAuthTokenStoreLease
}

/// The exclusive lock on a store. Read after taking it (another holder may have rotated the
/// tokens), write durably before using new tokens, and release.
public protocol OAuthTokenStoreLease: Sendable {
    /// The tokens as they are stored now.
    func read() throws -> OAuthStoredTokens
    /// Replaces the stored tokens durably (written, synced, renamed into place).
    func write(_ tokens: OAuthStoredTokens) throws
    /// Gives the lock up.
    func release()
}
