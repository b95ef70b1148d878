import CWArchiveCore
import Foundation

/// A request's path and query, decoded strictly: every path segment and every query name and
/// value is percent-decoded once (`+` is a space in the query); bad percent-encoding, invalid
/// UTF-8, NUL and other control characters make the request a 400. Nothing here becomes a path
/// or SQL: routes match segments exactly and hand typed values to the viewer.
struct RequestTarget: Sendable, Equatable {
    /// Decoded path segments (`/rooms/5` → `["rooms", "5"]`).
    let segments: [String]
    /// Decoded query items in order (a name may repeat).
    let query: [(name: String, value: String)]

    static func == (a: RequestTarget, b: RequestTarget) -> Bool {
        a.segments == b.segments && a.query.map(\.name) == b.query.map(\.name) && a.query.map(\.value) == b.query.map(\.value)
    }

    /// Longest path or query accepted (a search query is at most 1000 characters, encoded up to 9 bytes each).
    static let maxLength = 16 * 1024

    init(path: String, query: String?) throws(ViewerError) {
        guard path.utf8.count + (query?.utf8.count ?? 0) <= Self.maxLength else { throw .badRequest("the address is too long") }
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            segments.append(try Self.decode(raw, plusIsSpace: false))
        }
        self.segments = segments
        var items: [(String, String)] = []
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(kv[0], plusIsSpace: true)
            let value = kv.count > 1 ? try Self.decode(kv[1], plusIsSpace: true) : ""
            items.append((name, value))
        }
        self.query = items
    }

    static func decode(_ raw: Substring, plusIsSpace: Bool) throws(ViewerError) -> String {
        let text = plusIsSpace ? raw.replacingOccurrences(of: "+", with: " ") : String(raw)
        guard let decoded = text.removingPercentEncoding else {
            throw .badRequest("the address has bad percent-encoding")
        }
        if decoded.unicodeScalars.contains(where: UnicodeRules.isControl) {
            throw .badRequest("the address contains control characters")
        }
        return decoded
    }

    /// Every value of `name`.
    func values(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }

    /// The single value of `name`; a repeated one is a 400.
    func value(_ name: String) throws(ViewerError) -> String? {
        let all = values(name)
        guard all.count <= 1 else { throw .badRequest("the parameter \(name) is given more than once") }
        return all.first
    }

    /// A yes/no parameter: absent, empty, `0`, `false`, `off` or `no` is no; `1`, `true`, `on`, `yes` is yes.
    func flag(_ name: String) throws(ViewerError) -> Bool {
        guard let v = try value(name)?.lowercased() else { return false }
        switch v {
        case "", "0", "false", "off", "no": return false
        case "1", "true", "on", "yes": return true
        default: throw .badRequest("the parameter \(name) must be 1 or 0, not \(TerminalText.quoted(v, limit: 40))")
        }
    }

    /// Ids from repeated or comma-separated values (empty pieces ignored); anything not a
    /// positive number is a 400.
    func ids(_ name: String) throws(ViewerError) -> [Int] {
        var out: [Int] = []
        for v in values(name) {
            for piece in v.split(separator: ",") {
                let p = piece.trimmingCharacters(in: .whitespaces)
                if p.isEmpty { continue }
                guard let n = Self.positiveID(p) else {
                    throw .badRequest("the parameter \(name) must be a positive number, not \(TerminalText.quoted(p, limit: 40))")
                }
                if !out.contains(n) { out.append(n) }
                guard out.count <= 100 else { throw .badRequest("the parameter \(name) names more than 100 ids") }
            }
        }
        return out
    }

    /// A positive decimal id of at most 18 digits (so it fits SQLite's integers), else nil.
    static func positiveID(_ s: some StringProtocol) -> Int? {
        guard !s.isEmpty, s.utf8.count <= 18, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(s), n > 0 else { return nil }
        return n
    }

    /// A message id from the URL: 1 to 64 visible characters, else nil.
    static func messageID(_ s: String) -> String? {
        guard !s.isEmpty, s.utf8.count <= 64, !s.unicodeScalars.contains(where: { UnicodeRules.isControl($0) || $0 == " " }) else { return nil }
        return s
    }
}
