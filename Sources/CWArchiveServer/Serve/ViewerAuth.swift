import Crypto
import Foundation

/// The viewer's access rule when a token is configured: `Authorization: Bearer TOKEN`, or the
/// session cookie that `GET /login?token=TOKEN` sets. Every comparison is in constant time, over
/// SHA-256 digests (so that neither the length nor a prefix of the token leaks), and the token
/// never appears in a log, a page or a header the server sends (the cookie holds a value
/// derived from it).
struct ViewerAuth: Sendable {
    static let cookieName = "cwarchive_session"

    private let tokenDigest: [UInt8]
    /// The cookie's value: a keyed hash of the token.
    let sessionValue: String
    private let sessionDigest: [UInt8]

    init(token: ViewerToken) {
        tokenDigest = Array(SHA256.hash(data: Data(token.value.utf8)))
        let key = SymmetricKey(data: Data(token.value.utf8))
        sessionValue = HMAC<SHA256>.authenticationCode(for: Data("cwarchive viewer session v1".utf8), using: key)
            .map { String(format: "%02x", $0) }.joined()
        sessionDigest = Array(SHA256.hash(data: Data(sessionValue.utf8)))
    }

    /// Whether `candidate` is the token.
    func isToken(_ candidate: some StringProtocol) -> Bool {
        Self.equal(Array(SHA256.hash(data: Data(candidate.utf8))), tokenDigest)
    }

    /// Whether the request carries the token or the session cookie.
    func allows(authorization: [String], cookies: [String]) -> Bool {
        var ok = false
        for header in authorization {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer", isToken(parts[1].trimmingCharacters(in: .whitespaces)) { ok = true }
        }
        for header in cookies {
            for pair in header.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == Self.cookieName else { continue }
                if Self.equal(Array(SHA256.hash(data: Data(kv[1].trimmingCharacters(in: .whitespaces).utf8))), sessionDigest) { ok = true }
            }
        }
        return ok
    }

    /// The `Set-Cookie` value of a good login: HttpOnly, SameSite=Strict, the whole site.
    var setCookie: String { "\(Self.cookieName)=\(sessionValue); Path=/; HttpOnly; SameSite=Strict" }

    /// Compares two digests of equal length without an early exit.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
