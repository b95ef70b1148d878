import Foundation
import Testing
@testable import ChatworkAPI

@Suite("OAuth: PKCE, the authorization URL, the pasted address, token answers")
struct OAuthUnitTests {
    @Test("the S256 challenge is base64url(SHA-256(verifier)), checked against an independent implementation")
    func challengeVectors() {
        // Computed with Python's hashlib and base64.urlsafe_b64encode.
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mJ92K9qZTMNB9OULFhLSKq5ZcwJ-ok") == "f1UXruHZN4zOSgjeDttyIUUInMjqmN0H_erv1QsZouk")
        #expect(PKCE.challenge(for: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ") == "RqIZl4LIgn8KxW9QO-nTnv7pf0CnNrksx9fF-CXP2FE")
    }

    @Test("fresh verifiers are valid, distinct and never printed")
    func freshVerifiers() {
        let all = (0..<50).map { _ in PKCE() }
        #expect(all.allSatisfy { PKCE.isValidVerifier($0.verifier) })
        #expect(Set(all.map(\.verifier)).count == 50)
        #expect(!"\(all[0])".contains(all[0].verifier))
        #expect(!PKCE.isValidVerifier("short"))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + " "))
    }

    @Test("the authorization URL carries every parameter, with the scope space-separated")
    func authorizationURL() throws {
        let login = OAuthAuthorization(authorizeURL: OAuthEndpoints.defaultAuthorizeURL, clientID: "abc",
                                       redirectURI: "https://example.com/cb?x=1", scope: OAuthEndpoints.defaultScope)
        let items = try #require(URLComponents(url: login.url, resolvingAgainstBaseURL: false)?.queryItems)
        var q: [String: String] = [:]
        for item in items { q[item.name] = item.value }
        #expect(login.url.absoluteString.hasPrefix("https://www.chatwork.com/packages/oauth2/login.php?"))
        #expect(q["response_type"] == "code")
        #expect(q["client_id"] == "abc")
        #expect(q["redirect_uri"] == "https://example.com/cb?x=1")
        #expect(q["scope"] == "rooms.all:read users.all:read contacts.all:read offline_access")
        #expect(q["state"] == login.state)
        #expect(q["code_challenge"] == login.pkce.challenge)
        #expect(q["code_challenge_method"] == "S256")
        #expect(!login.url.absoluteString.contains(login.pkce.verifier))
        #expect(!"\(login)".contains(login.state))
    }

    @Test("the pasted address gives the code; the state must be this login's")
    func pastedAddress() throws {
        let login = OAuthAuthorization(authorizeURL: OAuthEndpoints.defaultAuthorizeURL, clientID: "abc",
                                       redirectURI: "https://example.com/cb", scope: "rooms.all:read", state: "st4te")
        #expect(try login.code(fromPasted: "https://example.com/cb?code=c0de&state=st4te\n") == "c0de")
        #expect(try login.code(fromPasted: "  cwarchive://cb#code=c0de&state=st4te ") == "c0de")
        #expect(try login.code(fromPasted: "?state=st4te&code=c%2Fde") == "c/de")
        #expect(try login.code(fromPasted: "c0de-only") == "c0de-only")
        #expect(throws: OAuthError.stateMismatch) { try login.code(fromPasted: "https://example.com/cb?code=c0de&state=other") }
        #expect(throws: OAuthError.authorizationDenied(error: "access_denied", description: "no thanks")) {
            try login.code(fromPasted: "https://example.com/cb?error=access_denied&error_description=no+thanks&state=st4te")
        }
        for bad in ["", "https://example.com/cb?state=st4te", "has space", "x\u{7}y", String(repeating: "a", count: 9000)] {
            #expect(throws: OAuthError.self) { try login.code(fromPasted: bad) }
        }
    }

    @Test("hostile pasted lines never crash: each gives a code without control characters, or an OAuthError")
    func pastedFuzz() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abcXYZ019-._~:/?#[]@!$&'()*+,;=% \t\n\u{0}\u{7F}\u{202E}日本語=&code=state=error=")
        for _ in 0..<3000 {
            let length = Int.random(in: 0...80, using: &rng)
            let line = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
            do {
                let result = try OAuthRedirect.parse(line)
                if case .code(let code, _) = result {
                    #expect(!code.isEmpty)
                    #expect(!code.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F })
                }
            } catch {
                #expect(error is OAuthError)
            }
        }
    }

    @Test("token answers: success with absolute expiry, OAuth errors, malformed bodies; secrets scrubbed")
    func tokenAnswers() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let ok = Data(#"{"access_token":"AT1","refresh_token":"RT2","token_type":"Bearer","expires_in":900,"scope":"rooms.all:read"}"#.utf8)
        let set = try OAuthTokenClient.interpret(status: 200, body: ok, now: now, previousRefreshToken: "RT1", secrets: [])
        #expect(set.accessToken == "AT1" && set.refreshToken == "RT2")
        #expect(set.expiresAt == now.addingTimeInterval(900))
        #expect(set.refreshMargin == 60)
        #expect(!"\(set)".contains("AT1") && !"\(set)".contains("RT2"))
        // No new refresh token: the old one is kept.
        let kept = try OAuthTokenClient.interpret(status: 200, body: Data(#"{"access_token":"AT1","token_type":"bearer","expires_in":"120"}"#.utf8),
                                                  now: now, previousRefreshToken: "RT1", secrets: [])
        #expect(kept.refreshToken == "RT1")
        #expect(kept.refreshMargin == 24, "a fifth of 120 s is smaller than 60 s")
        let refusal = Data(#"{"error":"invalid_grant","error_description":"refresh token RT-SECRET-1 is revoked"}"#.utf8)
        #expect(throws: OAuthError.refused(status: 400, error: "invalid_grant", description: "refresh token <redacted> is revoked")) {
            try OAuthTokenClient.interpret(status: 400, body: refusal, now: now, previousRefreshToken: nil, secrets: ["RT-SECRET-1"])
        }
        for (status, body) in [(200, "not json"), (200, #"{"access_token":"has space","expires_in":900}"#), (200, #"{"access_token":"A","expires_in":-1}"#),
                               (200, #"{"access_token":"A","token_type":"mac","expires_in":900}"#), (200, #"{"access_token":"A"}"#), (404, "<html>")] {
            #expect(throws: OAuthError.self) { try OAuthTokenClient.interpret(status: status, body: Data(body.utf8), now: now, previousRefreshToken: nil, secrets: []) }
        }
        #expect(throws: OAuthError.unavailable(detail: "HTTP 503")) {
            try OAuthTokenClient.interpret(status: 503, body: Data(), now: now, previousRefreshToken: nil, secrets: [])
        }
    }

    @Test("refresh margin: 60 s or a fifth of the lifetime, whichever is smaller")
    func margin() {
        let t0 = Date(timeIntervalSince1970: 0)
        let long = OAuthTokenSet(accessToken: "a", refreshToken: "r", scope: "", obtainedAt: t0, expiresAt: t0.addingTimeInterval(900))
        #expect(!long.needsRefresh(at: t0.addingTimeInterval(839)))
        #expect(long.needsRefresh(at: t0.addingTimeInterval(840)))
        let short = OAuthTokenSet(accessToken: "a", refreshToken: "r", scope: "", obtainedAt: t0, expiresAt: t0.addingTimeInterval(100))
        #expect(!short.needsRefresh(at: t0.addingTimeInterval(79)))
        #expect(short.needsRefresh(at: t0.addingTimeInterval(80)))
    }

    @Test("endpoint URLs: https, or http on loopback only")
    func endpoints() throws {
        #expect(try OAuthEndpoints.validate("https://oauth.chatwork.com/token", name: "x").host == "oauth.chatwork.com")
        #expect(try OAuthEndpoints.validate("http://127.0.0.1:8080/token", name: "x").port == 8080)
        for bad in ["http://oauth.example.com/token", "ftp://x/y", "token", "https://u:p@host/t", "https://host/t#f"] {
            #expect(throws: OAuthError.self) { try OAuthEndpoints.validate(bad, name: "x") }
        }
    }
}

@Suite("OAuth token answers: hostile bodies")
struct OAuthTokenAnswerFuzzTests {
    @Test("random bodies and statuses give tokens that can be sent, or an OAuthError; never a crash")
    func hostileAnswers() {
        var rng = SystemRandomNumberGenerator()
        let pieces = [#"{"access_token":"#, #""AT""#, #","expires_in":"#, "900", "-1", "1e308", #""x""#, "null", "[", "]", "{", "}",
                      #","refresh_token":"#, #""R T""#, #","token_type":"#, #""Bearer""#, #""MAC""#, #","error":"#, #""invalid_grant""#, "\u{0}", "日本"]
        for _ in 0..<3000 {
            let body = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let status = [200, 201, 400, 401, 403, 500, 503, 302].randomElement(using: &rng)!
            do {
                let set = try OAuthTokenClient.interpret(status: status, body: Data(body.utf8), now: Date(timeIntervalSince1970: 0),
                                                         previousRefreshToken: nil, secrets: [])
                #expect(OAuthTokenClient.isHeaderSafe(set.accessToken))
                #expect(set.refreshToken.map(OAuthTokenClient.isHeaderSafe) ?? true)
                #expect(set.lifetime > 0)
            } catch {
                #expect(error is OAuthError)
            }
        }
    }
}
