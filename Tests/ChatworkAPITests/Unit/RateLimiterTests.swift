import ChatworkAPI
import Foundation
import Testing

@Suite("Rate limiter")
struct RateLimiterTests {
    /// Drives a limiter against a simulated server with the fake clock; returns the send times.
    func run(requests: Int, limit: Int, window: Int, latency: TimeInterval = 0.02) -> (sends: [Date], server: FixedWindowServer, clock: FakeClock) {
        let clock = FakeClock()
        var limiter = RateLimiter()
        var server = FixedWindowServer(limit: limit, window: window)
        var sends: [Date] = []
        var done = 0
        while done < requests {
            let wait = limiter.reserve(now: clock.now())
            #expect(wait >= 0)
            clock.advance(wait)
            sends.append(clock.now())
            clock.advance(latency)
            let answer = server.handle(at: clock.now())
            limiter.record(limit: answer.limit, remaining: answer.remaining, reset: answer.reset, serverDate: nil, now: clock.now())
            if answer.status == 429 {
                limiter.recordRateLimited(reset: answer.reset, now: clock.now())
            } else {
                limiter.recordSuccess()
                done += 1
            }
            if sends.count > requests * 3 { break }
        }
        return (sends, server, clock)
    }

    @Test("a long run on a tight limit never meets a 429")
    func noTooManyRequests() {
        let result = run(requests: 200, limit: 20, window: 3)
        #expect(result.server.tooManyRequests == 0)
        #expect(result.sends.count == 200)
        // 200 requests at 20 per 3 s need at least 27 s; pacing must not be wildly slower either.
        let total = result.sends.last!.timeIntervalSince(result.sends.first!)
        #expect(total >= 27)
        #expect(total < 60, "took \(total) s")
    }

    @Test("at most half a window is sent at once; the rest is spread, not burst then stalled")
    func spreadsRequests() {
        let result = run(requests: 100, limit: 20, window: 3)
        // Half the limit may go at once (10 of 20); the other half is spread over the window.
        // Burning the whole window at once would put 19 there.
        var maxInHalfSecond = 0
        for (index, start) in result.sends.enumerated() {
            let count = result.sends[index...].prefix { $0.timeIntervalSince(start) < 0.5 }.count
            maxInHalfSecond = max(maxInHalfSecond, count)
        }
        #expect(maxInHalfSecond <= 12, "\(maxInHalfSecond) requests within half a second")
        // And no long stall: the longest gap stays well below the window.
        let gaps = zip(result.sends.dropFirst(), result.sends).map { $0.timeIntervalSince($1) }
        #expect((gaps.max() ?? 0) < 1.6, "longest gap \(gaps.max() ?? 0) s")
    }

    @Test("a short run is not slowed down: 100 requests of a 300 budget go at once")
    func shortRunIsNotPaced() {
        let result = run(requests: 100, limit: 300, window: 300, latency: 0.01)
        #expect(result.server.tooManyRequests == 0)
        let total = result.sends.last!.timeIntervalSince(result.sends.first!)
        #expect(total < 2, "took \(total) s")
    }

    @Test("the real-world limit (300 per 5 minutes) is read from the headers, not assumed")
    func readsLimitFromHeaders() {
        let result = run(requests: 400, limit: 300, window: 300, latency: 0.2)
        #expect(result.server.tooManyRequests == 0)
        let gaps = zip(result.sends.dropFirst(), result.sends).map { $0.timeIntervalSince($1) }
        // About one request per second, never a stall of minutes.
        #expect((gaps.max() ?? 0) < 5)

        let small = run(requests: 30, limit: 10, window: 10)
        #expect(small.server.tooManyRequests == 0)
    }

    @Test("a 429 blocks every request until the reset the server gave, plus a little")
    func waitsUntilResetAfter429() {
        let clock = FakeClock()
        var limiter = RateLimiter(settings: .init(resetSlack: 1))
        let now = clock.now()
        let reset = Int(now.timeIntervalSince1970) + 10
        _ = limiter.reserve(now: now)
        limiter.record(limit: 300, remaining: 0, reset: reset, serverDate: nil, now: now)
        let wait = limiter.recordRateLimited(reset: reset, now: now)
        let expected = TimeInterval(reset) + 1 - now.timeIntervalSince1970
        #expect(abs(wait - expected) < 0.001)
        #expect(abs(limiter.reserve(now: now) - expected) < 0.001)
        // After the wait the window is fresh: no further delay.
        limiter.release()
        clock.advance(expected)
        #expect(limiter.reserve(now: clock.now()) == 0)
    }

    @Test("a 429 without a reset header backs off, doubling, within the maximum")
    func backsOffWithoutResetHeader() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var limiter = RateLimiter(settings: .init(maximumWait: 12, waitWithoutResetHeader: 5))
        #expect(limiter.recordRateLimited(reset: nil, now: now) == 5)
        #expect(limiter.recordRateLimited(reset: nil, now: now) == 10)
        #expect(limiter.recordRateLimited(reset: nil, now: now) == 12)
        limiter.recordSuccess()
        #expect(limiter.recordRateLimited(reset: nil, now: now.addingTimeInterval(100)) == 5)
    }

    @Test("an absurd reset time is capped by the maximum wait")
    func capsWait() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var limiter = RateLimiter(settings: .init(maximumWait: 330))
        let wait = limiter.recordRateLimited(reset: 1_700_000_000 + 86_400, now: now)
        #expect(wait == 330)
    }

    @Test("concurrent reservations share the remaining requests")
    func concurrentReservations() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var limiter = RateLimiter(settings: .init(reserve: 0, resetSlack: 0))
        _ = limiter.reserve(now: now)
        limiter.record(limit: 10, remaining: 4, reset: 1_700_000_010, serverDate: nil, now: now)
        let waits = (0..<6).map { _ in limiter.reserve(now: now) }
        #expect(waits == waits.sorted(), "slots are handed out in order: \(waits)")
        #expect(waits[0] < waits[1])
        // Four requests left: the fifth and sixth reservations must wait for the reset.
        #expect(waits[4] >= 10 - 0.001)
        #expect(waits[5] >= 10 - 0.001)
    }

    @Test("out-of-order answers of one window keep the smallest remaining count")
    func outOfOrderAnswers() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var limiter = RateLimiter()
        limiter.record(limit: 300, remaining: 120, reset: 1_700_000_100, serverDate: nil, now: now)
        limiter.record(limit: 300, remaining: 125, reset: 1_700_000_100, serverDate: nil, now: now)
        #expect(limiter.state?.remaining == 120)
        limiter.record(limit: 300, remaining: 299, reset: 1_700_000_400, serverDate: nil, now: now)
        #expect(limiter.state?.remaining == 299)
        limiter.record(limit: 300, remaining: 10, reset: 1_700_000_100, serverDate: nil, now: now)
        #expect(limiter.state?.remaining == 299, "a late answer from the old window is ignored")
    }

    @Test("a server clock ahead of ours is corrected with the Date header")
    func correctsClockSkew() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var limiter = RateLimiter()
        // The server is 100 s ahead: its reset 60 s from its now is 60 s from ours.
        limiter.record(limit: 300, remaining: 0, reset: 1_700_000_160, serverDate: now.addingTimeInterval(100), now: now)
        let resetAt = try? #require(limiter.state?.resetAt)
        #expect(resetAt.map { abs($0.timeIntervalSince(now) - 60) < 0.001 } == true)
    }

    @Test("missing headers leave the limiter alone")
    func missingHeaders() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var limiter = RateLimiter()
        limiter.record(limit: nil, remaining: nil, reset: nil, serverDate: nil, now: now)
        #expect(limiter.state == nil)
        #expect(limiter.reserve(now: now) == 0)
    }
}

@Suite("Backoff")
struct BackoffTests {
    @Test("delays grow exponentially, with jitter, within the maximum")
    func grows() {
        let backoff = Backoff(base: 0.5, maximum: 30)
        #expect(backoff.delay(forAttempt: 1, random: 0) == 0.25)
        #expect(backoff.delay(forAttempt: 1, random: 1) == 0.5)
        #expect(backoff.delay(forAttempt: 2, random: 1) == 1)
        #expect(backoff.delay(forAttempt: 4, random: 0.5) == 3)
        #expect(backoff.delay(forAttempt: 20, random: 1) == 30)
        #expect(backoff.delay(forAttempt: 1000, random: 0) == 15)
        for attempt in 1...10 {
            let low = backoff.delay(forAttempt: attempt, random: 0)
            let high = backoff.delay(forAttempt: attempt, random: 0.999)
            #expect(low < high)
            #expect(high <= 30)
        }
    }
}
