import ChatworkAPI
import Foundation

/// The contents of an OAuth credentials file (`~/.config/cwarchive/oauth.json`, mode 0600):
/// the grant's tokens with absolute times, and what is needed to refresh them. The client
/// secret itself is never in it, only the file it is read from.
///
/// `description` shows no token.
public struct OAuthCredentials: Codable, Sendable, Equatable {
    public static let formatName = "cwarchive-oauth-credentials"

    public var format = OAuthCredentials.formatName
    public var version = 1
    public var clientID: String
    /// `confidential` (HTTP Basic with a secret) or `public` (client id in the body).
    public var clientType: String
    /// Where the client secret comes from (absolute path of a 0600 file); nil for a public client.
    public var clientSecretFile: String?
    public var tokenURL: String
    public var redirectURI: String
    public var scope: String
    public var tokenType: String
    public var accessToken: String
    public var accessTokenObtainedAt: Date
    public var accessTokenExpiresAt: Date
    public var refreshToken: String?
    public var loggedInAt: Date
    public var lastRefreshedAt: Date?
    /// Set while a refresh is under way; found set, it means a refresh was interrupted.
    public var refreshPendingSince: Date?

    enum CodingKeys: String, CodingKey {
        case format, version, scope
        case clientID = "client_id", clientType = "client_type", clientSecretFile = "client_secret_file"
        case tokenURL = "token_url", redirectURI = "redirect_uri", tokenType = "token_type"
        case accessToken = "access_token", accessTokenObtainedAt = "access_token_obtained_at"
        case accessTokenExpiresAt = "access_token_expires_at", refreshToken = "refresh_token"
        case loggedInAt = "logged_in_at", lastRefreshedAt = "last_refreshed_at", refreshPendingSince = "refresh_pending_since"
    }

    public init(clientID: String, clientSecretFile: String?, tokenURL: String, redirectURI: String, tokens: OAuthTokenSet, loggedInAt: Date) {
        self.clientID = clientID
        self.clientType = clientSecretFile == nil ? "public" : "confidential"
        self.clientSecretFile = clientSecretFile
        self.tokenURL = tokenURL
        self.redirectURI = redirectURI
        self.scope = tokens.scope
        self.tokenType = tokens.tokenType
        self.accessToken = tokens.accessToken
        self.accessTokenObtainedAt = tokens.obtainedAt
        self.accessTokenExpiresAt = tokens.expiresAt
        self.refreshToken = tokens.refreshToken
        self.loggedInAt = loggedInAt
    }

    /// The token part, as the refreshing provider sees it.
    public var stored: OAuthStoredTokens {
        get {
            OAuthStoredTokens(
                tokens: OAuthTokenSet(accessToken: accessToken, refreshToken: refreshToken, tokenType: tokenType, scope: scope,
                                      obtainedAt: accessTokenObtainedAt, expiresAt: accessTokenExpiresAt),
                lastRefreshedAt: lastRefreshedAt, pendingRefreshSince: refreshPendingSince)
        }
        set {
            accessToken = newValue.tokens.accessToken
            refreshToken = newValue.tokens.refreshToken
            tokenType = newValue.tokens.tokenType
            if !newValue.tokens.scope.isEmpty { scope = newValue.tokens.scope }
            accessTokenObtainedAt = newValue.tokens.obtainedAt
            accessTokenExpiresAt = newValue.tokens.expiresAt
            lastRefreshedAt = newValue.lastRefreshedAt
            refreshPendingSince = newValue.pendingRefreshSince
        }
    }

    /// Why the file cannot be used, or nil.
    var problem: String? {
        if format != Self.formatName { return "it is not a cwarchive OAuth credentials file (format \(TerminalText.quoted(format)))" }
        if version != 1 { return "it has version \(version); this cwarchive reads version 1" }
        if clientID.isEmpty { return "client_id is empty" }
        if clientType != "public" && clientType != "confidential" { return "client_type must be public or confidential" }
        if clientType == "confidential" && (clientSecretFile ?? "").isEmpty { return "a confidential client needs client_secret_file" }
        if accessToken.isEmpty { return "access_token is empty" }
        return nil
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

extension OAuthCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "OAuthCredentials(client_id: \(clientID), \(clientType), scope: \(scope), access_token: <redacted>, refresh_token: \(refreshToken == nil ? "none" : "<redacted>"))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["clientID": clientID, "clientType": clientType, "scope": scope,
                                "accessToken": "<redacted>", "refreshToken": refreshToken == nil ? "none" : "<redacted>"], displayStyle: .struct)
    }
}
