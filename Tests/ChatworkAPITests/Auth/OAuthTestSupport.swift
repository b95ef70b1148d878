import AsyncHTTPClient
import ChatworkSimulator
import Foundation
import NIOCore
@testable import ChatworkAPI

/// OAuth helpers: registered clients, a login without a browser, an in-memory token store.
enum OAuthFixture {
    static let confidentialID = "cwarchive-test-client"
    static let secret = "s3cr3t-client-secret-value-0001"
    static let publicID = "cwarchive-public-client"
    static let redirect = "https://example.com/cwarchive/callback"
    static let publicRedirect = "cwarchive://oauth/callback"

    /// Registers a confidential and a public client that approve as Alice.
    static func register(_ sim: ChatworkSimulator) {
        sim.oauth.register(SimOAuthClient(clientID: confidentialID, clientSecret: secret, redirectURIs: [redirect], accountID: SimulatorHarness.alice))
        sim.oauth.register(SimOAuthClient(clientID: publicID, clientSecret: nil, redirectURIs: [publicRedirect], accountID: SimulatorHarness.alice))
    }

    static func tokenClient(_ sim: ChatworkSimulator, confidential: Bool = true, clock: any NowProvider = SystemClock()) -> OAuthTokenClient {
        OAuthTokenClient(tokenURL: sim.oauthTokenURL, clientID: confidential ? confidentialID : publicID,
                         clientSecret: confidential ? OAuthClientSecret(secret) : nil, clock: clock)
    }

    /// What a browser does: GET the authorization URL and return the `Location` it is sent to.
    static func approve(_ url: URL) async throws -> (status: Int, location: String?) {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let response = try await http.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            try await http.shutdown()
            return (Int(response.status.code), response.headers.first(name: "Location"))
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// A whole login: authorize, approve, exchange.
    static func login(_ sim: ChatworkSimulator, confidential: Bool = true, scope: String = OAuthEndpoints.defaultScope,
                      clock: any NowProvider = SystemClock()) async throws -> OAuthTokenSet {
        let login = OAuthAuthorization(authorizeURL: sim.oauthAuthorizeURL, clientID: confidential ? confidentialID : publicID,
                                       redirectURI: confidential ? redirect : publicRedirect, scope: scope)
        let answer = try await approve(login.url)
        guard let location = answer.location else { throw OAuthError.invalidRedirect("no Location (HTTP \(answer.status))") }
        let code = try login.code(fromPasted: location)
        return try await tokenClient(sim, confidential: confidential, clock: clock)
            .exchange(code: code, redirectURI: login.redirectURI, verifier: login.pkce.verifier)
    }
}

/// An in-memory ``OAuthTokenStore`` with an async exclusive lock and injectable write failures.
final class MemoryTokenStore: OAuthTokenStore, @unchecked Sendable {
    // @unchecked: every field is read and changed under `lock`.
    fileprivate let mutex = NSLock()
    fileprivate var value: OAuthStoredTokens
    fileprivate var held = false
    fileprivate var writes: [OAuthStoredTokens] = []
    /// Fails the write with this number (1-based, counted over the store's life), once.
    var failWrite: Int?

    init(_ tokens: OAuthTokenSet) { value = OAuthStoredTokens(tokens: tokens) }

    var stored: OAuthStoredTokens { mutex.withLock { value } }
    var writeLog: [OAuthStoredTokens] { mutex.withLock { writes } }

    func lock() async throws -> any OAuthTokenStoreLease {
        while true {
            let taken = mutex.withLock { () -> Bool in
                if held { return false }
                held = true
                return true
            }
            if taken { return Lease(store: self) }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
    }

    struct SimulatedCrash: Error {}

    final class Lease: OAuthTokenStoreLease, @unchecked Sendable {
        // @unchecked: `store` is immutable; the store guards its own state.
        let store: MemoryTokenStore
        init(store: MemoryTokenStore) { self.store = store }
        func read() throws -> OAuthStoredTokens { store.stored }
        func write(_ tokens: OAuthStoredTokens) throws {
            try store.mutex.withLock {
                if let n = store.failWrite, store.writes.count + 1 == n {
                    store.failWrite = nil
                    store.writes.append(store.value)  // counted, not applied
                    throw SimulatedCrash()
                }
                store.writes.append(tokens)
                store.value = tokens
            }
        }
        func release() { store.mutex.withLock { store.held = false } }
    }
}
