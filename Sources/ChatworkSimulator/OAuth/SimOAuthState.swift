import Foundation

/// An authorization code handed out by the authorization endpoint.
struct SimOAuthCode: Sendable {
    var clientID: String
    var redirectURI: String
    var scope: String
    var challenge: String?
    var accountID: Int
    var expires: Date
    var used = false
    /// The tokens issued for it (revoked if the code is presented a second time).
    var grantID: String?
}

/// One grant: the chain of tokens that came from one approved authorization.
struct SimOAuthGrant: Sendable {
    var clientID: String
    var accountID: Int
    var scope: String
    var revoked = false
}

struct SimAccessToken: Sendable {
    var grantID: String
    var expires: Date
}

struct SimRefreshToken: Sendable {
    var grantID: String
    /// nil: never expires (`offline_access`).
    var expires: Date?
    /// Rotated away: presenting it again is `invalid_grant`.
    var spent = false
}

/// Everything the OAuth server remembers, behind its own lock.
struct SimOAuthState: Sendable {
    var settings: SimOAuthSettings
    var clients: [String: SimOAuthClient] = [:]
    var codes: [String: SimOAuthCode] = [:]
    var grants: [String: SimOAuthGrant] = [:]
    var accessTokens: [String: SimAccessToken] = [:]
    var refreshTokens: [String: SimRefreshToken] = [:]
    /// One line per OAuth request, without secrets: "POST /token refresh_token 200".
    var log: [String] = []
    var refreshes = 0
    /// Refresh tokens presented after they had been rotated away.
    var spentRefreshTokenUses = 0
    /// API requests refused because their access token had expired.
    var expiredTokenRejections = 0
}

/// Why the API refuses an OAuth access token.
enum SimAccessTokenVerdict: Sendable, Equatable {
    case valid(accountID: Int)
    case expired
    case revoked
    case unknown
}
