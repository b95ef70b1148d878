import Foundation

/// What went wrong talking to the Chatwork API. Every description says what happened and what to
/// do; none contains the token.
public enum ChatworkAPIError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// 401: the token is wrong, expired or revoked.
    case unauthorized(messages: [String])
    /// 403: the token may not read this (a chat you are not in, a missing OAuth scope, an invite
    /// link of a chat you do not administer).
    case forbidden(path: String, messages: [String])
    /// 404: the message, task or file does not exist (any more).
    case notFound(path: String, messages: [String])
    /// 429: too many requests; `resetAt` is when the server said the window resets.
    case rateLimited(path: String, resetAt: Date?, messages: [String])
    /// 400: the request had a missing or invalid parameter.
    case badRequest(path: String, messages: [String])
    /// 5xx: the server failed.
    case server(status: Int, path: String, messages: [String])
    /// Any other status the API does not document.
    case unexpectedStatus(status: Int, path: String, messages: [String])
    /// The body was not the JSON the reference describes (or was cut short).
    case malformedResponse(path: String, detail: String)
    /// The request did not get an answer: connection refused or dropped, timeout, DNS failure.
    case transport(path: String, detail: String)
    /// The token cannot be sent (it contains spaces, line breaks or non-ASCII characters).
    case invalidCredential(reason: String)
    /// An argument cannot be put in a request (for example an empty message id).
    case invalidArgument(String)

    /// The HTTP status, when the server answered.
    public var status: Int? {
        switch self {
        case .unauthorized: return 401
        case .forbidden: return 403
        case .notFound: return 404
        case .rateLimited: return 429
        case .badRequest: return 400
        case .server(let status, _, _), .unexpectedStatus(let status, _, _): return status
        default: return nil
        }
    }

    /// Whether trying the same GET again may succeed (5xx, 408, transport errors, bad bodies).
    /// 429 is handled by waiting for the window instead; 400/401/403/404 never change by retrying.
    public var isRetryable: Bool {
        switch self {
        case .server, .transport, .malformedResponse: return true
        case .unexpectedStatus(let status, _, _): return status == 408
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let messages):
            return "Chatwork rejected the API token (HTTP 401\(Self.format(messages))): it is wrong, expired or revoked. "
                + "Check CHATWORK_API_TOKEN (or the token file); a new token can be issued in Chatwork under "
                + "Personal settings > API."
        case .forbidden(let path, let messages):
            return "No permission to read \(path) (HTTP 403\(Self.format(messages))). The token's account is not in "
                + "this chat, lacks the needed role (invite links need admin), or the OAuth token lacks the scope."
        case .notFound(let path, let messages):
            return "Not found: \(path) (HTTP 404\(Self.format(messages))). It may have been deleted."
        case .rateLimited(let path, let resetAt, let messages):
            let when = resetAt.map { " until \(ISO8601DateFormatter().string(from: $0))" } ?? ""
            return "Chatwork's rate limit was exceeded on \(path) (HTTP 429\(Self.format(messages))). "
                + "Requests are paused\(when); another program using the same token may be using up the limit."
        case .badRequest(let path, let messages):
            return "Chatwork refused the request \(path) as invalid (HTTP 400\(Self.format(messages))). "
                + "This is likely a bug in cwarchive; please report it."
        case .server(let status, let path, let messages):
            return "Chatwork's server failed on \(path) (HTTP \(status)\(Self.format(messages))). "
                + "Try again later; https://status.chatwork.com shows outages."
        case .unexpectedStatus(let status, let path, let messages):
            return "Chatwork answered \(path) with an unexpected HTTP \(status)\(Self.format(messages)). Try again later."
        case .malformedResponse(let path, let detail):
            return "Chatwork's answer to \(path) could not be read (\(detail)). Try again; if it persists, the API "
                + "may have changed: please report it."
        case .transport(let path, let detail):
            return "No answer from the Chatwork API for \(path) (\(detail)). Check the network connection "
                + "(and --api-base / CHATWORK_API_BASE), then try again."
        case .invalidCredential(let reason):
            return "The API token cannot be used: \(reason). Check CHATWORK_API_TOKEN (or the token file)."
        case .invalidArgument(let detail):
            return "Invalid request argument: \(detail)."
        }
    }

    public var errorDescription: String? { description }

    private static func format(_ messages: [String]) -> String {
        messages.isEmpty ? "" : ": " + messages.joined(separator: "; ")
    }
}

/// The `{"errors": [...]}` body Chatwork sends with 4xx answers.
struct ErrorBody: Decodable {
    var errors: [String]

    /// The messages of an error body, or an empty list when the body is something else. Each
    /// message is cut to a sane length and stripped of control characters.
    static func messages(from data: Data) -> [String] {
        guard !data.isEmpty, let body = try? JSONDecoder().decode(ErrorBody.self, from: data) else { return [] }
        return body.errors.prefix(5).map { message in
            let cleaned = String(String.UnicodeScalarView(message.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
            return cleaned.count > 300 ? String(cleaned.prefix(300)) + "…" : cleaned
        }
    }
}
