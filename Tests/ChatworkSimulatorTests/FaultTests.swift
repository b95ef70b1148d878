import Foundation
import Testing
@testable import ChatworkSimulator

/// Each kind of injected fault, seen from a real HTTP client.
@Suite struct FaultTests {
    func downloadURL(_ sim: ChatworkSimulator) async throws -> URL {
        let info = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/files/1001?create_download_url=1"), token: Fixture.token)
        return try #require((try info.object()["download_url"] as? String).flatMap(URL.init(string:)))
    }

    @Test func errorRateAnswers5xxWithErrorsBody() async throws {
        try await Fixture.with(faults: FaultConfiguration(errorRate: 1)) { sim async throws in
            for _ in 0..<6 {
                let result = try await HTTP.get(sim.url("/me"), token: Fixture.token)
                #expect([500, 502, 503].contains(result.status))
                #expect(try (result.object()["errors"] as? [String])?.isEmpty == false)
                #expect(result.headers["x-ratelimit-limit"] == "300")
            }
        }
    }

    @Test func sameSeedGivesSameFaults() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            let sim = try await Fixture.start(faults: FaultConfiguration(errorRate: 0.5, seed: seed))
            var out: [Int] = []
            for _ in 0..<12 { out.append(try await HTTP.get(sim.url("/me"), token: Fixture.token).status) }
            await sim.stop()
            return out
        }
        let a = try await statuses(seed: 7)
        #expect(a == (try await statuses(seed: 7)))
        #expect(a.contains(200))
        #expect(a.contains { $0 >= 500 })
    }

    @Test func latencyDelaysAnswers() async throws {
        try await Fixture.with(faults: FaultConfiguration(latency: 0.3)) { sim async throws in
            let start = Date()
            #expect(try await HTTP.get(sim.url("/me"), token: Fixture.token).status == 200)
            #expect(Date().timeIntervalSince(start) >= 0.3)
        }
    }

    @Test func droppedConnectionsGiveNoResponse() async throws {
        try await Fixture.with(faults: FaultConfiguration(dropRate: 1)) { sim async throws in
            await #expect(throws: (any Error).self) {
                _ = try await HTTP.get(sim.url("/me"), token: Fixture.token)
            }
            #expect(sim.requestLog().first?.hasSuffix("DROPPED") == true)
            sim.setFaults(.none)
            #expect(try await HTTP.get(sim.url("/me"), token: Fixture.token).status == 200)
        }
    }

    @Test func truncatedBodiesFailTheClient() async throws {
        try await Fixture.with(faults: FaultConfiguration(truncateRate: 1)) { sim async throws in
            await #expect(throws: (any Error).self) {
                _ = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/messages?force=1"), token: Fixture.token)
            }
            #expect(sim.requestLog().last?.hasSuffix("200 TRUNCATED") == true)
        }
    }

    @Test func truncatedDownloadsFailTheClient() async throws {
        try await Fixture.with { sim async throws in
            let url = try await downloadURL(sim)
            sim.setFaults(FaultConfiguration(truncateRate: 1, scope: .download))
            await #expect(throws: (any Error).self) {
                _ = try await HTTP.get(url)
            }
            // The API is out of scope and still fine.
            #expect(try await HTTP.get(sim.url("/me"), token: Fixture.token).status == 200)
        }
    }

    @Test func malformedJSONKeeps200ButCannotBeParsed() async throws {
        try await Fixture.with(faults: FaultConfiguration(malformedJSONRate: 1)) { sim async throws in
            let result = try await HTTP.get(sim.url("/rooms"), token: Fixture.token)
            #expect(result.status == 200)
            #expect(throws: (any Error).self) { try result.json() }
            #expect(result.headers["content-length"] == String(result.body.count))
        }
    }

    @Test func wrongContentType() async throws {
        try await Fixture.with(faults: FaultConfiguration(wrongContentTypeRate: 1)) { sim async throws in
            let result = try await HTTP.get(sim.url("/me"), token: Fixture.token)
            #expect(result.headers["content-type"]?.hasPrefix("text/html") == true)
            sim.setFaults(.none)
            let fine = try await HTTP.get(sim.url("/me"), token: Fixture.token)
            #expect(fine.headers["content-type"]?.hasPrefix("application/json") == true)
        }
    }

    @Test func storm429AnswersTheNextNRequests() async throws {
        try await Fixture.with(faults: FaultConfiguration(storm429Count: 3)) { sim async throws in
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await HTTP.get(sim.url("/me"), token: Fixture.token).status) }
            #expect(statuses == [429, 429, 429, 200, 200])
            sim.setFaults(FaultConfiguration(storm429Count: 1))
            let storm = try await HTTP.get(sim.url("/me"), token: Fixture.token)
            #expect(storm.status == 429)
            #expect(storm.headers["x-ratelimit-remaining"] == "0")
        }
    }

    @Test func expiredDownloadURLs() async throws {
        try await Fixture.with(faults: FaultConfiguration(expireDownloadURLs: true)) { sim async throws in
            let result = try await HTTP.get(try await downloadURL(sim))
            #expect(result.status == 403)
            #expect(result.text.contains("Request has expired"))
        }
    }

    @Test func downloadAnswersHTMLErrorPageWith200() async throws {
        try await Fixture.with(faults: FaultConfiguration(downloadHTMLErrorPage: true)) { sim async throws in
            let result = try await HTTP.get(try await downloadURL(sim))
            #expect(result.status == 200)
            #expect(result.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(result.text.contains("<html>"))
            #expect(result.body != SimFileContent.generatedData(seed: 5, size: 1000))
        }
    }

    @Test func scopeLimitsWhereFaultsApply() async throws {
        try await Fixture.with(faults: FaultConfiguration(errorRate: 1, scope: .download)) { sim async throws in
            let url = try await downloadURL(sim)
            let result = try await HTTP.get(url)
            #expect([500, 502, 503].contains(result.status))
            #expect(result.text.contains("<Error>"))
            #expect(sim.faults.scope == .download)
        }
    }
}

/// The same faults seen on the wire.
@Suite struct FaultWireTests {
    @Test func dropSendsNothing() async throws {
        try await Fixture.with(faults: FaultConfiguration(dropRate: 1)) { sim async throws in
            let port = try #require(sim.port)
            let exchange = try await RawHTTP.fetch(port: port, target: "/v2/me", token: Fixture.token)
            #expect(exchange.head.isEmpty)
            #expect(exchange.body.isEmpty)
        }
    }

    @Test func truncateSendsLessThanContentLength() async throws {
        try await Fixture.with(faults: FaultConfiguration(truncateRate: 1)) { sim async throws in
            let port = try #require(sim.port)
            let exchange = try await RawHTTP.fetch(port: port, target: "/v2/rooms/\(Fixture.adminGroup)/messages?force=1", token: Fixture.token)
            #expect(exchange.head.hasPrefix("HTTP/1.1 200"))
            let length = try #require(exchange.contentLength)
            #expect(exchange.body.count > 0)
            #expect(exchange.body.count < length)
        }
    }

    @Test func noContentHasNoBody() async throws {
        try await Fixture.with { sim async throws in
            let port = try #require(sim.port)
            let exchange = try await RawHTTP.fetch(port: port, target: "/v2/rooms/\(Fixture.emptyRoom)/messages", token: Fixture.token)
            #expect(exchange.head.hasPrefix("HTTP/1.1 204"))
            #expect(exchange.body.isEmpty)
            #expect(exchange.head.lowercased().contains("x-ratelimit-remaining: 299"))
        }
    }
}
