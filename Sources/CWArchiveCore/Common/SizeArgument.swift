/// Parses sizes such as `500M`, `2G`, `1.5GB`, `1048576` (bytes; K, M, G, T are powers of 1024).
///
/// Only plain decimal numbers are accepted: no sign, no exponent, no `inf` or `nan`, no hex, and
/// a size beyond 2^62 bytes is refused rather than overflowing.
public enum SizeParser {
    /// The size in bytes, or nil when `text` is not a size.
    public static func parse(_ text: String) -> Int? {
        var t = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        let units: [(String, Double)] = [("TB", 0x1p40), ("GB", 0x1p30), ("MB", 0x1p20), ("KB", 0x1p10),
                                         ("T", 0x1p40), ("G", 0x1p30), ("M", 0x1p20), ("K", 0x1p10), ("B", 1)]
        var factor: Double = 1
        for (suffix, f) in units where t.hasSuffix(suffix) {
            t = t.dropLast(suffix.count)
            factor = f
            break
        }
        if t.last == " " { t = Substring(t.trimmingCharacters(in: .whitespaces)) }
        // Digits with at most one decimal point, nothing else.
        guard !t.isEmpty, t.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
              t.utf8.filter({ $0 == 0x2E }).count <= 1, t.utf8.contains(where: { $0 != 0x2E }),
              let n = Double(t) else { return nil }
        let bytes = (n * factor).rounded(.down)
        guard bytes.isFinite, bytes >= 0, bytes <= 0x1p62 else { return nil }
        return Int(bytes)
    }

    /// The size in bytes, or a ``UsageError`` naming `flag`.
    public static func parse(_ text: String, flag: String) throws -> Int {
        guard let n = parse(text) else {
            throw UsageError("\(flag) \(TerminalText.quoted(text)): not a size; use a number of bytes or one with K, M, G or T, such as 500M or 2G")
        }
        return n
    }
}
