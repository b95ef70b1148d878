import Foundation

/// Chatwork's OAuth 2.0 endpoints and the scopes a backup needs.
public enum OAuthEndpoints {
    /// Where the user approves the client: `https://www.chatwork.com/packages/oauth2/login.php`.
    public static let defaultAuthorizeURL = URL(string: "https://www.chatwork.com/packages/oauth2/login.php")!
    /// Where codes and refresh tokens are exchanged: `https://oauth.chatwork.com/token`.
    public static let defaultTokenURL = URL(string: "https://oauth.chatwork.com/token")!
    /// The read-only scopes of a full backup.
    public static let readScopes = ["rooms.all:read", "users.all:read", "contacts.all:read"]
    /// The default scope: the read scopes plus `offline_access` (a refresh token without expiry).
    public static let defaultScope = (readScopes + ["offline_access"]).joined(separator: " ")

    /// Checks an endpoint URL: absolute `https`, or `http` only on a loopback host (the simulator),
    /// without a fragment. `name` is the flag it came from, for the message.
    public static func validate(_ text: String, name: String) throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty, let url = components.url
        else {
            throw OAuthError.invalidEndpoint(name: name, reason: "it is not an absolute URL like https://oauth.chatwork.com/token")
        }
        if components.fragment != nil {
            throw OAuthError.invalidEndpoint(name: name, reason: "it must not contain a fragment (#)")
        }
        if components.user != nil || components.password != nil {
            throw OAuthError.invalidEndpoint(name: name, reason: "it must not contain a user name or password")
        }
        switch scheme {
        case "https": return url
        case "http" where ChatworkClientConfiguration.isLoopback(host): return url
        case "http": throw OAuthError.invalidEndpoint(name: name, reason: "plain http would send secrets unencrypted; use https (http is allowed only for localhost)")
        default: throw OAuthError.invalidEndpoint(name: name, reason: "the scheme must be https")
        }
    }
}
