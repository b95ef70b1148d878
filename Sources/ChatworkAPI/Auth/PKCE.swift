import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) with the `S256` method: a fresh random verifier per
/// login, and its challenge `BASE64URL(SHA256(verifier))` sent in the authorization URL.
///
/// The verifier is a secret until the code is exchanged: it never appears in `description`.
public struct PKCE: Sendable, Equatable, CustomStringConvertible {
    /// 43 characters of the unreserved set (32 random bytes, base64url without padding).
    public let verifier: String
    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    public var challenge: String { Self.challenge(for: verifier) }
    /// Always `S256` (the `plain` method gives no protection and is never used).
    public static let method = "S256"

    /// A verifier from the system's secure random generator.
    public init() {
        var generator = SystemRandomNumberGenerator()
        self.verifier = Self.base64URL(Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    /// A given verifier (tests, RFC 7636 appendix B).
    public init(verifier: String) { self.verifier = verifier }

    /// The S256 challenge of `verifier`.
    public static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Whether `verifier` is one RFC 7636 allows: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`.
    public static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
        }
    }

    /// Base64url without padding (RFC 4648 §5).
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A random URL-safe string of `bytes` random bytes (for `state`).
    public static func randomToken(bytes: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<max(1, bytes)).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    public var description: String { "PKCE(S256, verifier: <redacted>)" }
}
