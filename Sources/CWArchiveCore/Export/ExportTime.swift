import Foundation

/// Formats Unix times in one time zone, deterministically and without a locale
/// (fast enough for millions of messages).
public struct ExportClock: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// The parts of a local date and time.
    struct Civil { var year, month, day, hour, minute, second, offset: Int }

    func civil(_ unix: Int) -> Civil {
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(unix)))
        let local = unix + offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let secs = local - days * 86_400
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return Civil(year: y, month: m, day: d, hour: secs / 3600, minute: secs % 3600 / 60, second: secs % 60, offset: offset)
    }

    private func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `2024-05-01T09:30:00+09:00`.
    public func iso(_ unix: Int) -> String {
        let c = civil(unix)
        let sign = c.offset < 0 ? "-" : "+"
        let off = abs(c.offset)
        let zone = c.offset == 0 ? "Z" : "\(sign)\(pad(off / 3600)):\(pad(off % 3600 / 60))"
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))\(zone)"
    }

    /// `2024-05-01` (the local day, used to group messages).
    public func day(_ unix: Int) -> String {
        let c = civil(unix)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))"
    }

    /// `2024-05-01 (水)`-style heading with the English weekday: `2024-05-01 Wed`.
    public func dayHeading(_ unix: Int) -> String {
        let c = civil(unix)
        let local = unix + c.offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let names = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let w = ((days % 7) + 7) % 7
        return "\(day(unix)) \(names[w])"
    }

    /// `09:30`.
    public func time(_ unix: Int) -> String {
        let c = civil(unix)
        return "\(pad(c.hour)):\(pad(c.minute))"
    }

    /// `2024-05-01 09:30`.
    public func dateTime(_ unix: Int) -> String { "\(day(unix)) \(time(unix))" }

    /// The zone's name as shown in exports (`Asia/Tokyo`).
    public var zoneName: String { timeZone.identifier }
}

/// Reads the `--since` / `--until` values: `YYYY-MM-DD` (a whole local day) or an ISO 8601 date-time.
public enum ExportDateParser {
    /// The Unix time of `text`. A bare date means the start of that day, or with `endOfDay`
    /// the last second of it, in `timeZone`.
    public static func parse(_ text: String, timeZone: TimeZone, endOfDay: Bool) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "-")
        if parts.count == 3, t.count == 10, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           (1...12).contains(m), (1...31).contains(d) {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = timeZone
            guard let date = cal.date(from: DateComponents(year: y, month: m, day: d)) else {
                throw ExportError("invalid date \(text): use YYYY-MM-DD or an ISO 8601 date and time such as 2024-05-01T09:00:00+09:00")
            }
            let start = Int(date.timeIntervalSince1970)
            if !endOfDay { return start }
            let next = cal.date(byAdding: .day, value: 1, to: date).map { Int($0.timeIntervalSince1970) } ?? start + 86_400
            return next - 1
        }
        let f = ISO8601DateFormatter()
        if let date = f.date(from: t) { return Int(date.timeIntervalSince1970) }
        throw ExportError("invalid date \(text): use YYYY-MM-DD or an ISO 8601 date and time such as 2024-05-01T09:00:00+09:00")
    }
}
