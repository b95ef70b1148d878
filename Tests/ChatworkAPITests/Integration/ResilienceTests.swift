import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing

@Suite("Rate limits and faults against the simulator")
struct ResilienceTests {
    typealias H = SimulatorHarness

    @Test("a long run on a tight limit (20 per 3 s) never meets a 429")
    func pacingAvoids429() async throws {
        // Real time on purpose: the simulator's answers carry a real `Date` header, from which the
        // client corrects its reset times, so a manual clock here drifts from it under load and
        // meets 429s. The bounds are loose (9 s minimum, 30 s maximum).
        try await H.run(simulator: .init(rateLimit: 20, rateWindow: 3)) { sim, client async throws in
            let start = Date()
            var answered = 0
            for index in 0..<70 {
                switch index % 3 {
                case 0: answered += try await client.rooms().isEmpty ? 0 : 1
                case 1: answered += try await client.me().accountID == H.alice ? 1 : 0
                default: answered += try await client.members(roomID: H.groupRoom).isEmpty ? 0 : 1
                }
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(answered == 70)
            let log = sim.requestLog()
            #expect(H.count(status: 429, in: log) == 0, "429s met: \(log.filter { $0.contains(" 429") })")
            #expect(log.count == 70)
            let stats = await client.statistics
            #expect(stats.rateLimitedResponses == 0)
            #expect(stats.lastRateLimit?.limit == 20)
            // 70 requests at 20 per 3 s cannot take less than three full windows.
            #expect(elapsed >= 9, "finished in \(elapsed) s: faster than the limit allows")
            // Only a stuck run: pacing is measured by cwbench, not asserted as a timing here.
            #expect(elapsed < 120, "pacing stuck: \(elapsed) s")
        }
    }

    @Test("concurrent callers share the limit without a 429")
    func concurrentPacing() async throws {
        try await H.run(simulator: .init(rateLimit: 15, rateWindow: 2)) { sim, client async throws in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var n = 0
                        for _ in 0..<10 { n += try await client.rooms().count }
                        return n
                    }
                }
                var total = 0
                for try await n in group { total += n }
                #expect(total == 40 * 6)
            }
            #expect(H.count(status: 429, in: sim.requestLog()) == 0)
        }
    }

    @Test("a storm of 429s is waited out until x-ratelimit-reset, then the request succeeds")
    func recoversFrom429Storm() async throws {
        // One manual timeline for the client and the simulator: the waits are measured on it, so
        // a loaded machine cannot stretch them (it made a wall-clock bound of 15 s fail at 15.2 s).
        let clock = ManualClock(start: Date())
        let simClock = SimulatorClock(following: { clock.now() })
        try await H.run(simulator: .init(rateLimit: 100, rateWindow: 1, faults: .init(storm429Count: 3), clock: simClock),
                        clock: clock) { sim, client async throws in
            let start = clock.now()
            let me = try await client.me()
            let elapsed = clock.now().timeIntervalSince(start)
            #expect(me.accountID == H.alice)
            let log = sim.requestLog()
            #expect(H.count(status: 429, in: log) == 3)
            #expect(log.last?.hasSuffix(" 200") == true)
            let stats = await client.statistics
            #expect(stats.rateLimitedResponses == 3)
            #expect(stats.retries == 0, "429 waits are not counted as retries")
            // Each 429 waits for the reset. The first wait is exact: the window is at most 1 s,
            // its reset is rounded up to a whole second, plus 1 s of slack. (Later waits also
            // correct for the skew between the shared clock and the real-time Date header that
            // Hummingbird stamps on every answer, so only the first one has a tight bound.)
            let waits = clock.sleeps.filter { $0 >= 0.5 }
            #expect(waits.count == 3, "one wait per 429: \(clock.sleeps)")
            let first = try #require(waits.first)
            #expect(first >= 1 && first <= 3, "waited \(first) s for a 1 s window")
            #expect(elapsed >= 1.5, "did not wait for the reset: \(elapsed) s")
            #expect(elapsed < 60, "waits: \(clock.sleeps)")
        }
    }

    @Test("after a 429 the client sleeps on its injected clock until x-ratelimit-reset")
    func waitsOnInjectedClock() async throws {
        let clock = FakeClock(start: Date())
        let simClock = SimulatorClock(following: { clock.now() })
        try await H.run(simulator: .init(rateLimit: H.generousLimit, rateWindow: 60, faults: .init(storm429Count: 3), clock: simClock),
                        clock: clock) { sim, client async throws in
            let started = clock.now()
            #expect(try await client.me().accountID == H.alice)
            // The fake clock moved only by the waits asked of it: the client slept on it, not for real.
            let moved = clock.now().timeIntervalSince(started)
            #expect(abs(moved - clock.sleeps.filter { $0 > 0 }.reduce(0, +)) < 0.001)
            let long = clock.sleeps.filter { $0 >= 1 }
            #expect(long.count == 3, "one wait per 429: \(clock.sleeps)")
            // The first wait runs to the window's reset, about 60 s away on the shared clock. The
            // client corrects reset times with the answer's `Date` header, which is real time, so
            // real seconds spent before the 429 (a loaded machine) shorten it: a loose lower bound.
            let first = try #require(long.first)
            // On a machine loaded enough to spend most of the window before the 429, the wait is
            // short but still a wait to the reset, never the sub-second backoff of a retry.
            #expect(first >= 1 && first < 75, "waited \(first) s")
            #expect(await client.statistics.rateLimitedResponses == 3)
            #expect(H.count(status: 429, in: sim.requestLog()) == 3)
        }
    }

    @Test("a 429 storm longer than maxRateLimitWaits ends with rateLimited")
    func givesUpOnEndless429() async throws {
        try await H.run(simulator: .init(rateLimit: 100, rateWindow: 1, faults: .init(storm429Count: 50)),
            maxRateLimitWaits: 1) { sim, client async throws in
            let error = await #expect(throws: ChatworkAPIError.self) { try await client.rooms() }
            #expect(error?.status == 429)
            #expect(error?.description.contains("rate limit") == true)
            #expect(sim.requestCount == 2)
        }
    }

    @Test("injected 5xx are retried with backoff until they succeed")
    func recoversFromServerErrors() async throws {
        try await H.run(simulator: H.fast(faults: .init(errorRate: 0.4, scope: .api, seed: 7))) { sim, client async throws in
            for _ in 0..<25 {
                #expect(try await client.room(H.groupRoom).roomID == H.groupRoom)
            }
            let log = sim.requestLog()
            let failures = log.filter { $0.hasSuffix(" 500") || $0.hasSuffix(" 502") || $0.hasSuffix(" 503") }.count
            #expect(failures > 0, "the fault injector produced no 5xx")
            #expect(await client.statistics.retries == failures)
        }
    }

    @Test("dropped connections are retried")
    func recoversFromDroppedConnections() async throws {
        try await H.run(simulator: H.fast(faults: .init(dropRate: 0.3, scope: .api, seed: 3))) { sim, client async throws in
            for _ in 0..<20 {
                #expect(try await client.members(roomID: H.groupRoom).count == 3)
            }
            let dropped = sim.requestLog().filter { $0.hasSuffix("DROPPED") }.count
            #expect(dropped > 0)
            #expect(await client.statistics.retries >= dropped)
        }
    }

    @Test("truncated and malformed bodies are retried, never crash")
    func recoversFromBadBodies() async throws {
        let faults = FaultConfiguration(truncateRate: 0.25, malformedJSONRate: 0.25, wrongContentTypeRate: 0.2, scope: .api, seed: 11)
        try await H.run(simulator: H.fast(faults: faults)) { sim, client async throws in
            for _ in 0..<20 {
                #expect(try await client.messages(roomID: H.groupRoom, force: true).messages.count == 3)
            }
            let log = sim.requestLog()
            let bad = log.filter { $0.hasSuffix("TRUNCATED") || $0.hasSuffix("MALFORMED") }.count
            #expect(bad > 0)
            #expect(log.contains { $0.hasSuffix("WRONG-CONTENT-TYPE") })
            #expect(await client.statistics.retries == bad)
        }
    }

    @Test("bodies that are always malformed end in malformedResponse")
    func malformedGivesUp() async throws {
        try await H.run(simulator: H.fast(faults: .init(malformedJSONRate: 1, scope: .api)), maxRetries: 2) { sim, client async throws in
            let error = await #expect(throws: ChatworkAPIError.self) { try await client.me() }
            if case .malformedResponse(let path, _) = error {
                #expect(path == "/me")
            } else {
                Issue.record("expected malformedResponse, got \(String(describing: error))")
            }
            #expect(sim.requestCount == 3)
        }
    }
}
