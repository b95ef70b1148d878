import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Posts webhook bodies over HTTP as Chatwork does (`User-Agent: ChatWork-Webhook/1.0.0`,
/// JSON body, the signature in `X-ChatWorkWebhookSignature` or the `chatwork_webhook_signature`
/// query parameter). Used by ``SimWebhookSender``, and alone by tests that post hostile bodies.
public final class SimWebhookPoster: Sendable {
    private let client: HTTPClient
    /// False for the process-wide shared client, which is never shut down.
    private let ownsClient: Bool

    public init() {
        client = HTTPClient(eventLoopGroupProvider: .singleton)
        ownsClient = true
    }

    /// A poster over AsyncHTTPClient's shared client (the simulator's own deliveries: nothing to shut down).
    init(sharedClient: Void) {
        client = HTTPClient.shared
        ownsClient = false
    }

    /// Closes the HTTP client; call before dropping the poster.
    public func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    /// Chatwork's signature of a body.
    public static func sign(_ body: Data, key: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: key))).base64EncodedString()
    }

    /// Posts any bytes to `url` (hostile-input tests): `signature` goes in the header, or with
    /// `inQuery` in the `chatwork_webhook_signature` parameter; `method` may be other than POST.
    /// Returns the status, nil when the connection failed.
    public func post(_ body: Data, signature: String?, to url: URL, inQuery: Bool = false, method: String = "POST") async -> Int? {
        await post(body, signature: signature, to: url, inHeader: !inQuery, inQuery: inQuery, method: method)
    }

    /// As Chatwork sends a delivery: the signature both in the header and in the query parameter.
    func deliver(_ body: Data, signature: String, to url: URL) async -> Int? {
        await post(body, signature: signature, to: url, inHeader: true, inQuery: true, method: "POST")
    }

    private func post(_ body: Data, signature: String?, to url: URL, inHeader: Bool, inQuery: Bool, method: String) async -> Int? {
        var target = url.absoluteString
        if inQuery, let signature {
            let encoded = signature.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? signature
            target += (target.contains("?") ? "&" : "?") + "chatwork_webhook_signature=" + encoded
        }
        var request = HTTPClientRequest(url: target)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "ChatWork-Webhook/1.0.0")
        if let signature, inHeader { request.headers.add(name: "X-ChatWorkWebhookSignature", value: signature) }
        if method != "GET" { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try? await response.body.collect(upTo: 4096)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }
}
