import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One answer of the API: status, headers and the whole body.
struct APIResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
}

extension ChatworkClient {
    /// GETs `path`, retrying transient failures and waiting out 429s, and decodes the body.
    /// `noContent` is the value of a 204 answer; nil makes a 204 a malformed response.
    func fetch<T: Decodable & Sendable>(
        _ type: T.Type, path: String, query: [URLQueryItem] = [], noContent: T?
    ) async throws -> (value: T, headers: HTTPHeaders) {
        var failures = 0
        var rateLimitWaits = 0
        var renewedAfterRejection = false
        while true {
            var sent: ChatworkCredential?
            do {
                let credential = try await currentCredential()
                sent = credential
                let response = try await attempt(path: path, query: query, credential: credential)
                let value = try decode(type, response: response, path: path, noContent: noContent)
                limiter.recordSuccess()
                return (value, response.headers)
            } catch let error as ChatworkAPIError {
                if case .unauthorized = error, let tokenProvider, !renewedAfterRejection, let sent {
                    // An OAuth access token expired or was revoked early: renew it once and retry.
                    renewedAfterRejection = true
                    logger.info("Chatwork refused the OAuth access token for \(path) (HTTP 401); renewing it and trying again")
                    _ = try await tokenProvider.accessToken(replacingRejected: sent.secret)
                    continue
                }
                if case .rateLimited = error {
                    rateLimitWaits += 1
                    guard rateLimitWaits <= configuration.maxRateLimitWaits else {
                        logger.error("Giving up on \(path): still rate limited after \(rateLimitWaits - 1) waits")
                        throw error
                    }
                    // The limiter now blocks until the reset; the next attempt waits for it.
                    continue
                }
                guard error.isRetryable, failures < configuration.maxRetries else { throw error }
                failures += 1
                stats.retries += 1
                let delay = backoff.delay(forAttempt: failures, random: Double.random(in: 0..<1))
                logger.warning(
                    "Retrying GET \(path) in \(String(format: "%.1f", delay)) s (attempt \(failures + 1) of \(configuration.maxRetries + 1)): \(error.description)")
                try await clock.sleep(seconds: delay)
            }
        }
    }

    /// The credential of the next request: the fixed one, or the provider's current access token.
    func currentCredential() async throws -> ChatworkCredential {
        guard let tokenProvider else { return credential }
        return .oauthAccessToken(try await tokenProvider.accessToken())
    }

    /// One GET: waits for its rate-limit slot, sends, records the rate-limit headers, reads the
    /// body, and turns every non-2xx status into a ``ChatworkAPIError``.
    func attempt(path: String, query: [URLQueryItem], credential: ChatworkCredential) async throws -> APIResponse {
        guard !isShutDown else { throw ChatworkAPIError.transport(path: path, detail: "the client was shut down") }
        if let problem = credential.validationProblem { throw ChatworkAPIError.invalidCredential(reason: problem) }
        let url = try requestURL(path: path, query: query)

        let wait = limiter.reserve(now: clock.now())
        if wait > 0 {
            stats.rateLimitWaitSeconds += wait
            if wait >= 2 {
                logger.info("Waiting \(String(format: "%.1f", wait)) s to stay within Chatwork's rate limit")
            }
            do {
                try await clock.sleep(seconds: wait)
            } catch {
                limiter.release()
                throw error
            }
        }

        var request = HTTPClientRequest(url: url)
        request.method = .GET
        let auth = credential.header
        request.headers.add(name: auth.name, value: auth.value)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)

        stats.requests += 1
        logger.debug("GET \(path)\(query.isEmpty ? "" : "?" + query.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&"))")
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: Self.timeAmount(configuration.requestTimeout))
        } catch {
            limiter.release()
            throw transportError(error, path: path, secret: credential.secret)
        }

        let headers = response.headers
        limiter.record(
            limit: Self.intHeader(headers, "x-ratelimit-limit"),
            remaining: Self.intHeader(headers, "x-ratelimit-remaining"),
            reset: Self.intHeader(headers, "x-ratelimit-reset"),
            serverDate: HTTPDate.parse(headers.first(name: "date")),
            now: clock.now())
        stats.lastRateLimit = limiter.state

        let body: Data
        do {
            let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            body = Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw ChatworkAPIError.malformedResponse(path: path, detail: "the body is larger than \(configuration.maxResponseBytes) bytes")
        } catch {
            throw transportError(error, path: path, secret: credential.secret)
        }

        let status = Int(response.status.code)
        if (200..<300).contains(status) {
            return APIResponse(status: status, headers: headers, body: body)
        }
        let messages = ErrorBody.messages(from: body).map { scrub($0, secret: credential.secret) }
        logger.debug("GET \(path) answered HTTP \(status)")
        switch status {
        case 400: throw ChatworkAPIError.badRequest(path: path, messages: messages)
        case 401: throw ChatworkAPIError.unauthorized(messages: messages)
        case 403: throw ChatworkAPIError.forbidden(path: path, messages: messages)
        case 404: throw ChatworkAPIError.notFound(path: path, messages: messages)
        case 429:
            stats.rateLimitedResponses += 1
            let reset = Self.intHeader(headers, "x-ratelimit-reset")
            let wait = limiter.recordRateLimited(reset: reset, now: clock.now())
            logger.warning("Chatwork answered 429 (rate limit) for \(path); waiting \(String(format: "%.1f", wait)) s for the window to reset")
            throw ChatworkAPIError.rateLimited(path: path, resetAt: limiter.blockedUntil, messages: messages)
        case 500..<600: throw ChatworkAPIError.server(status: status, path: path, messages: messages)
        default: throw ChatworkAPIError.unexpectedStatus(status: status, path: path, messages: messages)
        }
    }

    func decode<T: Decodable>(_ type: T.Type, response: APIResponse, path: String, noContent: T?) throws -> T {
        if response.status == 204 || (response.body.isEmpty && noContent != nil) {
            guard let noContent else {
                throw ChatworkAPIError.malformedResponse(path: path, detail: "HTTP \(response.status) with an empty body where an object was expected")
            }
            return noContent
        }
        if let problem = JSONShapeGuard.problem(in: response.body) {
            throw ChatworkAPIError.malformedResponse(path: path, detail: problem)
        }
        do {
            // A lone surrogate escape would make JSONDecoder reject a whole string (a body lost).
            let body = JSONSurrogateRepair.repair(response.body)
            return UnknownFields.attach(to: try JSONDecoder().decode(type, from: body), from: body)
        } catch let error as DecodingError {
            throw ChatworkAPIError.malformedResponse(path: path, detail: Self.describe(error))
        } catch {
            throw ChatworkAPIError.malformedResponse(path: path, detail: "\(error)")
        }
    }

    func requestURL(path: String, query: [URLQueryItem]) throws -> String {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var url = base + path
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query
            if let encoded = components.percentEncodedQuery { url += "?" + encoded }
        }
        return url
    }

    func transportError(_ error: any Error, path: String, secret: String? = nil) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let error = error as? ChatworkAPIError { return error }
        return ChatworkAPIError.transport(path: path, detail: scrub(Self.describeTransport(error), secret: secret))
    }

    /// Removes the token from text that came from outside (error bodies), just in case.
    func scrub(_ text: String, secret: String? = nil) -> String {
        let secret = secret ?? credential.secret
        guard !secret.isEmpty else { return text }
        return text.replacingOccurrences(of: secret, with: "<redacted>")
    }

    static func intHeader(_ headers: HTTPHeaders, _ name: String) -> Int? {
        guard let text = headers.first(name: name)?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let value = Int(text) { return value }
        if let value = Double(text), value.isFinite, abs(value) < 1e15 { return Int(value) }
        return nil
    }

    static func describeTransport(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded: return "the request timed out"
            case .readTimeout: return "no data received for too long"
            case .connectTimeout: return "connecting timed out"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .cancelled: return "the request was cancelled"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }

    static func describe(_ error: DecodingError) -> String {
        func pathText(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field \"\(key.stringValue)\" missing at \(pathText(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "\(pathText(context.codingPath)) is not a \(type)"
        case .valueNotFound(let type, let context):
            return "\(pathText(context.codingPath)) is null where a \(type) was expected"
        case .dataCorrupted(let context):
            return "invalid JSON at \(pathText(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
