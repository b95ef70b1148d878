import Foundation

/// One API request from start to answer: method check, 429 storm, authentication, rate limit,
/// injected 5xx, then the route. Every answer carries the rate-limit headers.
extension SimulatorCore {
    func answerAPI(_ request: APIRequest, early: FaultPlan.Early) -> SimResponse {
        state.withLock { st in
            let now = self.now
            var verdict = st.limiter.count(request.token ?? "", now: now)
            var response: SimResponse
            var oauthVerdict: SimAccessTokenVerdict?
            let viewer = request.token.flatMap { token in
                st.workspace.tokens[token] ?? { () -> Int? in
                    oauthVerdict = self.oauth.verdict(accessToken: token, now: now)
                    if case .valid(let account) = oauthVerdict { return account }
                    return nil
                }()
            }

            if request.method != "GET" && !APIRoutes.isWrite(request) {
                response = .errors(405, "The simulator does not support \(request.method) here: only GET, and POST/PUT of messages.")
            } else if early == .storm429 {
                verdict.remaining = 0
                response = .errors(429, "Rate limit exceeded. Please wait until x-ratelimit-reset.")
            } else if let viewer, let token = request.token {
                if !verdict.allowed {
                    response = .errors(429, "Rate limit exceeded. Please wait until x-ratelimit-reset.")
                } else if case .status(let code) = early {
                    response = .errors(code, "Internal server error (injected by the simulator).")
                } else {
                    var routes = APIRoutes(
                        state: st, viewer: viewer, token: token, now: now, configuration: configuration,
                        origin: origin.withLock { $0 })
                    response = routes.answer(request)
                    st.cursors = routes.state.cursors
                    st.downloads = routes.state.downloads
                    if request.method != "GET" {
                        // A message posted or edited: kept, and delivered to the webhooks that see it.
                        let written = routes.state.workspace
                        change(&st) { $0 = written }
                    }
                }
            } else {
                response = .errors(401, "Invalid API token")
                if let challenge = oauthVerdict.flatMap(SimOAuthServer.challenge(for:)) { response.setHeader("WWW-Authenticate", challenge) }
            }
            response.setHeader("x-ratelimit-limit", String(verdict.limit))
            response.setHeader("x-ratelimit-remaining", String(verdict.remaining))
            response.setHeader("x-ratelimit-reset", String(verdict.reset))
            return response
        }
    }

    /// Reads the token from `X-ChatWorkToken` or `Authorization: Bearer`.
    static func token(chatworkHeader: String?, authorization: String?) -> String? {
        if let token = chatworkHeader?.trimmingCharacters(in: .whitespaces), !token.isEmpty {
            return token
        }
        guard let auth = authorization?.trimmingCharacters(in: .whitespaces) else { return nil }
        let parts = auth.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
