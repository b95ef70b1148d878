import Foundation

/// Parses the `--timezone` of every command: an IANA name (`Asia/Tokyo`), `UTC`, or a fixed
/// offset (`+09:00`, `-0530`).
public enum TimeZoneArgument {
    public static func parse(_ text: String, flag: String = "--timezone") throws -> TimeZone {
        let s = text.trimmingCharacters(in: .whitespaces)
        if !s.isEmpty, s.unicodeScalars.allSatisfy({ $0.isASCII && !UnicodeRules.isUnsafeForTerminal($0) }) {
            if let zone = TimeZone(identifier: s) { return zone }
            if let offset = offsetSeconds(s), let zone = TimeZone(secondsFromGMT: offset) { return zone }
        }
        throw UsageError("\(flag) \(TerminalText.quoted(text)): unknown time zone; use an IANA name such as Asia/Tokyo, UTC, or an offset such as +09:00")
    }

    /// `±HH:MM` or `±HHMM`, hours 0–18.
    private static func offsetSeconds(_ s: String) -> Int? {
        let c = Array(s.utf8)
        guard c.count == 5 || c.count == 6, c[0] == 0x2B || c[0] == 0x2D else { return nil }
        let digits = c.count == 6 ? (c[3] == 0x3A ? [c[1], c[2], c[4], c[5]] : []) : Array(c[1...4])
        guard digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let h = Int(digits[0] - 0x30) * 10 + Int(digits[1] - 0x30)
        let m = Int(digits[2] - 0x30) * 10 + Int(digits[3] - 0x30)
        guard h <= 18, m <= 59 else { return nil }
        return (c[0] == 0x2D ? -1 : 1) * (h * 3600 + m * 60)
    }
}
