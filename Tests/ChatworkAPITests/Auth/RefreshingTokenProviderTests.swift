import ChatworkSimulator
import Foundation
import Testing
@testable import ChatworkAPI

private typealias H = SimulatorHarness

/// The client with a refreshing provider against the simulator, on one manual timeline.
@Suite("Refreshing OAuth tokens during a run")
struct RefreshingTokenProviderTests {
    struct Setup {
        let sim: ChatworkSimulator
        let clock: ManualClock
        let store: MemoryTokenStore
        let provider: RefreshingTokenProvider
        let client: ChatworkClient
    }

    static func with(lifetime: TimeInterval = 120, _ body: (Setup) async throws -> Void) async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        let sim = ChatworkSimulator(workspace: H.workspace(), configuration: H.fast(clock: SimulatorClock(following: { clock.now() })))
        try await sim.start()
        OAuthFixture.register(sim)
        sim.oauth.settings.accessTokenLifetime = lifetime
        do {
            let tokens = try await OAuthFixture.login(sim, clock: clock)
            let store = MemoryTokenStore(tokens)
            let provider = RefreshingTokenProvider(store: store, tokenClient: OAuthFixture.tokenClient(sim, clock: clock), clock: clock)
            var config = ChatworkClientConfiguration(baseURL: sim.baseURL)
            config.backoffBase = 0.01
            let client = ChatworkClient(tokenProvider: provider, configuration: config, clock: clock)
            do { try await body(Setup(sim: sim, clock: clock, store: store, provider: provider, client: client)) } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    @Test("a run longer than three access-token lifetimes: every request authorised, renewed before expiry, newest refresh token stored")
    func longRun() async throws {
        try await Self.with(lifetime: 120) { s async throws in
            let start = s.clock.now()
            var answered = 0
            while s.clock.now().timeIntervalSince(start) < 4 * 120 {
                #expect(try await s.client.me().accountID == H.alice)
                answered += 1
                s.clock.advance(by: 7)
            }
            #expect(answered > 60)
            #expect(!s.sim.requestLog().contains { $0.hasSuffix(" 401") }, "renewed before expiry, never refused")
            #expect(await s.provider.refreshCount >= 4)
            #expect(s.sim.oauth.refreshCount == (await s.provider.refreshCount))
            #expect(s.sim.oauth.spentRefreshTokenUses == 0)
            // The stored refresh token is the one the server still honours; no refresh is left pending.
            #expect(s.sim.oauth.liveRefreshTokens == [s.store.stored.tokens.refreshToken].compactMap { $0 })
            #expect(s.store.stored.pendingRefreshSince == nil)
            #expect(s.store.stored.lastRefreshedAt != nil)
            // Each refresh wrote the pending mark, then the new tokens before they were used.
            #expect(s.store.writeLog.count == 2 * (await s.provider.refreshCount))
        }
    }

    @Test("a 401 (the token died early) renews once and retries the request")
    func renewsOn401() async throws {
        try await Self.with(lifetime: 900) { s async throws in
            #expect(try await s.client.me().accountID == H.alice)
            s.sim.oauth.expireAccessTokens()
            #expect(try await s.client.rooms().isEmpty == false)
            let log = s.sim.requestLog()
            #expect(log.filter { $0.hasSuffix(" 401") }.count == 1)
            #expect(log.last?.hasSuffix(" 200") == true)
            #expect(await s.provider.refreshCount == 1)
        }
    }

    @Test("concurrent requests after expiry share one renewal")
    func singleFlight() async throws {
        try await Self.with(lifetime: 900) { s async throws in
            _ = try await s.client.me()
            s.clock.advance(by: 900)
            let client = s.client
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<16 { group.addTask { try await client.me().accountID } }
                for try await id in group { #expect(id == H.alice) }
            }
            #expect(await s.provider.refreshCount == 1)
            #expect(s.sim.oauth.spentRefreshTokenUses == 0)
        }
    }

    @Test("a revoked grant: the refresh is refused with a clear error, the store is left as it was, later calls fail at once")
    func revoked() async throws {
        try await Self.with(lifetime: 120) { s async throws in
            _ = try await s.client.me()
            let before = s.store.stored
            s.sim.oauth.revokeGrants(clientID: OAuthFixture.confidentialID)
            s.clock.advance(by: 200)
            do {
                _ = try await s.client.me()
                Issue.record("the run went on with a revoked grant")
            } catch let error as OAuthError {
                guard case .refreshRefused(let code, _, let spent) = error else { Issue.record("\(error)"); return }
                #expect(code == "invalid_grant" && spent == nil)
                #expect(error.description.hasSuffix("run `cwarchive auth login` again"))
            }
            #expect(s.store.stored == before)
            let posts = s.sim.oauth.requestLog().count
            await #expect(throws: OAuthError.self) { _ = try await s.client.rooms() }
            #expect(s.sim.oauth.requestLog().count == posts, "no second refresh attempt")
        }
    }

    @Test("a crash between the token answer and the write: the next run says the token was spent by the interrupted refresh")
    func crashBeforePersisting() async throws {
        try await Self.with(lifetime: 120) { s async throws in
            _ = try await s.client.me()
            s.store.failWrite = s.store.writeLog.count + 2   // the pending mark is written, the new tokens are not
            s.clock.advance(by: 200)
            await #expect(throws: MemoryTokenStore.SimulatedCrash.self) { _ = try await s.client.me() }
            #expect(s.store.stored.pendingRefreshSince != nil)
            #expect(s.sim.oauth.refreshCount == 1, "the server rotated: the stored refresh token is spent")

            let next = RefreshingTokenProvider(store: s.store, tokenClient: OAuthFixture.tokenClient(s.sim, clock: s.clock), clock: s.clock)
            do {
                _ = try await next.accessToken()
                Issue.record("a spent refresh token was accepted")
            } catch let error as OAuthError {
                guard case .refreshRefused(_, _, let spent) = error else { Issue.record("\(error)"); return }
                #expect(spent != nil)
                #expect(error.description.contains("interrupted"))
                #expect(error.description.hasSuffix("run `cwarchive auth login` again"))
            }
        }
    }
}
