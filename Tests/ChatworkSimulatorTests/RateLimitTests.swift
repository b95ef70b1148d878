import Foundation
import Testing
@testable import ChatworkSimulator

/// `x-ratelimit-*` on every response, 429 past the limit, windows per token, downloads free.
@Suite struct RateLimitTests {
    @Test func everyResponseCarriesTheHeaders() async throws {
        try await Fixture.with { sim async throws in
            let reset = String(Fixture.base + 100_000 + 300)
            for (path, token, status) in [
                ("/me", Fixture.token, 200), ("/me", nil, 401), ("/rooms/\(Fixture.foreignRoom)", Fixture.token, 403),
                ("/rooms/999", Fixture.token, 404), ("/rooms/\(Fixture.emptyRoom)/messages", Fixture.token, 204),
            ] as [(String, String?, Int)] {
                let result = try await HTTP.get(sim.url(path), token: token)
                #expect(result.status == status, "\(path)")
                #expect(result.headers["x-ratelimit-limit"] == "300", "\(path)")
                #expect(result.headers["x-ratelimit-remaining"] != nil, "\(path)")
                #expect(result.headers["x-ratelimit-reset"] == reset, "\(path)")
            }
        }
    }

    @Test func remainingCountsDownAndThen429UntilReset() async throws {
        try await Fixture.with(rateLimit: 3) { sim async throws in
            var remaining: [String?] = []
            for _ in 0..<3 {
                remaining.append(try await HTTP.get(sim.url("/me"), token: Fixture.token).headers["x-ratelimit-remaining"])
            }
            #expect(remaining == ["2", "1", "0"])
            let limited = try await HTTP.get(sim.url("/me"), token: Fixture.token)
            #expect(limited.status == 429)
            #expect(try (limited.object()["errors"] as? [String])?.isEmpty == false)
            #expect(limited.headers["x-ratelimit-remaining"] == "0")
            // Another token has its own window.
            #expect(try await HTTP.get(sim.url("/me"), token: Fixture.bobToken).status == 200)
            // After the window, the count starts again.
            sim.clock.advance(by: 301)
            let again = try await HTTP.get(sim.url("/me"), token: Fixture.token)
            #expect(again.status == 200)
            #expect(again.headers["x-ratelimit-remaining"] == "2")
            #expect(again.headers["x-ratelimit-reset"] == String(Fixture.base + 100_000 + 301 + 300))
        }
    }

    @Test func downloadsDoNotCountButAskingForTheURLDoes() async throws {
        try await Fixture.with(rateLimit: 2) { sim async throws in
            let info = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/files/1001?create_download_url=1"), token: Fixture.token)
            #expect(info.headers["x-ratelimit-remaining"] == "1")
            let url = try #require((try info.object()["download_url"] as? String).flatMap(URL.init(string:)))
            for _ in 0..<3 {
                #expect(try await HTTP.get(url).status == 200)
            }
            #expect(try await HTTP.get(sim.url("/me"), token: Fixture.token).headers["x-ratelimit-remaining"] == "0")
            #expect(sim.requestCount == 2)
            #expect(sim.downloadCount == 3)
        }
    }
}
