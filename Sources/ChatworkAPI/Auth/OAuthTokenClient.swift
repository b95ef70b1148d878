import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The token endpoint: exchanges an authorization code (with its PKCE verifier) or a refresh
/// token for tokens. A confidential client authenticates with HTTP Basic
/// (`client_id:client_secret`), a public client sends `client_id` in the form body.
///
/// Redirects are never followed (the body carries secrets), answers are capped in size, and
/// nothing secret is logged or put in an error.
public struct OAuthTokenClient: Sendable {
    public let tokenURL: URL
    public let clientID: String
    let clientSecret: OAuthClientSecret?
    let clock: any NowProvider
    /// Seconds one exchange may take.
    public var timeout: TimeInterval = 30
    public var userAgent = "cwarchive (OAuth client)"

    public init(tokenURL: URL, clientID: String, clientSecret: OAuthClientSecret?, clock: any NowProvider = SystemClock()) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.clock = clock
    }

    /// Whether the client authenticates with a secret (a confidential client).
    public var isConfidential: Bool { clientSecret != nil }

    /// `grant_type=authorization_code`: the code from the redirect, the same redirect URI, the verifier.
    public func exchange(code: String, redirectURI: String, verifier: String) async throws -> OAuthTokenSet {
        try await post([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)],
                       secrets: [code, verifier], previousRefreshToken: nil)
    }

    /// `grant_type=refresh_token`. When the answer has no new refresh token the old one is kept.
    public func refresh(refreshToken: String) async throws -> OAuthTokenSet {
        try await post([("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
                       secrets: [refreshToken], previousRefreshToken: refreshToken)
    }

    private func post(_ form: [(String, String)], secrets: [String], previousRefreshToken: String?) async throws -> OAuthTokenSet {
        var pairs = form
        var request = HTTPClientRequest(url: tokenURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        if let clientSecret {
            let basic = Data("\(clientID):\(clientSecret.value)".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(basic)")
        } else {
            pairs.append(("client_id", clientID))
        }
        request.body = .bytes(ByteBuffer(string: FormEncoding.body(pairs)))
        let allSecrets = secrets + [clientSecret?.value].compactMap { $0 }

        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(10), read: .seconds(30)))
        configuration.decompression = .disabled
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let status: Int
        let body: Data
        do {
            let response = try await http.execute(request, timeout: ChatworkClient.timeAmount(timeout))
            status = Int(response.status.code)
            let buffer = try await response.body.collect(upTo: 1024 * 1024)
            body = Data(buffer.readableBytesView)
            try? await http.shutdown()
        } catch {
            try? await http.shutdown()
            if error is CancellationError { throw error }
            throw OAuthError.unavailable(detail: Self.scrub(ChatworkClient.describeTransport(error), allSecrets))
        }
        return try Self.interpret(status: status, body: body, now: clock.now(), previousRefreshToken: previousRefreshToken, secrets: allSecrets)
    }

    /// Turns an answer of the token endpoint into tokens or an ``OAuthError``.
    static func interpret(status: Int, body: Data, now: Date, previousRefreshToken: String?, secrets: [String]) throws -> OAuthTokenSet {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        guard (200..<300).contains(status) else {
            if let object, let error = object["error"] as? String, !error.isEmpty {
                let description = (object["error_description"] as? String).map { cap(scrub($0, secrets)) }
                throw OAuthError.refused(status: status, error: cap(scrub(error, secrets), 80), description: description)
            }
            if status >= 500 { throw OAuthError.unavailable(detail: "HTTP \(status)") }
            throw OAuthError.malformedResponse(detail: "HTTP \(status) without an OAuth error body")
        }
        guard let object else { throw OAuthError.malformedResponse(detail: "HTTP \(status) with a body that is not a JSON object") }
        guard let access = object["access_token"] as? String, isHeaderSafe(access) else {
            throw OAuthError.malformedResponse(detail: "no usable access_token")
        }
        let type = (object["token_type"] as? String) ?? "Bearer"
        guard type.lowercased() == "bearer" else {
            throw OAuthError.malformedResponse(detail: "token_type \(cap(scrub(type, secrets), 40)) is not Bearer")
        }
        let expiresIn: Double
        if let n = object["expires_in"] as? Int {
            expiresIn = Double(n)
        } else if let n = object["expires_in"] as? Double {
            expiresIn = n
        } else if let s = object["expires_in"] as? String, let n = Double(s) {
            expiresIn = n
        } else {
            throw OAuthError.malformedResponse(detail: "no expires_in")
        }
        guard expiresIn.isFinite, expiresIn > 0, expiresIn <= 366 * 86_400 else {
            throw OAuthError.malformedResponse(detail: "expires_in \(expiresIn) is not a sane lifetime")
        }
        var refresh = previousRefreshToken
        if let given = object["refresh_token"] as? String, !given.isEmpty {
            guard isHeaderSafe(given) else { throw OAuthError.malformedResponse(detail: "the refresh_token contains characters a token cannot have") }
            refresh = given
        }
        let scope = cap((object["scope"] as? String) ?? "", 1000)
        return OAuthTokenSet(accessToken: access, refreshToken: refresh, tokenType: "Bearer", scope: scope,
                             obtainedAt: now, expiresAt: now.addingTimeInterval(expiresIn))
    }

    /// Printable ASCII without spaces: what can travel in a header and a form body.
    static func isHeaderSafe(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= 4096 && token.unicodeScalars.allSatisfy { $0.value >= 0x21 && $0.value <= 0x7E }
    }

    static func scrub(_ text: String, _ secrets: [String]) -> String {
        var text = text
        for secret in secrets where secret.count >= 4 { text = text.replacingOccurrences(of: secret, with: "<redacted>") }
        return text
    }

    static func cap(_ text: String, _ limit: Int = 300) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
