import Foundation
import Hummingbird
import NIOCore

/// `HTTPField.Name`, reached through the `HTTPFields` Hummingbird re-exports.
typealias HeaderName = HTTPFields.Element.Name

/// The headers on every viewer response, and the responses built from them.
enum ViewerHeaders {
    /// Only what the pages need: the stylesheet and script from `/assets/`, images from
    /// `/files/`, `fetch` to the viewer itself (search as you type); no inline script or style,
    /// no other origin, no framing.
    static let pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    /// Attachments run nothing, even when opened on their own.
    static let filePolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"

    static let contentSecurityPolicy = name("Content-Security-Policy")
    static let contentTypeOptions = name("X-Content-Type-Options")
    static let referrerPolicy = name("Referrer-Policy")
    static let frameOptions = name("X-Frame-Options")
    static let resourcePolicy = name("Cross-Origin-Resource-Policy")
    static let wwwAuthenticate = name("WWW-Authenticate")
    static let contentDisposition = name("Content-Disposition")

    /// A header name known to be valid (the fallback is never used).
    private static func name(_ text: String) -> HeaderName { HeaderName(text) ?? .contentType }

    /// The security headers every response carries.
    static func secure(_ fields: inout HTTPFields, policy: String = pagePolicy) {
        fields[contentSecurityPolicy] = policy
        fields[contentTypeOptions] = "nosniff"
        fields[referrerPolicy] = "no-referrer"
        fields[frameOptions] = "DENY"
        fields[resourcePolicy] = "same-origin"
        if fields[.cacheControl] == nil { fields[.cacheControl] = "no-store" }
    }

    static func response(_ status: HTTPResponse.Status, type: String, body: some Sequence<UInt8>,
                         extra: [(HeaderName, String)] = []) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = type
        for (k, v) in extra { fields[k] = v }
        secure(&fields)
        var buffer = ByteBuffer()
        buffer.writeBytes(Array(body))
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String, extra: [(HeaderName, String)] = []) -> Response {
        response(status, type: "text/html; charset=utf-8", body: text.utf8, extra: extra)
    }

    static func json(_ status: HTTPResponse.Status, _ data: Data, extra: [(HeaderName, String)] = []) -> Response {
        response(status, type: "application/json; charset=utf-8", body: data, extra: extra)
    }

    /// A 200 page.
    static func html(_ text: String) -> Response { html(.ok, text) }

    /// A 200 JSON document.
    static func json(_ data: Data) -> Response { json(.ok, data) }

    /// `{"error": "…"}`.
    static func jsonError(_ status: HTTPResponse.Status, _ message: String, extra: [(HeaderName, String)] = []) -> Response {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data("{\"error\":\"error\"}".utf8)
        return json(status, data, extra: extra)
    }

    static func redirect(to location: String, extra: [(HeaderName, String)] = []) -> Response {
        var fields = HTTPFields()
        fields[.location] = location
        for (k, v) in extra { fields[k] = v }
        secure(&fields)
        return Response(status: .seeOther, headers: fields)
    }
}
