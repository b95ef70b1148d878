import AsyncHTTPClient
import ChatworkAPI
import ChatworkSimulator
import Foundation
@testable import CWArchiveCore

/// A registered OAuth client, its secret file, and logins without a browser.
struct AuthFixture {
    static let clientID = "cwarchive-core-test-client"
    static let secret = "core-test-client-secret-7f3a9c"
    static let redirect = "https://example.com/cwarchive/callback"

    let tmp: TempDir
    var secretFile: URL { tmp.path("client-secret") }
    var credentials: URL { tmp.path("config/oauth.json") }

    /// Registers the client (approving as the sample workspace's demo account) and writes its secret file (0600).
    init(sim: ChatworkSimulator, tmp: TempDir) throws {
        self.tmp = tmp
        let account = sim.workspace.tokens[SimulatorHarness.token] ?? 0
        sim.oauth.register(SimOAuthClient(clientID: Self.clientID, clientSecret: Self.secret, redirectURIs: [Self.redirect], accountID: account))
        _ = FileManager.default.createFile(atPath: secretFile.path, contents: Data((Self.secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
    }

    /// What a browser does with the authorization URL: the address it is redirected to.
    static func approve(_ url: String) async throws -> String? {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            try await http.shutdown()
            return response.headers.first(name: "Location")
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// A login done in process, its tokens written to `credentials` like `auth login` does.
    func login(sim: ChatworkSimulator, clock: any NowProvider = SystemClock()) async throws -> OAuthCredentials {
        let login = OAuthAuthorization(authorizeURL: sim.oauthAuthorizeURL, clientID: Self.clientID, redirectURI: Self.redirect,
                                       scope: OAuthEndpoints.defaultScope)
        let location = try await Self.approve(login.url.absoluteString) ?? ""
        let code = try login.code(fromPasted: location)
        let client = OAuthTokenClient(tokenURL: sim.oauthTokenURL, clientID: Self.clientID, clientSecret: OAuthClientSecret(Self.secret), clock: clock)
        let tokens = try await client.exchange(code: code, redirectURI: Self.redirect, verifier: login.pkce.verifier)
        let credentials = OAuthCredentials(clientID: Self.clientID, clientSecretFile: secretFile.path, tokenURL: sim.oauthTokenURL.absoluteString,
                                           redirectURI: Self.redirect, tokens: tokens, loggedInAt: clock.now())
        try CredentialsFile.write(credentials, to: self.credentials)
        return credentials
    }

    /// Every secret the simulator issued, and the client secret: none may appear outside the credentials file.
    static func secrets(_ sim: ChatworkSimulator) -> [String] {
        sim.oauth.issuedAccessTokens + sim.oauth.issuedRefreshTokens + [secret]
    }

    /// Every file under `folder` (recursively, gzip data files decompressed too) that contains one of `secrets`.
    static func filesContaining(_ secrets: [String], under harness: SimulatorHarness) -> [String] {
        secrets.flatMap { harness.archiveContains($0) }
    }
}
