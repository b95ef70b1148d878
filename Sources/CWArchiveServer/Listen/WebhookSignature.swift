import Crypto
import Foundation

/// Chatwork's webhook signature: `Base64(HMAC-SHA256(key: Base64-decode(token), message: raw body))`,
/// sent in the `X-ChatWorkWebhookSignature` header and the `chatwork_webhook_signature` query parameter.
public enum WebhookSignature {
    /// The header Chatwork signs with.
    public static let headerName = "X-ChatWorkWebhookSignature"
    /// The query parameter that carries the same signature.
    public static let queryParameter = "chatwork_webhook_signature"

    /// The signature of `body` under `key`, as Chatwork sends it (for the simulator and tests).
    public static func sign(_ body: Data, key: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: key))).base64EncodedString()
    }

    /// True when `signature` (Base64 text) is the signature of `body` under `key`. The comparison
    /// takes the same time wherever the bytes differ (swift-crypto's constant-time check), so a
    /// forger learns nothing from how fast a wrong signature is refused.
    public static func isValid(_ signature: String, body: Data, key: [UInt8]) -> Bool {
        let text = signature.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count <= 256, let mac = Data(base64Encoded: text), mac.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: key))
    }
}
