import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

@Suite("OAuth credentials file")
struct CredentialsFileTests {
    static func sample(access: String = "AT-sample-1", refresh: String = "RT-sample-1") -> OAuthCredentials {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let tokens = OAuthTokenSet(accessToken: access, refreshToken: refresh, scope: OAuthEndpoints.defaultScope,
                                   obtainedAt: t0, expiresAt: t0.addingTimeInterval(900))
        return OAuthCredentials(clientID: "client", clientSecretFile: "/etc/cwarchive/secret", tokenURL: "https://oauth.chatwork.com/token",
                                redirectURI: "https://example.com/cb", tokens: tokens, loggedInAt: t0)
    }

    static func mode(_ url: URL) -> Int {
        var info = stat()
        return stat(url.path, &info) == 0 ? Int(info.st_mode & 0o777) : -1
    }

    @Test("written with mode 0600 in a 0700 folder, read back equal, with absolute times and no stray files")
    func roundTrip() throws {
        let tmp = TempDir("cwarchive-cred")
        let file = tmp.path("new/folder/oauth.json")
        let c = Self.sample()
        try CredentialsFile.write(c, to: file)
        #expect(Self.mode(file) == 0o600)
        #expect(Self.mode(file.deletingLastPathComponent()) == 0o700)
        #expect(try CredentialsFile.read(file) == c)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("\"access_token_expires_at\" : \"2027-01-15T08:15:00Z\""))
        #expect(text.contains("\"client_secret_file\" : \"/etc/cwarchive/secret\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["oauth.json"])
        #expect(!"\(c)".contains("AT-sample-1") && !"\(c)".contains("RT-sample-1"))
    }

    @Test("a file others can read, a broken file and a missing file give one clear line each")
    func refusals() throws {
        let tmp = TempDir("cwarchive-cred")
        let file = tmp.path("oauth.json")
        try CredentialsFile.write(Self.sample(), to: file)
        chmod(file.path, 0o644)
        #expect(throws: CredentialsFileError.self) { try CredentialsFile.read(file) }
        do { _ = try CredentialsFile.read(file) } catch { #expect("\(error)".contains("chmod 600")) }
        chmod(file.path, 0o600)
        try Data("{\"format\": \"cwarchive-oauth-credentials\", \"version\": 1".utf8).write(to: file)
        chmod(file.path, 0o600)
        do { _ = try CredentialsFile.read(file); Issue.record("a torn file was read") } catch {
            #expect("\(error)".contains("auth login") && !"\(error)".contains("\n"))
        }
        do { _ = try CredentialsFile.read(tmp.path("absent.json")); Issue.record("read a missing file") } catch {
            #expect("\(error)".contains("cwarchive auth login"))
        }
    }

    @Test("the lock excludes a second holder until released; leftovers of a crash are removed")
    func lock() async throws {
        let tmp = TempDir("cwarchive-cred")
        let file = tmp.path("oauth.json")
        try CredentialsFile.write(Self.sample(), to: file)
        let leftover = tmp.path(".oauth.json.tmp-LEFTOVER")
        _ = FileManager.default.createFile(atPath: leftover.path, contents: Data("{".utf8))
        let store = CredentialsFileStore(url: file)
        let first = try await store.lock()
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        await #expect(throws: CredentialsFileError.self) { _ = try await CredentialsFile.lock(file, timeout: 0.1) }
        // The holder rotates; the next holder reads the new tokens.
        var tokens = try first.read()
        tokens.tokens.refreshToken = "RT-rotated"
        try first.write(tokens)
        first.release()
        let second = try await store.lock()
        #expect(try second.read().tokens.refreshToken == "RT-rotated")
        #expect(try CredentialsFile.read(file).clientSecretFile == "/etc/cwarchive/secret", "fields other than tokens are kept")
        second.release()
        #expect(Self.mode(file) == 0o600)
    }
}

@Suite("OAuth credentials file: hostile contents")
struct CredentialsFileFuzzTests {
    @Test("random and mangled files never crash the reader: each is read or refused with one line")
    func hostileFiles() throws {
        let tmp = TempDir("cwarchive-cred-fuzz")
        let file = tmp.path("oauth.json")
        let valid = try OAuthCredentials.encoder.encode(CredentialsFileTests.sample())
        var rng = SystemRandomNumberGenerator()
        for round in 0..<400 {
            var bytes = [UInt8](valid)
            switch round % 4 {
            case 0: bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))   // torn
            case 2: for _ in 0..<8 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            default:
                let text = String(decoding: valid, as: UTF8.self)
                    .replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : \(Int.random(in: -3...3, using: &rng))")
                    .replacingOccurrences(of: "\"confidential\"", with: ["\"public\"", "\"other\"", "null", "7"].randomElement(using: &rng)!)
                bytes = Array(text.utf8)
            }
            try Data(bytes).write(to: file)
            chmod(file.path, 0o600)
            do {
                let read = try CredentialsFile.read(file)
                #expect(read.problem == nil)
            } catch let error as CredentialsFileError {
                #expect(!error.description.contains("\n"))
                #expect(!error.description.contains("AT-sample-1") && !error.description.contains("RT-sample-1"))
            }
        }
    }
}
