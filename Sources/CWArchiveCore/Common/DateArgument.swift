import Foundation

/// Parses the dates of `--since` and `--until`: the one grammar and the one error message of
/// every command that takes a date (`search`, `export`, and anything added later).
///
/// Accepted: `YYYY-MM-DD` (a whole day in `timeZone`, the local zone unless told), and ISO 8601
/// date-times `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional zone `Z`, `±HH:MM` or `±HHMM`
/// (a space may stand for `T`; no zone means `timeZone`).
public enum DateArgument {
    /// Which end of a range the date bounds.
    public enum Bound: Sendable { case since, until }

    /// The Unix second where the range starts (`since`, inclusive) or the first second after it
    /// ends (`until`, exclusive): `--until 2024-05-01` ends at the start of 2024-05-02.
    public static func parse(_ text: String, as bound: Bound, timeZone: TimeZone = .current) throws -> Int {
        let flag = bound == .since ? "--since" : "--until"
        let s = text.trimmingCharacters(in: .whitespaces)
        guard let parsed = Parsed(s) else {
            throw UsageError("\(flag) \(TerminalText.quoted(text)): not a date; use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or ISO 8601 such as 2024-05-01T09:30:00+09:00")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = parsed.offsetSeconds.flatMap { TimeZone(secondsFromGMT: $0) } ?? timeZone
        var parts = DateComponents(year: parsed.year, month: parsed.month, day: parsed.day,
                                   hour: parsed.hour ?? 0, minute: parsed.minute ?? 0, second: parsed.second ?? 0)
        parts.calendar = calendar
        guard parts.isValidDate(in: calendar), let date = calendar.date(from: parts) else {
            throw UsageError("\(flag) \(TerminalText.quoted(text)): no such date or time")
        }
        var seconds = Int(date.timeIntervalSince1970.rounded(.down))
        if bound == .until {
            if parsed.hour == nil {
                guard let next = calendar.date(byAdding: .day, value: 1, to: date) else {
                    throw UsageError("\(flag) \(TerminalText.quoted(text)): no such date")
                }
                seconds = Int(next.timeIntervalSince1970.rounded(.down))
            } else {
                seconds += 1 // the named second is included
            }
        }
        return seconds
    }

    /// Both ends of a range, `until` exclusive; an empty range (`since` not before `until`) is refused.
    public static func range(since: String?, until: String?, timeZone: TimeZone = .current) throws -> (since: Int?, until: Int?) {
        let start = try since.map { try parse($0, as: .since, timeZone: timeZone) }
        let end = try until.map { try parse($0, as: .until, timeZone: timeZone) }
        if let start, let end, start >= end {
            throw UsageError("--since is not before --until: the range is empty")
        }
        return (start, end)
    }

    /// The fields of a date or date-time, checked for shape only.
    private struct Parsed {
        var year = 0, month = 0, day = 0
        var hour: Int?, minute: Int?, second: Int?
        var offsetSeconds: Int?

        init?(_ s: String) {
            let c = Array(s.utf8)
            var i = 0
            func number(_ digits: Int) -> Int? {
                guard i + digits <= c.count else { return nil }
                var v = 0
                for k in i..<(i + digits) {
                    guard c[k] >= 48, c[k] <= 57 else { return nil }
                    v = v * 10 + Int(c[k] - 48)
                }
                i += digits
                return v
            }
            func expect(_ ch: UInt8) -> Bool {
                guard i < c.count, c[i] == ch else { return false }
                i += 1
                return true
            }
            guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2) else { return nil }
            year = y; month = mo; day = d
            if i == c.count { return }
            guard c[i] == 84 || c[i] == 116 || c[i] == 32 else { return nil } // T t space
            i += 1
            guard let h = number(2), expect(58), let mi = number(2), h <= 23, mi <= 59 else { return nil }
            hour = h; minute = mi; second = 0
            if expect(58) {
                guard let sec = number(2), sec <= 59 else { return nil }
                second = sec
                if expect(46) || expect(44) { // fraction, ignored
                    let start = i
                    while i < c.count, c[i] >= 48, c[i] <= 57 { i += 1 }
                    guard i > start else { return nil }
                }
            }
            if i == c.count { return }
            if c[i] == 90 || c[i] == 122 { // Z
                i += 1
                offsetSeconds = 0
            } else if c[i] == 43 || c[i] == 45 { // + -
                let sign = c[i] == 45 ? -1 : 1
                i += 1
                guard let oh = number(2) else { return nil }
                _ = expect(58)
                guard let om = number(2), oh <= 23, om <= 59 else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
            guard i == c.count else { return nil }
        }
    }
}
