import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore

/// `kill -9` of `archive --oauth-credentials` at random moments around the refresh it starts with.
@Suite("OAuth credentials survive kill -9", .enabled(if: CLIRunner.isAvailable))
struct AuthCrashTests {
    @Test("after a kill at any point the file is the old or the new one, whole; the next run completes or asks for a new login")
    func killDuringRefresh() async throws {
        try await SimulatorHarness.with { h async throws in
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            _ = try await fixture.login(sim: h.sim)
            let file = fixture.credentials
            let args = ["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString,
                        "--oauth-credentials", file.path, "--quiet"]
            for round in 0..<8 {
                var stale = try CredentialsFile.read(file)
                let before = stale.refreshToken
                stale.accessTokenExpiresAt = Date(timeIntervalSince1970: 1_000_000_000)
                try CredentialsFile.write(stale, to: file)
                let (p, _, _) = try CLIRunner.start(args, env: [:])
                try await Task.sleep(nanoseconds: UInt64(20 + round * 45) * 1_000_000)
                kill(p.processIdentifier, SIGKILL)
                await CLIRunner.wait(p)
                // A refresh the killed process had sent may still be in the simulator's hands:
                // let it finish before reading which tokens the server honours.
                try await Task.sleep(nanoseconds: 500_000_000)
                // Whole, never torn: it parses, and holds the old refresh token or the one the server now honours.
                let after = try CredentialsFile.read(file)
                let live = h.sim.oauth.liveRefreshTokens
                // A run may refresh more than once, and an earlier round's new login leaves its grant
                // live too: the file holds the old token, one the server honours, or the mark of a
                // refresh a kill interrupted (handled below).
                #expect(after.refreshToken == before || live.contains(after.refreshToken ?? "") || after.refreshPendingSince != nil, "round \(round)")
                if let token = after.refreshToken, !live.contains(token) {
                    // Killed between the answer and the write: the rotated token is spent. The next run says so.
                    let r = try await CLIRunner.run(args)
                    #expect(r.status == 1, "round \(round): \(r.stderr)")
                    #expect(r.stderr.contains("interrupted") && r.stderr.contains("run `cwarchive auth login` again"), "round \(round): \(r.stderr)")
                    _ = try await fixture.login(sim: h.sim)
                }
            }
            let final = try await CLIRunner.run(args)
            #expect(final.status == 0, "\(final.stderr)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty)
            let report = try ArchiveVerifier(store: try ArchiveStore.open(at: h.archiveURL, create: false)).verify()
            #expect(report.isIntact, "\(report)")
        }
    }

    @Test("died between the token answer and the write (the rotated token spent, the refresh marked pending): the next run exits 1 and says so")
    func diedBeforePersisting() async throws {
        try await SimulatorHarness.with { h async throws in
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            var c = try await fixture.login(sim: h.sim)
            // What such a death leaves: the server rotated (the old token is spent), the file has
            // the old token and the pending mark written before the request.
            let client = OAuthTokenClient(tokenURL: h.sim.oauthTokenURL, clientID: AuthFixture.clientID, clientSecret: OAuthClientSecret(AuthFixture.secret))
            _ = try await client.refresh(refreshToken: try #require(c.refreshToken))
            c.accessTokenExpiresAt = Date(timeIntervalSince1970: 1_000_000_000)
            c.refreshPendingSince = Date(timeIntervalSince1970: 1_900_000_000)
            try CredentialsFile.write(c, to: fixture.credentials)
            let before = try Data(contentsOf: fixture.credentials)
            let r = try await CLIRunner.run(["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString,
                                             "--oauth-credentials", fixture.credentials.path])
            #expect(r.status == 1)
            let line = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(line.contains("interrupted at 2030-03-17T17:46:40Z"), "\(r.stderr)")
            #expect(line.hasSuffix("run `cwarchive auth login` again"), "\(r.stderr)")
            #expect(try Data(contentsOf: fixture.credentials) == before)
            let status = try await CLIRunner.run(["auth", "status", "--credentials", fixture.credentials.path])
            #expect(status.stdout.contains("a refresh was interrupted at"), "\(status.stdout)")
        }
    }
}
