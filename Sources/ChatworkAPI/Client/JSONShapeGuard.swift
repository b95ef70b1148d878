import Foundation

/// Checks a response body before it reaches `JSONDecoder`: nesting far deeper than any Chatwork
/// answer (at most a few levels) is refused, so a broken or hostile server cannot drive the
/// decoder into deep recursion. One pass over the bytes, strings skipped.
enum JSONShapeGuard {
    /// Deeper than this is not a Chatwork answer.
    static let maximumDepth = 64

    /// A description of what is wrong, or nil when the body may be decoded.
    static func problem(in body: Data) -> String? {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth > maximumDepth { return "the JSON is nested more than \(maximumDepth) levels deep" }
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return nil
    }
}
