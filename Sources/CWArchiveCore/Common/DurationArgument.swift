import Foundation

/// Parses durations such as `50m`, `2h`, `90s`, `1h30m`, `1d` (`--max-duration`).
///
/// Whole numbers with a unit each (`d`, `h`, `m`, `s`), largest first, at most one of each; no
/// sign, no decimals, no exponent, no `inf`. Zero is refused (a run that may not start is not a
/// run), and so is anything beyond 30 days.
public enum DurationParser {
    /// The longest duration accepted, in seconds.
    public static let maximum = 30 * 86_400

    /// The duration in seconds, or nil when `text` is not one.
    public static func parse(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !t.isEmpty, t.utf8.count <= 40 else { return nil }
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var total = 0
        var digits = ""
        var nextUnit = 0
        for c in t {
            if let d = c.wholeNumberValue, c.isASCII {
                digits.append(Character(String(d)))
                guard digits.count <= 9 else { return nil }
                continue
            }
            guard !digits.isEmpty, let i = units[nextUnit...].firstIndex(where: { $0.0 == c }), let n = Int(digits) else { return nil }
            total += n * units[i].1
            guard total <= maximum else { return nil }
            digits = ""
            nextUnit = i + 1
        }
        guard digits.isEmpty, total > 0 else { return nil }
        return total
    }

    /// The duration in seconds, or a ``UsageError`` naming `flag`.
    public static func parse(_ text: String, flag: String) throws -> Int {
        guard let n = parse(text) else {
            throw UsageError("\(flag) \(TerminalText.quoted(text)): not a duration; use whole numbers with a unit (d, h, m, s), such as 50m, 2h or 1h30m, more than 0 and at most 30d")
        }
        return n
    }
}
