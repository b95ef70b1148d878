import Foundation

/// The viewer's URLs, built in one place. Every value from the archive is percent-encoded
/// into a query or a path segment (message ids are untrusted text).
enum ViewerLinks {
    static func room(_ roomID: Int) -> String { "/rooms/\(roomID)" }

    static func room(_ roomID: Int, anchor: ViewerAnchor, history: Bool) -> String {
        var query: [(String, String)] = []
        switch anchor {
        case .newest: break
        case .oldest: query.append(("oldest", "1"))
        case .before(let id): query.append(("before", id))
        case .after(let id): query.append(("after", id))
        }
        if history { query.append(("history", "1")) }
        return room(roomID) + Self.query(query)
    }

    static func message(_ roomID: Int, _ messageID: String) -> String {
        "/rooms/\(roomID)/messages/\(segment(messageID))"
    }

    static func file(sha256: String) -> String { "/files/\(sha256)" }

    /// `?a=b&c=d`, or "" without items.
    static func query(_ items: [(String, String)]) -> String {
        items.isEmpty ? "" : "?" + items.map { "\(component($0.0))=\(component($0.1))" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// A query component: everything but unreserved characters percent-encoded. Text that is all
    /// unreserved ASCII (message ids, numbers) is returned as it is, without Foundation's
    /// encoder (6 % of a `/rooms/ID` page's CPU went to encoding message ids that need none).
    static func component(_ s: String) -> String {
        if s.utf8.allSatisfy(isUnreservedASCII) { return s }
        return s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static func isUnreservedASCII(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    /// A path segment: the same rule (no `/`, `?`, `#` or `%` survives).
    static func segment(_ s: String) -> String { component(s) }

    /// Whether `s` is a SHA-256 in lower- or upper-case hex (64 characters).
    static func isSHA256(_ s: some StringProtocol) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
    }
}

/// Links a message's archived files to the viewer's `/files/SHA256` (nothing is copied).
struct ViewerFileLinks: AttachmentLinking {
    static func href(_ file: ExportFile) -> String? {
        guard file.isArchived, let sha = file.sha256, ViewerLinks.isSHA256(sha) else { return nil }
        return ViewerLinks.file(sha256: sha.lowercased())
    }

    func link(_ file: ExportFile) throws -> (href: String, path: String?)? {
        Self.href(file).map { ($0, nil) }
    }
}
