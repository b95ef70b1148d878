import Foundation

/// The token endpoint: `authorization_code` and `refresh_token` grants.
extension SimOAuthServer {
    /// Answers `POST /token`. `authorization` is the `Authorization` header, `body` the form body.
    func token(method: String, contentType: String?, authorization: String?, body: Data) -> SimResponse {
        let now = clock.now
        return state.withLock { st in
            var grantName = "-"
            let response: SimResponse = {
                guard method == "POST" else { return Self.oauthError(405, "invalid_request", "the token endpoint accepts POST only") }
                guard contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
                    return Self.oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded")
                }
                guard let form = Self.form(body) else { return Self.oauthError(400, "invalid_request", "the body is not a valid form") }
                grantName = form["grant_type"].map { ["authorization_code", "refresh_token"].contains($0) ? $0 : "other" } ?? "none"
                let client: SimOAuthClient
                switch Self.authenticate(authorization: authorization, form: form, clients: st.clients) {
                case .success(let c): client = c
                case .failure(let answer): return answer.response
                }
                switch form["grant_type"] {
                case "authorization_code": return Self.exchangeCode(form, client: client, now: now, state: &st)
                case "refresh_token": return Self.refresh(form, client: client, now: now, state: &st)
                case nil: return Self.oauthError(400, "invalid_request", "grant_type is missing")
                default: return Self.oauthError(400, "unsupported_grant_type", "only authorization_code and refresh_token are supported")
                }
            }()
            st.log.append("\(method) \(Self.tokenPath) \(grantName) \(response.status)")
            return response
        }
    }

    /// HTTP Basic for a confidential client; `client_id` in the body for a public one.
    static func authenticate(authorization: String?, form: [String: String], clients: [String: SimOAuthClient]) -> Result<SimOAuthClient, ResponseError> {
        let invalid = ResponseError(oauthError(401, "invalid_client", "client authentication failed", challenge: true))
        if let authorization, authorization.lowercased().hasPrefix("basic ") {
            guard let data = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return .failure(invalid) }
            let id = String(text[..<colon]), secret = String(text[text.index(after: colon)...])
            guard let client = clients[id], let expected = client.clientSecret, constantTimeEqual(expected, secret) else { return .failure(invalid) }
            if let bodyID = form["client_id"], bodyID != id { return .failure(invalid) }
            return .success(client)
        }
        guard let id = form["client_id"], let client = clients[id] else { return .failure(invalid) }
        // A confidential client must authenticate with its secret.
        guard !client.isConfidential else { return .failure(invalid) }
        return .success(client)
    }

    static func exchangeCode(_ form: [String: String], client: SimOAuthClient, now: Date, state st: inout SimOAuthState) -> SimResponse {
        guard let code = form["code"], var entry = st.codes[code], entry.clientID == client.clientID else {
            return oauthError(400, "invalid_grant", "the authorization code is invalid")
        }
        if entry.used {
            // RFC 6749 §4.1.2: a code used twice revokes what it issued.
            if let grant = entry.grantID { st.grants[grant]?.revoked = true }
            return oauthError(400, "invalid_grant", "the authorization code has already been used")
        }
        guard now < entry.expires else { return oauthError(400, "invalid_grant", "the authorization code has expired") }
        guard form["redirect_uri"] == entry.redirectURI else { return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request") }
        if let challenge = entry.challenge {
            guard let verifier = form["code_verifier"], (43...128).contains(verifier.count) else {
                return oauthError(400, "invalid_grant", "code_verifier is missing or malformed")
            }
            guard challenge == Self.challenge(of: verifier) else { return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge") }
        }
        let grantID = random("grant")
        entry.used = true
        entry.grantID = grantID
        st.codes[code] = entry
        st.grants[grantID] = SimOAuthGrant(clientID: client.clientID, accountID: entry.accountID, scope: entry.scope)
        return issue(grantID: grantID, scope: entry.scope, now: now, state: &st)
    }

    static func refresh(_ form: [String: String], client: SimOAuthClient, now: Date, state st: inout SimOAuthState) -> SimResponse {
        guard let presented = form["refresh_token"], let token = st.refreshTokens[presented],
              let grant = st.grants[token.grantID], grant.clientID == client.clientID else {
            return oauthError(400, "invalid_grant", "the refresh token is invalid")
        }
        if grant.revoked { return oauthError(400, "invalid_grant", "the refresh token has been revoked") }
        if token.spent {
            st.spentRefreshTokenUses += 1
            return oauthError(400, "invalid_grant", "the refresh token has already been used")
        }
        if let expires = token.expires, now >= expires { return oauthError(400, "invalid_grant", "the refresh token has expired") }
        st.refreshes += 1
        let rotate = st.settings.rotateRefreshTokens
        if rotate { st.refreshTokens[presented]?.spent = true }
        return issue(grantID: token.grantID, scope: grant.scope, now: now, state: &st, keepRefresh: rotate ? nil : presented)
    }

    static func issue(grantID: String, scope: String, now: Date, state st: inout SimOAuthState, keepRefresh: String? = nil) -> SimResponse {
        let access = random("at")
        let lifetime = st.settings.accessTokenLifetime
        st.accessTokens[access] = SimAccessToken(grantID: grantID, expires: now.addingTimeInterval(lifetime))
        let refresh: String
        if let keepRefresh {
            refresh = keepRefresh
        } else {
            refresh = random("rt")
            let offline = scope.split(separator: " ").contains("offline_access")
            st.refreshTokens[refresh] = SimRefreshToken(grantID: grantID, expires: offline ? nil : now.addingTimeInterval(st.settings.refreshTokenLifetime))
        }
        let object: [String: Any] = ["access_token": access, "refresh_token": refresh, "token_type": "Bearer",
                                     "expires_in": Int(lifetime.rounded()), "scope": scope]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var response = SimResponse.json(200, data)
        response.setHeader("Cache-Control", "no-store")
        response.setHeader("Pragma", "no-cache")
        return response
    }

    /// `{"error": …, "error_description": …}`, the shape of Chatwork's OAuth errors.
    static func oauthError(_ status: Int, _ error: String, _ description: String, challenge: Bool = false) -> SimResponse {
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error, "error_description": description], options: [.sortedKeys])) ?? Data()
        var response = SimResponse.json(status, data)
        if challenge { response.setHeader("WWW-Authenticate", "Basic realm=\"oauth\"") }
        response.setHeader("Cache-Control", "no-store")
        return response
    }

    /// Parses `application/x-www-form-urlencoded`; nil for bytes that are not UTF-8 or repeat a name.
    static func form(_ body: Data) -> [String: String]? {
        guard let text = String(data: body, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { return nil }
            let value = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
            guard let value, values[name] == nil else { return nil }
            values[name] = value
        }
        return values
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
