import Crypto
import Foundation

/// A fake of Chatwork's OAuth 2.0 server (Authorization Code grant with PKCE S256).
///
/// - `GET /packages/oauth2/login.php`: approves at once as the client's account and redirects
///   (302) to the redirect URI with `code` and `state` (or `error=access_denied` when
///   `denyAuthorization` is set). An unknown client or an unregistered redirect URI gets a 400
///   page and no redirect, as a real server must.
/// - `POST /token` (form body): authenticates a confidential client by HTTP Basic and a public one
///   by `client_id` in the body; `authorization_code` checks the code's single use (a second use
///   revokes what the first issued), its 1-minute expiry, the redirect URI and the PKCE verifier;
///   `refresh_token` rotates (the old refresh token is spent). Errors are
///   `{"error": …, "error_description": …}` (400; 401 with `WWW-Authenticate` for `invalid_client`).
/// - Access tokens expire after `accessTokenLifetime` on the simulator's clock; the API then
///   answers 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
public final class SimOAuthServer: Sendable {
    let state: Locked<SimOAuthState>
    let clock: SimulatorClock

    init(clock: SimulatorClock, settings: SimOAuthSettings = .init()) {
        self.clock = clock
        self.state = Locked(SimOAuthState(settings: settings))
    }

    /// The path of the authorization endpoint.
    public static let authorizePath = "/packages/oauth2/login.php"
    /// The path of the token endpoint.
    public static let tokenPath = "/token"

    /// Registers (or replaces) a client.
    public func register(_ client: SimOAuthClient) {
        state.withLock { $0.clients[client.clientID] = client }
    }

    /// Lifetimes and behaviour; change them at any time.
    public var settings: SimOAuthSettings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    /// Revokes every grant of a client, as a user does under "connected apps": its access and
    /// refresh tokens stop working at once.
    public func revokeGrants(clientID: String) {
        state.withLock { st in
            for (id, grant) in st.grants where grant.clientID == clientID { st.grants[id]?.revoked = true }
        }
    }

    /// Makes every access token issued so far expired now (the refresh tokens keep working).
    public func expireAccessTokens() {
        let now = clock.now
        state.withLock { st in
            for key in st.accessTokens.keys { st.accessTokens[key]?.expires = now }
        }
    }

    /// Refreshes answered with new tokens.
    public var refreshCount: Int { state.withLock { $0.refreshes } }
    /// Refresh tokens presented again after rotation (a client that lost the newest one).
    public var spentRefreshTokenUses: Int { state.withLock { $0.spentRefreshTokenUses } }
    /// API requests refused because their access token had expired.
    public var expiredTokenRejections: Int { state.withLock { $0.expiredTokenRejections } }
    /// One line per OAuth request, without secrets.
    public func requestLog() -> [String] { state.withLock { $0.log } }
    /// Every access token issued so far (tests look for them in files and outputs).
    public var issuedAccessTokens: [String] { state.withLock { Array($0.accessTokens.keys) } }
    /// Every refresh token issued so far, spent ones included.
    public var issuedRefreshTokens: [String] { state.withLock { Array($0.refreshTokens.keys) } }
    /// The refresh tokens that still work.
    public var liveRefreshTokens: [String] {
        state.withLock { st in st.refreshTokens.filter { !$0.value.spent && st.grants[$0.value.grantID]?.revoked == false }.map(\.key) }
    }

    /// The API's view of an access token at `now`.
    func verdict(accessToken: String, now: Date) -> SimAccessTokenVerdict {
        state.withLock { st in
            guard let token = st.accessTokens[accessToken], let grant = st.grants[token.grantID] else { return .unknown }
            if grant.revoked { return .revoked }
            if now >= token.expires {
                st.expiredTokenRejections += 1
                return .expired
            }
            return .valid(accountID: grant.accountID)
        }
    }

    // MARK: Authorization endpoint

    func authorize(query: [String: String]) -> SimResponse {
        let now = clock.now
        return state.withLock { st in
            guard let clientID = query["client_id"], let client = st.clients[clientID] else {
                st.log.append("GET \(Self.authorizePath) 400 unknown client")
                return Self.page(400, "The client_id is not registered.")
            }
            guard let redirect = query["redirect_uri"], client.redirectURIs.contains(redirect) else {
                st.log.append("GET \(Self.authorizePath) 400 redirect_uri")
                return Self.page(400, "The redirect_uri is not registered for this client.")
            }
            let returnedState = query["state"]
            func fail(_ error: String, _ description: String) -> SimResponse {
                st.log.append("GET \(Self.authorizePath) 302 error=\(error)")
                return Self.redirect(redirect, ["error": error, "error_description": description, "state": returnedState])
            }
            guard query["response_type"] == "code" else { return fail("unsupported_response_type", "response_type must be code") }
            let scopes = (query["scope"] ?? "").split(separator: " ").map(String.init)
            guard !scopes.isEmpty else { return fail("invalid_scope", "no scope requested") }
            if let unknown = scopes.first(where: { !SimOAuthScopes.known.contains($0) }) {
                return fail("invalid_scope", "unknown scope \(unknown)")
            }
            if scopes.contains("offline_access") && !client.isConfidential {
                return fail("invalid_scope", "offline_access is available to confidential clients only")
            }
            let challenge = query["code_challenge"]
            if let challenge {
                guard query["code_challenge_method"] == "S256" else { return fail("invalid_request", "code_challenge_method must be S256") }
                guard challenge.count == 43 else { return fail("invalid_request", "code_challenge is not a S256 challenge") }
            } else if !client.isConfidential {
                return fail("invalid_request", "a public client must send code_challenge")
            }
            if st.settings.denyAuthorization { return fail("access_denied", "The user denied the request") }
            let code = Self.random("code")
            st.codes[code] = SimOAuthCode(clientID: clientID, redirectURI: redirect, scope: scopes.joined(separator: " "),
                                          challenge: challenge, accountID: client.accountID,
                                          expires: now.addingTimeInterval(st.settings.codeLifetime))
            st.log.append("GET \(Self.authorizePath) 302 code")
            return Self.redirect(redirect, ["code": code, "state": returnedState])
        }
    }

    static func redirect(_ uri: String, _ parameters: [String: String?]) -> SimResponse {
        var components = URLComponents(string: uri) ?? URLComponents()
        var items = components.queryItems ?? []
        for name in ["code", "error", "error_description", "state"] {
            if let value = parameters[name] ?? nil { items.append(URLQueryItem(name: name, value: value)) }
        }
        components.queryItems = items
        return SimResponse(status: 302, headers: [("Location", components.string ?? uri), ("Content-Type", "text/html; charset=utf-8")],
                           body: .bytes(Data("<p>Redirecting…</p>".utf8)))
    }

    static func page(_ status: Int, _ text: String) -> SimResponse {
        SimResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")],
                    body: .bytes(Data("<!doctype html><p>\(text)</p>".utf8)))
    }

    static func random(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "sim-\(prefix)-" + bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func challenge(of verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension SimOAuthServer {
    /// The `WWW-Authenticate` header of a 401 for an OAuth access token, nil for a valid one.
    static func challenge(for verdict: SimAccessTokenVerdict) -> String? {
        switch verdict {
        case .valid: return nil
        case .expired: return "Bearer error=\"invalid_token\", error_description=\"The access token expired\""
        case .revoked: return "Bearer error=\"invalid_token\", error_description=\"The access token was revoked\""
        case .unknown: return "Bearer error=\"invalid_token\""
        }
    }
}
