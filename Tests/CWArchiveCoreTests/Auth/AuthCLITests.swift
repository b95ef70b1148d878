import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore

/// `cwarchive auth …` and `archive --oauth-credentials` as users and cron run them: the built
/// binary against the simulator over loopback.
@Suite("auth commands of the binary", .enabled(if: CLIRunner.isAvailable))
struct AuthCLITests {
    /// A running `cwarchive auth login` whose stdin the test writes, like a user pasting.
    final class Interactive: @unchecked Sendable {
        // @unchecked: `outLines` is guarded by `lock`; the process and pipes are used by one test.
        let process = Process()
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        private let lock = NSLock()
        private var outText = ""
        private var errData = Data()
        private let readers = DispatchGroup()

        init(_ args: [String], env: [String: String]) throws {
            process.executableURL = CLIRunner.binary
            process.arguments = args
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "CHATWORK_API_TOKEN")
            environment["CWARCHIVE_CONFIG"] = "/dev/null"
            for (k, v) in env { environment[k] = v }
            process.environment = environment
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            for (pipe, isOut) in [(stdout, true), (stderr, false)] {
                readers.enter()
                Thread { [self] in
                    while true {
                        let chunk = pipe.fileHandleForReading.availableData
                        if chunk.isEmpty { break }
                        lock.withLock { if isOut { outText += String(decoding: chunk, as: UTF8.self) } else { errData += chunk } }
                    }
                    readers.leave()
                }.start()
            }
        }

        /// The first line printed on stdout, waited for off the cooperative threads.
        func firstLine() async -> String? {
            for _ in 0..<600 {
                if let line = lock.withLock({ outText.contains("\n") ? String(outText.prefix { $0 != "\n" }) : nil }) { return line }
                if !process.isRunning { break }
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            return lock.withLock { outText.isEmpty ? nil : outText }
        }

        func paste(_ line: String) {
            stdin.fileHandleForWriting.write(Data((line + "\n").utf8))
            try? stdin.fileHandleForWriting.close()
        }

        func finish() async -> CLIRunner.Result {
            await CLIRunner.wait(process)
            let box = UncheckedBox(readers)
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in Thread { box.value.wait(); c.resume() }.start() }
            return lock.withLock { CLIRunner.Result(status: process.terminationStatus, stdout: outText, stderr: String(decoding: errData, as: UTF8.self)) }
        }
    }

    static func loginArgs(_ sim: ChatworkSimulator, _ fixture: AuthFixture) -> [String] {
        ["auth", "login", "--client-id", AuthFixture.clientID, "--redirect-uri", AuthFixture.redirect,
         "--client-secret-file", fixture.secretFile.path, "--credentials", fixture.credentials.path,
         "--oauth-authorize-url", sim.oauthAuthorizeURL.absoluteString, "--oauth-token-url", sim.oauthTokenURL.absoluteString]
    }

    @Test("bad flags exit 64 with one line naming the flag")
    func badFlags() async throws {
        let cases: [([String], String)] = [
            (["auth", "login", "--redirect-uri", "https://example.com/cb"], "--client-id"),
            (["auth", "login", "--client-id", "has space", "--redirect-uri", "https://example.com/cb"], "--client-id"),
            (["auth", "login", "--client-id", "c", "--redirect-uri", "not a uri"], "--redirect-uri"),
            (["auth", "login", "--client-id", "c", "--redirect-uri", "http://example.com/cb", "--client-secret-file", "/x"], "--redirect-uri"),
            (["auth", "login", "--client-id", "c", "--redirect-uri", "https://example.com/cb", "--scope", "  "], "--scope"),
            (["auth", "login", "--client-id", "c", "--redirect-uri", "https://example.com/cb", "--oauth-token-url", "http://oauth.example.com/token"], "--oauth-token-url"),
            (["auth", "login", "--client-id", "c", "--redirect-uri", "https://example.com/cb", "--oauth-authorize-url", "ftp://x/y"], "--oauth-authorize-url"),
            (["auth", "status", "--format", "xml"], "--format"),
            (["auth", "status", "--bogus"], "--bogus"),
            (["archive", "--archive", "/tmp/x", "--oauth-credentials", "a", "--token-file", "b"], "--oauth-credentials"),
        ]
        for (args, flag) in cases {
            let r = try await CLIRunner.run(args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(flag), "\(args): \(r.stderr)")
        }
    }

    @Test("the whole login over HTTP with a fed stdin writes a 0600 file; status shows no secret; archive renews and rotates")
    func loginThenArchive() async throws {
        try await SimulatorHarness.with { h async throws in
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            let login = try Interactive(Self.loginArgs(h.sim, fixture), env: ["HOME": h.tmp.url.path])
            let url = try #require(await login.firstLine())
            #expect(url.hasPrefix(h.sim.oauthAuthorizeURL.absoluteString + "?"))
            #expect(url.contains("code_challenge_method=S256") && url.contains("state="))
            let location = try #require(try await AuthFixture.approve(url))
            login.paste(location)
            let r = await login.finish()
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == url + "\n", "only the URL goes to stdout")
            var info = stat()
            #expect(stat(fixture.credentials.path, &info) == 0 && Int(info.st_mode & 0o777) == 0o600)
            let written = try CredentialsFile.read(fixture.credentials)
            #expect(written.clientType == "confidential" && written.clientSecretFile == fixture.secretFile.path)
            #expect(written.scope == OAuthEndpoints.defaultScope)

            let status = try await CLIRunner.run(["auth", "status", "--credentials", fixture.credentials.path])
            #expect(status.status == 0 && status.stdout.contains("client id: \(AuthFixture.clientID)") && status.stdout.contains("refresh token: held"))
            let json = try await CLIRunner.run(["auth", "status", "--credentials", fixture.credentials.path, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["refresh_token_held"] as? Bool == true && object["client_id"] as? String == AuthFixture.clientID)

            // Make the access token stale: the run renews it first, and rotates the refresh token.
            var stale = written
            stale.accessTokenExpiresAt = Date(timeIntervalSince1970: 1_000_000_000)
            try CredentialsFile.write(stale, to: fixture.credentials)
            let archive = try await CLIRunner.run(["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString,
                                                   "--oauth-credentials", fixture.credentials.path, "--report", h.tmp.path("report.json").path])
            #expect(archive.status == 0, "\(archive.stderr)")
            let rotated = try CredentialsFile.read(fixture.credentials)
            #expect(rotated.refreshToken != written.refreshToken && rotated.lastRefreshedAt != nil)
            #expect(h.sim.oauth.liveRefreshTokens == [rotated.refreshToken].compactMap { $0 })

            // No secret anywhere but the credentials file (and the secret's own file).
            let secrets = AuthFixture.secrets(h.sim)
            let outputs = [r.stdout, r.stderr, status.stdout, status.stderr, json.stdout, json.stderr, archive.stdout, archive.stderr,
                           (try? String(contentsOf: h.tmp.path("report.json"), encoding: .utf8)) ?? ""].joined(separator: "\n")
            for secret in secrets { #expect(!outputs.contains(secret)) }
            #expect(AuthFixture.filesContaining(secrets, under: h).isEmpty)
            let others = try FileManager.default.contentsOfDirectory(atPath: fixture.credentials.deletingLastPathComponent().path)
            #expect(Set(others) == ["oauth.json", ".oauth.json.lock"])
            #expect(try Data(contentsOf: fixture.credentials.deletingLastPathComponent().appendingPathComponent(".oauth.json.lock")).isEmpty)
        }
    }

    @Test("a state mismatch or an expired code exits 1 with one line, and nothing is written")
    func loginFailures() async throws {
        try await SimulatorHarness.with(configuration: .init(clock: SimulatorClock(following: { Date() }))) { h async throws in
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            let a = try Interactive(Self.loginArgs(h.sim, fixture), env: [:])
            let urlA = try #require(await a.firstLine())
            let location = try #require(try await AuthFixture.approve(urlA))
            a.paste(location.replacingOccurrences(of: "state=", with: "state=x"))
            let ra = await a.finish()
            #expect(ra.status == 1 && ra.stderr.contains("state"), "\(ra.stderr)")

            let b = try Interactive(Self.loginArgs(h.sim, fixture), env: [:])
            let urlB = try #require(await b.firstLine())
            let locationB = try #require(try await AuthFixture.approve(urlB))
            h.sim.clock.advance(by: 61)
            b.paste(locationB)
            let rb = await b.finish()
            #expect(rb.status == 1 && rb.stderr.contains("invalid_grant") && rb.stderr.contains("expired"), "\(rb.stderr)")
            #expect(!FileManager.default.fileExists(atPath: fixture.credentials.path))
            #expect(!FileManager.default.fileExists(atPath: fixture.credentials.deletingLastPathComponent().path))
        }
    }

    @Test("a revoked refresh token: archive exits 1 with “run `cwarchive auth login` again”, the file untouched")
    func revoked() async throws {
        try await SimulatorHarness.with { h async throws in
            let fixture = try AuthFixture(sim: h.sim, tmp: h.tmp)
            var c = try await fixture.login(sim: h.sim)
            c.accessTokenExpiresAt = Date(timeIntervalSince1970: 1_000_000_000)
            try CredentialsFile.write(c, to: fixture.credentials)
            let before = try Data(contentsOf: fixture.credentials)
            h.sim.oauth.revokeGrants(clientID: AuthFixture.clientID)
            let r = try await CLIRunner.run(["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString],
                                            env: ["CWARCHIVE_OAUTH_CREDENTIALS": fixture.credentials.path])
            #expect(r.status == 1, "\(r.stderr)")
            let line = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(line.hasSuffix("run `cwarchive auth login` again"), "\(r.stderr)")
            #expect(line.contains("invalid_grant"))
            #expect(try Data(contentsOf: fixture.credentials) == before)
            for secret in AuthFixture.secrets(h.sim) { #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret)) }
        }
    }
}
