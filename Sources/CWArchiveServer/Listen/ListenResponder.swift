import ChatworkAPI
import CWArchiveCore
import Foundation
import Hummingbird
import NIOCore

/// The listener's one responder. Order of checks: path (404), method (405), size (413),
/// signature (401), then the spool: 200 with an empty body only once the delivery is fsynced.
/// A delivery that cannot be made durable answers 500 (Chatwork does not send it again, so the
/// log says so loudly).
struct ListenResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    /// Chatwork's bodies are small; anything above this is refused with 413.
    static let maxBodySize = 1 << 20

    let path: String
    let authenticator: WebhookAuthenticator
    let spool: WebhookSpool
    let clock: any NowProvider
    let log: ListenLog

    static let signatureHeader = HTTPFields.Element.Name(WebhookSignature.headerName) ?? .authorization

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.uri.path == path else { return Self.answer(.notFound) }
        guard request.method == .post else {
            var r = Self.answer(.methodNotAllowed)
            r.headers[.allow] = "POST"
            return r
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxBodySize {
            log.refused(status: 413, reason: "body of \(length) bytes is over 1 MiB")
            return Self.closing(.contentTooLarge)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxBodySize)
        } catch is NIOTooManyBytesError {
            log.refused(status: 413, reason: "body over 1 MiB")
            return Self.closing(.contentTooLarge)
        }
        let body = Data(buffer.readableBytesView)
        let signature = request.headers[Self.signatureHeader] ?? Self.queryValue(request.uri.query, WebhookSignature.queryParameter)
        switch authenticator.check(body: body, signature: signature) {
        case .failure(let refusal):
            log.refused(status: 401, reason: refusal.logText)
            return Self.answer(.unauthorized)
        case .success(let delivery):
            do {
                let result = try spool.add(body, receivedAt: clock.now())
                log.accepted(delivery, duplicate: result == .duplicate)
                return Self.answer(.ok)
            } catch {
                log.failed("could not write a delivery to the spool, answered 500 (Chatwork will not send it again): \(error)")
                return Self.answer(.internalServerError)
            }
        }
    }

    /// An answer with an empty body (Chatwork wants at most 2,048 bytes; nothing is needed).
    static func answer(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentLength: "0"], body: .init())
    }

    /// An answer that closes the connection (the rest of a refused body is not read).
    static func closing(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentLength: "0", .connection: "close"], body: .init())
    }

    /// One query parameter, percent-decoded; a `+` is kept as `+` (Base64 has it), a space
    /// (a `+` a form encoder turned into one) becomes `+` again.
    static func queryValue(_ query: String?, _ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return String(parts[1]).removingPercentEncoding?.replacingOccurrences(of: " ", with: "+")
        }
        return nil
    }
}
