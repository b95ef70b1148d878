import Foundation

/// One login attempt: the authorization URL the user opens, with a fresh PKCE verifier and a
/// random `state`, and the checks of the address the browser was sent back to.
///
/// The verifier and the state stay in memory only; `description` shows neither.
public struct OAuthAuthorization: Sendable, CustomStringConvertible {
    public let authorizeURL: URL
    public let clientID: String
    public let redirectURI: String
    public let scope: String
    public let state: String
    public let pkce: PKCE

    public init(authorizeURL: URL, clientID: String, redirectURI: String, scope: String,
                state: String = PKCE.randomToken(), pkce: PKCE = PKCE()) {
        self.authorizeURL = authorizeURL
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.state = state
        self.pkce = pkce
    }

    /// The address to open in a browser: the authorize URL with `response_type=code`,
    /// `client_id`, `redirect_uri`, `scope`, `state`, `code_challenge` and
    /// `code_challenge_method=S256` (existing query items of the authorize URL are kept).
    public var url: URL {
        var components = URLComponents(url: authorizeURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: scope),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "code_challenge_method", value: PKCE.method),
        ]
        components.percentEncodedQuery = items.map { "\(FormEncoding.encode($0.name))=\(FormEncoding.encode($0.value ?? ""))" }
            .joined(separator: "&")
        return components.url ?? authorizeURL
    }

    /// The code from what the user pasted: the full address the browser landed on (its `state`
    /// must be this login's), or the bare code. An `error` in the address (the user denied) is
    /// thrown as ``OAuthError/authorizationDenied(error:description:)``.
    public func code(fromPasted line: String) throws -> String {
        switch try OAuthRedirect.parse(line) {
        case .code(let code, let returnedState):
            if let returnedState {
                guard returnedState == state else { throw OAuthError.stateMismatch }
            }
            return code
        case .error(let error, let description):
            throw OAuthError.authorizationDenied(error: error, description: description)
        }
    }

    public var description: String {
        "OAuthAuthorization(client_id: \(clientID), redirect_uri: \(redirectURI), scope: \(scope), state: <redacted>, \(pkce))"
    }
}

/// What the user pasted after approving: the address of the redirect, or just the code.
public enum OAuthRedirect: Sendable, Equatable {
    /// A code, with the `state` that came with it (nil when only the code was pasted).
    case code(String, state: String?)
    /// The authorization server answered with an error (for example `access_denied`).
    case error(String, description: String?)

    /// The longest line accepted (an address with a code is a few hundred bytes).
    public static let maximumLength = 8192

    /// Parses one pasted line. Accepts `scheme://host/path?code=…&state=…` (also with the
    /// parameters in the fragment), `?code=…&state=…`, `code=…&state=…`, or a bare code.
    public static func parse(_ raw: String) throws -> OAuthRedirect {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else { throw OAuthError.invalidRedirect("nothing was pasted") }
        guard line.utf8.count <= maximumLength else { throw OAuthError.invalidRedirect("the pasted line is longer than \(maximumLength) bytes") }
        guard !line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw OAuthError.invalidRedirect("the pasted line contains control characters")
        }
        let parameterText: String?
        if line.contains("://") || line.hasPrefix("?") || line.contains("=") {
            parameterText = parameterPart(of: line)
        } else {
            parameterText = nil
        }
        guard let parameterText else {
            // A bare code: the unreserved characters OAuth codes are made of.
            guard isPlausibleCode(line) else {
                throw OAuthError.invalidRedirect("it is neither the address from the browser's address bar nor a code")
            }
            return .code(line, state: nil)
        }
        var values: [String: String] = [:]
        for pair in parameterText.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormEncoding.decode(String(parts[0])) ?? String(parts[0])
            let value = parts.count > 1 ? (FormEncoding.decode(String(parts[1])) ?? "") : ""
            if values[name] == nil { values[name] = value }
        }
        if let error = values["error"], !error.isEmpty {
            return .error(error, description: values["error_description"].flatMap { $0.isEmpty ? nil : $0 })
        }
        guard let code = values["code"], !code.isEmpty else {
            throw OAuthError.invalidRedirect("the address has no code parameter; paste the whole address the browser shows after you approved")
        }
        guard isPlausibleCode(code) else { throw OAuthError.invalidRedirect("the code in the address contains characters a code cannot have") }
        return .code(code, state: values["state"])
    }

    /// The query (or, failing that, the fragment) of an address, or the text after `?`, or the text itself.
    private static func parameterPart(of line: String) -> String? {
        if let components = URLComponents(string: line), components.scheme != nil {
            if let query = components.percentEncodedQuery, query.contains("=") { return query }
            if let fragment = components.percentEncodedFragment, fragment.contains("=") { return fragment }
            return ""
        }
        var text = Substring(line)
        if let q = text.firstIndex(of: "?") { text = text[text.index(after: q)...] }
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        return String(text)
    }

    private static func isPlausibleCode(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 2048 && text.unicodeScalars.allSatisfy { u in
            u.value > 0x20 && u.value < 0x7F && !"\"'<>\\^`{|}&=?# ".unicodeScalars.contains(u)
        }
    }
}

/// `application/x-www-form-urlencoded` encoding of names and values (the token endpoint's body
/// and the authorization URL's query).
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func decode(_ text: String) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func body(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
