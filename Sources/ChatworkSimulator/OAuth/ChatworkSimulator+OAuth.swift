import Foundation

extension ChatworkSimulator {
    /// The OAuth server: register clients, change lifetimes, revoke grants, read its counters.
    public var oauth: SimOAuthServer { core.oauth }

    /// `http://127.0.0.1:PORT/packages/oauth2/login.php` (pass to `--oauth-authorize-url`).
    public var oauthAuthorizeURL: URL {
        URL(string: core.origin.withLock { $0 } + SimOAuthServer.authorizePath) ?? URL(fileURLWithPath: "/")
    }

    /// `http://127.0.0.1:PORT/token` (pass to `--oauth-token-url`).
    public var oauthTokenURL: URL {
        URL(string: core.origin.withLock { $0 } + SimOAuthServer.tokenPath) ?? URL(fileURLWithPath: "/")
    }
}
