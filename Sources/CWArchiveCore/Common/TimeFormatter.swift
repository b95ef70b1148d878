import Foundation

/// Formats Unix times in one time zone, deterministically and without a locale
/// (fast enough for millions of messages: one zone look-up per hour of messages, texts written
/// byte by byte).
public struct TimeFormatter: Sendable {
    public let timeZone: TimeZone
    private let offsets: ZoneOffsetCache

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        offsets = ZoneOffsetCache(timeZone: timeZone)
    }

    /// The parts of a local date and time.
    struct Civil { var year, month, day, hour, minute, second, offset: Int }

    func civil(_ unix: Int) -> Civil {
        let offset = offsets.offset(at: unix)
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

    /// The texts of one instant, from one conversion.
    struct Stamp {
        /// `2024-05-01`
        let day: String
        /// `09:30`
        let time: String
        /// `2024-05-01 09:30`
        let dateTime: String
        /// `2024-05-01T09:30:00+09:00`
        let iso: String
    }

    func stamp(_ unix: Int) -> Stamp {
        let c = civil(unix)
        return Stamp(day: Self.day(c), time: Self.time(c), dateTime: Self.dateTime(c), iso: Self.iso(c))
    }

    /// `2024-05-01T09:30:00+09:00`.
    public func iso(_ unix: Int) -> String { Self.iso(civil(unix)) }

    /// `2024-05-01` (the local day, used to group messages).
    public func day(_ unix: Int) -> String { Self.day(civil(unix)) }

    /// `2024-05-01 (水)`-style heading with the English weekday: `2024-05-01 Wed`.
    public func dayHeading(_ unix: Int) -> String {
        let c = civil(unix)
        let local = unix + c.offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let names = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let w = ((days % 7) + 7) % 7
        return "\(Self.day(c)) \(names[w])"
    }

    /// `09:30`.
    public func time(_ unix: Int) -> String { Self.time(civil(unix)) }

    /// `2024-05-01 09:30`.
    public func dateTime(_ unix: Int) -> String { Self.dateTime(civil(unix)) }

    /// The zone's name as shown in exports (`Asia/Tokyo`).
    public var zoneName: String { timeZone.identifier }

    // MARK: Formatting

    private static func iso(_ c: Civil) -> String {
        let off = abs(c.offset)
        guard (0...9999).contains(c.year) else {
            let zone = c.offset == 0 ? "Z" : "\(c.offset < 0 ? "-" : "+")\(pad(off / 3600)):\(pad(off % 3600 / 60))"
            return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))\(zone)"
        }
        let hours = off / 3600
        if c.offset != 0, hours > 99 {
            return "\(day(c))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))\(c.offset < 0 ? "-" : "+")\(pad(hours)):\(pad(off % 3600 / 60))"
        }
        return String(unsafeUninitializedCapacity: 25) { b in
            var i = writeDay(c, b, 0)
            b[i] = UInt8(ascii: "T"); i += 1
            i = two(c.hour, b, i); b[i] = UInt8(ascii: ":"); i += 1
            i = two(c.minute, b, i); b[i] = UInt8(ascii: ":"); i += 1
            i = two(c.second, b, i)
            if c.offset == 0 {
                b[i] = UInt8(ascii: "Z"); i += 1
            } else {
                b[i] = UInt8(ascii: c.offset < 0 ? "-" : "+"); i += 1
                i = two(hours, b, i); b[i] = UInt8(ascii: ":"); i += 1
                i = two(off % 3600 / 60, b, i)
            }
            return i
        }
    }

    private static func day(_ c: Civil) -> String {
        guard (0...9999).contains(c.year) else { return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))" }
        return String(unsafeUninitializedCapacity: 10) { writeDay(c, $0, 0) }
    }

    private static func time(_ c: Civil) -> String {
        String(unsafeUninitializedCapacity: 5) { b in
            var i = two(c.hour, b, 0)
            b[i] = UInt8(ascii: ":"); i += 1
            return two(c.minute, b, i)
        }
    }

    private static func dateTime(_ c: Civil) -> String { "\(day(c)) \(time(c))" }

    /// Writes `YYYY-MM-DD` (a year of 0…9999) at `i`.
    private static func writeDay(_ c: Civil, _ b: UnsafeMutableBufferPointer<UInt8>, _ i: Int) -> Int {
        b[i] = UInt8(48 + c.year / 1000); b[i + 1] = UInt8(48 + c.year / 100 % 10)
        b[i + 2] = UInt8(48 + c.year / 10 % 10); b[i + 3] = UInt8(48 + c.year % 10)
        b[i + 4] = UInt8(ascii: "-")
        var j = two(c.month, b, i + 5)
        b[j] = UInt8(ascii: "-"); j += 1
        return two(c.day, b, j)
    }

    /// Writes a number of 0…99 as two digits at `i`.
    private static func two(_ n: Int, _ b: UnsafeMutableBufferPointer<UInt8>, _ i: Int) -> Int {
        b[i] = UInt8(48 + n / 10)
        b[i + 1] = UInt8(48 + n % 10)
        return i + 2
    }

    private static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Remembers a zone's UTC offset for the last hour asked about: `TimeZone.secondsFromGMT(for:)`
/// is slow, and messages come in time order. An hour is cached only when its first and last
/// second have the same offset (no zone changes its offset twice within an hour); an hour with
/// a change in it is looked up second by second.
final class ZoneOffsetCache: @unchecked Sendable {
    // @unchecked: `hour` and `cached` are read and written only under `lock`.
    private let timeZone: TimeZone
    private let lock = NSLock()
    private var hour = Int.min
    private var cached = 0

    init(timeZone: TimeZone) { self.timeZone = timeZone }

    func offset(at unix: Int) -> Int {
        let h = unix >= 0 ? unix / 3600 : (unix - 3599) / 3600
        lock.lock()
        if h == hour {
            let o = cached
            lock.unlock()
            return o
        }
        lock.unlock()
        let first = lookup(h * 3600), last = lookup(h * 3600 + 3599)
        guard first == last else { return lookup(unix) }
        lock.lock()
        hour = h
        cached = first
        lock.unlock()
        return first
    }

    private func lookup(_ unix: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(unix)))
    }
}
