import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore

/// Archive runs with an OAuth grant against the simulator over loopback, on a manual timeline
/// that the simulator follows: access tokens expire mid-run without anyone sleeping.
@Suite("Archive runs with OAuth credentials")
struct OAuthArchiveRunTests {
    static let lifetime: TimeInterval = 120

    /// One archive run into `archive` with the provider of `credentials`; `tick` runs before each room.
    static func run(_ h: SimulatorHarness, archive: URL, credentials: URL, clock: ManualClock,
                    tick: @escaping @Sendable () -> Void) async throws -> (RunSummary, RefreshingTokenProvider) {
        let provider = try OAuthSession.provider(credentialsFile: credentials, clock: clock)
        var config = ChatworkClientConfiguration(baseURL: h.sim.baseURL)
        config.backoffBase = 0.01
        let client = ChatworkClient(tokenProvider: provider, configuration: config, clock: clock)
        let store = try ArchiveStore.open(at: archive, create: true)
        let archiver = Archiver(store: store, client: client, options: ArchiveOptions(), clock: clock, progress: { _ in tick() })
        do {
            let summary = try await archiver.run()
            try await client.shutdown()
            return (summary, provider)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func harness(_ clock: ManualClock) async throws -> SimulatorHarness {
        // The timeline jumps 70 s per progress step (two runs at once: twice as often), so a
        // 30-second download URL could expire between being asked for and used: these tests are
        // about tokens, so download URLs live long here.
        let h = try await SimulatorHarness(configuration: .init(rateLimit: 100_000, downloadURLLifetime: 86_400 * 365,
                                                                clock: SimulatorClock(following: { clock.now() })))
        h.sim.oauth.settings.accessTokenLifetime = lifetime
        return h
    }

    @Test("a run longer than three token lifetimes completes, every request authorised, the rotated refresh token on disk after each refresh")
    func longRun() async throws {
        let clock = ManualClock(start: Date())
        let h = try await Self.harness(clock)
        do {
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            _ = try await fixture.login(sim: h.sim, clock: clock)
            let start = clock.now()
            let sim = h.sim, file = fixture.credentials
            let mismatches = UncheckedBox(0)
            let (summary, provider) = try await Self.run(h, archive: h.archiveURL, credentials: file, clock: clock) {
                // Between requests the file always holds the one refresh token the server honours.
                let onDisk = (try? CredentialsFile.read(file))?.refreshToken
                if sim.oauth.liveRefreshTokens != [onDisk].compactMap({ $0 }) { mismatches.value += 1 }
                clock.advance(by: 90)
            }
            #expect(summary.exitCode == 0, "\(summary.failures)")
            #expect(clock.now().timeIntervalSince(start) > 3 * Self.lifetime)
            #expect(await provider.refreshCount >= 3)
            #expect(mismatches.value == 0)
            #expect(!sim.requestLog().contains { $0.hasSuffix(" 401") })
            let after = try CredentialsFile.read(file)
            #expect(sim.oauth.liveRefreshTokens == [after.refreshToken].compactMap { $0 })
            #expect(after.lastRefreshedAt != nil && after.refreshPendingSince == nil)
            #expect(AuthFixture.filesContaining(AuthFixture.secrets(sim), under: h).isEmpty)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test("two runs sharing one credentials file both finish, and no refresh token is spent twice")
    func concurrentRuns() async throws {
        let clock = ManualClock(start: Date())
        let h = try await Self.harness(clock)
        do {
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            _ = try await fixture.login(sim: h.sim, clock: clock)
            let file = fixture.credentials
            async let a = Self.run(h, archive: h.tmp.path("archive-a"), credentials: file, clock: clock) { clock.advance(by: 70) }
            async let b = Self.run(h, archive: h.tmp.path("archive-b"), credentials: file, clock: clock) { clock.advance(by: 70) }
            let (ra, rb) = try await (a, b)
            #expect(ra.0.exitCode == 0 && rb.0.exitCode == 0, "\(ra.0.failures) \(rb.0.failures) \(ra.0.gaps) \(rb.0.gaps)")
            #expect(h.sim.oauth.spentRefreshTokenUses == 0)
            #expect(h.sim.oauth.refreshCount >= 2)
            #expect(h.sim.oauth.liveRefreshTokens == [try CredentialsFile.read(file).refreshToken].compactMap { $0 })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test("a grant revoked mid-run ends the run with the refusal; the file is as it was and the archive is consistent")
    func revokedMidRun() async throws {
        let clock = ManualClock(start: Date())
        let h = try await Self.harness(clock)
        do {
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            _ = try await fixture.login(sim: h.sim, clock: clock)
            let file = fixture.credentials, sim = h.sim
            let rooms = UncheckedBox(0)
            let before = UncheckedBox(Data())
            do {
                _ = try await Self.run(h, archive: h.archiveURL, credentials: file, clock: clock) {
                    rooms.value += 1
                    if rooms.value == 3 {
                        before.value = FileManager.default.contents(atPath: file.path) ?? Data()
                        sim.oauth.revokeGrants(clientID: AuthFixture.clientID)
                        clock.advance(by: 2 * Self.lifetime)
                    }
                }
                Issue.record("the run finished with a revoked grant")
            } catch let error as OAuthError {
                #expect(error.needsNewLogin)
                let line = ArchiveAuthentication.oauth(credentialsFile: file, source: "test").explain(error) ?? ""
                #expect(line.hasSuffix("run `cwarchive auth login` again") && !line.contains("\n"))
            }
            #expect(FileManager.default.contents(atPath: file.path) == before.value, "the credentials file is byte for byte as it was")
            // The archive is consistent: a new login lets the next run complete it.
            _ = try await fixture.login(sim: sim, clock: clock)
            let (summary, _) = try await Self.run(h, archive: h.archiveURL, credentials: file, clock: clock) {}
            #expect(summary.exitCode == 0)
            let report = try ArchiveVerifier(store: try ArchiveStore.open(at: h.archiveURL, create: false)).verify()
            #expect(report.isIntact, "\(report)")
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }
}
