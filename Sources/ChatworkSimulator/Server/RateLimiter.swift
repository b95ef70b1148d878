import Foundation

/// Fixed-window request counter per token, like the real service's
/// `x-ratelimit-limit` / `-remaining` / `-reset` headers.
struct RateLimiter: Sendable {
    struct Window: Sendable {
        var start: Date
        var count: Int
    }

    /// What one request learned: whether it may proceed, and the header values.
    struct Verdict: Sendable, Equatable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        var reset: Int
    }

    var limit: Int
    var window: TimeInterval
    private var windows: [String: Window] = [:]

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = max(1, window)
    }

    /// Counts one request of `key` (a token, or "" when none was given) at `now`.
    mutating func count(_ key: String, now: Date) -> Verdict {
        var w = windows[key] ?? Window(start: now, count: 0)
        if now >= w.start.addingTimeInterval(window) {
            w = Window(start: now, count: 0)
        }
        w.count += 1
        windows[key] = w
        let reset = Int(w.start.addingTimeInterval(window).timeIntervalSince1970.rounded(.up))
        return Verdict(allowed: w.count <= limit, limit: limit, remaining: max(0, limit - w.count), reset: reset)
    }

    /// Header values for `key` without counting (for responses that do not count).
    func peek(_ key: String, now: Date) -> Verdict {
        guard let w = windows[key], now < w.start.addingTimeInterval(window) else {
            let reset = Int(now.addingTimeInterval(window).timeIntervalSince1970.rounded(.up))
            return Verdict(allowed: true, limit: limit, remaining: limit, reset: reset)
        }
        let reset = Int(w.start.addingTimeInterval(window).timeIntervalSince1970.rounded(.up))
        return Verdict(allowed: w.count < limit, limit: limit, remaining: max(0, limit - w.count), reset: reset)
    }
}
