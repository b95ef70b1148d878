import AsyncHTTPClient
import ChatworkSimulator
import Foundation
import NIOCore
import Testing
@testable import ChatworkAPI

private typealias H = SimulatorHarness

/// The simulator's OAuth server over loopback HTTP, as Chatwork's behaves.
@Suite("Simulator OAuth server")
struct SimulatorOAuthTests {
    /// A simulator with both test clients registered, on a clock the test moves.
    static func withServer(_ body: (ChatworkSimulator, SimulatorClock) async throws -> Void) async throws {
        let clock = SimulatorClock(fixedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let sim = ChatworkSimulator(workspace: H.workspace(), configuration: H.fast(clock: clock))
        try await sim.start()
        OAuthFixture.register(sim)
        do { try await body(sim, clock) } catch { await sim.stop(); throw error }
        await sim.stop()
    }

    /// A code issued for `login` (the redirect's code parameter).
    static func code(_ sim: ChatworkSimulator, _ login: OAuthAuthorization) async throws -> String {
        let answer = try await OAuthFixture.approve(login.url)
        #expect(answer.status == 302)
        return try login.code(fromPasted: try #require(answer.location))
    }

    static func login(_ sim: ChatworkSimulator, confidential: Bool = true, scope: String = OAuthEndpoints.defaultScope) -> OAuthAuthorization {
        OAuthAuthorization(authorizeURL: sim.oauthAuthorizeURL, clientID: confidential ? OAuthFixture.confidentialID : OAuthFixture.publicID,
                           redirectURI: confidential ? OAuthFixture.redirect : OAuthFixture.publicRedirect, scope: scope)
    }

    @Test("the authorization endpoint redirects with code and state; the code works once, within 1 minute, with its verifier")
    func codeRules() async throws {
        try await Self.withServer { sim, clock async throws in
            let client = OAuthFixture.tokenClient(sim)
            // Wrong verifier.
            let a = Self.login(sim)
            let codeA = try await Self.code(sim, a)
            await #expect(throws: OAuthError.refused(status: 400, error: "invalid_grant", description: "code_verifier does not match the code_challenge")) {
                _ = try await client.exchange(code: codeA, redirectURI: a.redirectURI, verifier: PKCE().verifier)
            }
            // Expired after 60 s.
            let b = Self.login(sim)
            let codeB = try await Self.code(sim, b)
            clock.advance(by: 61)
            await #expect(throws: OAuthError.refused(status: 400, error: "invalid_grant", description: "the authorization code has expired")) {
                _ = try await client.exchange(code: codeB, redirectURI: b.redirectURI, verifier: b.pkce.verifier)
            }
            // Once, and a second use revokes what the first issued.
            let c = Self.login(sim)
            let codeC = try await Self.code(sim, c)
            let tokens = try await client.exchange(code: codeC, redirectURI: c.redirectURI, verifier: c.pkce.verifier)
            #expect(tokens.lifetime == 900)
            #expect(tokens.scope == OAuthEndpoints.defaultScope)
            await #expect(throws: OAuthError.self) { _ = try await client.exchange(code: codeC, redirectURI: c.redirectURI, verifier: c.pkce.verifier) }
            await #expect(throws: OAuthError.self) { _ = try await client.refresh(refreshToken: try #require(tokens.refreshToken)) }
        }
    }

    @Test("client authentication: Basic for confidential clients, client_id in the body for public ones")
    func clientKinds() async throws {
        try await Self.withServer { sim, _ async throws in
            let pub = try await OAuthFixture.login(sim, confidential: false, scope: "rooms.all:read users.all:read")
            #expect(pub.refreshToken != nil)
            let wrongSecret = OAuthTokenClient(tokenURL: sim.oauthTokenURL, clientID: OAuthFixture.confidentialID, clientSecret: OAuthClientSecret("nope"))
            await #expect(throws: OAuthError.refused(status: 401, error: "invalid_client", description: "client authentication failed")) {
                _ = try await wrongSecret.refresh(refreshToken: "whatever")
            }
            // A confidential client that omits its secret is refused too.
            let noSecret = OAuthTokenClient(tokenURL: sim.oauthTokenURL, clientID: OAuthFixture.confidentialID, clientSecret: nil)
            await #expect(throws: OAuthError.self) { _ = try await noSecret.refresh(refreshToken: "whatever") }
            // offline_access is for confidential clients.
            let login = Self.login(sim, confidential: false, scope: OAuthEndpoints.defaultScope)
            let answer = try await OAuthFixture.approve(login.url)
            #expect(throws: OAuthError.authorizationDenied(error: "invalid_scope", description: "offline_access is available to confidential clients only")) {
                _ = try login.code(fromPasted: answer.location ?? "")
            }
            // An unregistered redirect URI is never redirected to.
            let foreign = OAuthAuthorization(authorizeURL: sim.oauthAuthorizeURL, clientID: OAuthFixture.confidentialID,
                                             redirectURI: "https://evil.example/cb", scope: "rooms.all:read")
            let refused = try await OAuthFixture.approve(foreign.url)
            #expect(refused.status == 400 && refused.location == nil)
        }
    }

    @Test("refresh rotates: the old refresh token is spent; access tokens expire on the simulator's clock with a 401 and WWW-Authenticate")
    func rotationAndExpiry() async throws {
        try await Self.withServer { sim, clock async throws in
            let tokens = try await OAuthFixture.login(sim)
            let client = OAuthFixture.tokenClient(sim)
            let next = try await client.refresh(refreshToken: try #require(tokens.refreshToken))
            #expect(next.refreshToken != tokens.refreshToken && next.accessToken != tokens.accessToken)
            await #expect(throws: OAuthError.refused(status: 400, error: "invalid_grant", description: "the refresh token has already been used")) {
                _ = try await client.refresh(refreshToken: try #require(tokens.refreshToken))
            }
            #expect(sim.oauth.spentRefreshTokenUses == 1)

            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            func me(_ token: String) async throws -> (Int, String?) {
                var request = HTTPClientRequest(url: sim.baseURL.absoluteString + "/me")
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                let response = try await http.execute(request, timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 20)
                return (Int(response.status.code), response.headers.first(name: "WWW-Authenticate"))
            }
            do {
                #expect(try await me(next.accessToken).0 == 200)
                clock.advance(by: 901)
                let (status, challenge) = try await me(next.accessToken)
                #expect(status == 401)
                #expect(challenge?.hasPrefix("Bearer error=\"invalid_token\"") == true)
                sim.oauth.revokeGrants(clientID: OAuthFixture.confidentialID)
                await #expect(throws: OAuthError.refused(status: 400, error: "invalid_grant", description: "the refresh token has been revoked")) {
                    _ = try await client.refresh(refreshToken: try #require(next.refreshToken))
                }
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
            // The OAuth log holds no secret.
            let log = sim.oauth.requestLog().joined(separator: "\n")
            for secret in [tokens.accessToken, next.accessToken, next.refreshToken ?? "", OAuthFixture.secret] {
                #expect(!log.contains(secret))
            }
        }
    }

    @Test("the token endpoint answers OAuth errors in Chatwork's shape for bad requests")
    func badRequests() async throws {
        try await Self.withServer { sim, _ async throws in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            func post(_ body: String, type: String = "application/x-www-form-urlencoded") async throws -> (Int, [String: Any]) {
                var request = HTTPClientRequest(url: sim.oauthTokenURL.absoluteString)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: type)
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await http.execute(request, timeout: .seconds(10))
                let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
                return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
            }
            do {
                let (s1, e1) = try await post("grant_type=password&client_id=\(OAuthFixture.publicID)")
                #expect(s1 == 400 && e1["error"] as? String == "unsupported_grant_type" && e1["error_description"] is String)
                let (s2, e2) = try await post("grant_type=refresh_token", type: "application/json")
                #expect(s2 == 400 && e2["error"] as? String == "invalid_request")
                let (s3, e3) = try await post("grant_type=refresh_token&refresh_token=x&client_id=unknown")
                #expect(s3 == 401 && e3["error"] as? String == "invalid_client")
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }
}
