import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a test saw of one HTTP exchange.
struct HTTPResult: Sendable {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: body)
    }

    func object() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else { throw TestFailure("not a JSON object: \(text)") }
        return object
    }

    func array() throws -> [[String: Any]] {
        guard let array = try json() as? [[String: Any]] else { throw TestFailure("not a JSON array: \(text)") }
        return array
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A plain URLSession client: no cache, no cookies, no retries.
enum HTTP {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = 20
        return URLSession(configuration: configuration)
    }()

    /// GET `url` with `X-ChatWorkToken: token` (no token header when nil).
    static func get(_ url: URL, token: String? = nil, headers: [String: String] = [:]) async throws -> HTTPResult {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        if let token { request.setValue(token, forHTTPHeaderField: "X-ChatWorkToken") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try await send(request)
    }

    static func send(_ request: URLRequest) async throws -> HTTPResult {
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP response") }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, headers: headers, body: data)
    }
}

/// The keys of a JSON object (empty when `value` is not one).
func keys(_ value: Any?) -> Set<String> {
    Set((value as? [String: Any])?.keys.map { $0 } ?? [])
}
