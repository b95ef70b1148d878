import CWArchiveCore
import Foundation
import Testing
@testable import CWArchiveServer
import CWTestSupport

/// The access rules: loopback only without a token; with one, bearer or cookie, else 401.
@Suite("Serve: access", .serialized)
struct ViewerAuthTests {
    static let token = "s3cret-token-0123456789abcdef"

    @Test func withATokenEveryRequestNeedsItOrTheCookie() async throws {
        let h = try await ServeHarness.shared.value
        let tmp = ServeTempDir("serve-auth")
        let v = try await RunningViewer.start(archive: h.archiveURL, token: Self.token, tmp: tmp)
        try await withTeardown({ await v.stop() }) {
            for target in ["/", "/rooms/\(ServeHarness.groupRoom)", "/search?q=x", "/assets/style.css", "/files/" + String(repeating: "a", count: 64)] {
                let r = try await v.http.get(target)
                #expect(r.status == 401, "\(target)")
                #expect(r.header("www-authenticate")?.hasPrefix("Bearer") == true)
                ViewerRouteTests.expectSecure(r, target)
                #expect(!r.text.contains(Self.token))
            }
            let api = try await v.http.get("/api/rooms")
            #expect(api.status == 401)
            #expect((try JSONSerialization.jsonObject(with: api.body) as? [String: Any])?["error"] is String)
            for wrong in ["Bearer wrong", "Bearer \(Self.token)x", "Bearer \(Self.token.dropLast())", "Basic \(Self.token)", Self.token, "Bearer"] {
                #expect(try await v.http.get("/", headers: [("Authorization", wrong)]).status == 401, "\(wrong)")
            }
            #expect(try await v.http.get("/", headers: [("Authorization", "Bearer \(Self.token)")]).status == 200)
            #expect(try await v.http.get("/api/rooms", headers: [("Authorization", "bearer \(Self.token)")]).status == 200)

            // The login page: a wrong token is 401, the right one sets the cookie and goes to /.
            #expect(try await v.http.get("/login?token=nope").status == 401)
            #expect(try await v.http.get("/login").status == 401)
            let login = try await v.http.get("/login?token=\(Self.token)")
            #expect(login.status == 303)
            #expect(login.header("location") == "/")
            let cookie = try #require(login.header("set-cookie"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains(Self.token))
            let pair = try #require(cookie.split(separator: ";").first.map(String.init))
            #expect(try await v.http.get("/", headers: [("Cookie", pair)]).status == 200)
            #expect(try await v.http.get("/", headers: [("Cookie", "other=1; " + pair)]).status == 200)
            #expect(try await v.http.get("/", headers: [("Cookie", pair + "0")]).status == 401)
            #expect(try await v.http.get("/", headers: [("Cookie", "cwarchive_session=\(Self.token)")]).status == 401)
            // With a token, any Host name may be used (a LAN address).
            #expect(try await v.http.get("/", headers: [("Authorization", "Bearer \(Self.token)")], host: "192.168.1.20:8080").status == 200)
        }
    }

    @Test func withoutATokenOnlyLoopbackHostNamesAreServed() async throws {
        let h = try await ServeHarness.shared.value
        let v = try await RunningViewer.start(archive: h.archiveURL)
        try await withTeardown({ await v.stop() }) {
            #expect(try await v.http.get("/", host: "localhost:\(v.port)").status == 200)
            #expect(try await v.http.get("/", host: "[::1]:\(v.port)").status == 200)
            // DNS rebinding: another site's name resolved to 127.0.0.1.
            let evil = try await v.http.get("/api/rooms", host: "evil.example:\(v.port)")
            #expect(evil.status == 403)
            #expect(try await v.http.get("/", host: "127.0.0.1.evil.example").status == 403)
            #expect(try await v.http.get("/login?token=x").status == 303)
        }
    }

    @Test func reachableAddressesNeedATokenFile() throws {
        let archive = URL(fileURLWithPath: "/tmp")
        for host in ["0.0.0.0", "::", "192.168.1.10", "example.com"] {
            #expect(throws: UsageError.self) {
                try ServeConfiguration(bind: try BindAddress(host: host, port: 8080), archive: archive, tokenFile: nil, templates: nil)
            }
        }
        let tmp = ServeTempDir("serve-token")
        let good = tmp.path("good"), short = tmp.path("short"), spaced = tmp.path("spaced")
        try Data("\(Self.token)\n".utf8).write(to: good)
        try Data("abc\n".utf8).write(to: short)
        try Data("abc def ghi jkl mno pqr".utf8).write(to: spaced)
        let ok = try ServeConfiguration(bind: try BindAddress(host: "0.0.0.0", port: 0), archive: archive, tokenFile: good, templates: nil)
        #expect(ok.token != nil)
        #expect(!"\(String(describing: ok.token))".contains(Self.token))
        for bad in [short, spaced, tmp.path("missing")] {
            #expect(throws: UsageError.self) {
                try ServeConfiguration(bind: try BindAddress(host: "0.0.0.0", port: 0), archive: archive, tokenFile: bad, templates: nil)
            }
        }
        #expect(try ServeConfiguration(bind: try BindAddress(host: "127.0.0.1", port: 0), archive: archive, tokenFile: nil, templates: nil).token == nil)
    }

    @Test func comparisonIsExact() throws {
        let auth = ViewerAuth(token: try ViewerToken(text: Self.token))
        #expect(auth.isToken(Self.token))
        #expect(!auth.isToken(Self.token + " "))
        #expect(!auth.isToken(""))
        #expect(!auth.isToken(String(Self.token.reversed())))
        #expect(ViewerAuth.equal([1, 2, 3], [1, 2, 3]) && !ViewerAuth.equal([1, 2, 3], [1, 2, 4]) && !ViewerAuth.equal([1], [1, 1]))
    }
}
