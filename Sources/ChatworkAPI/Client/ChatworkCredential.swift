import Foundation

/// How the client proves who it is: an API token (`X-ChatWorkToken`) or an OAuth 2.0 access
/// token (`Authorization: Bearer`).
///
/// The secret never appears in `description`, `debugDescription`, `dump` or string interpolation.
public enum ChatworkCredential: Sendable, Equatable {
    case apiToken(String)
    case oauthAccessToken(String)

    /// The environment variable that holds an API token.
    public static let environmentVariable = "CHATWORK_API_TOKEN"

    /// The token in `CHATWORK_API_TOKEN` (surrounding whitespace removed), or nil when it is unset or empty.
    public static func fromEnvironment(_ env: [String: String]) -> ChatworkCredential? {
        guard let raw = env[environmentVariable] else { return nil }
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : .apiToken(token)
    }

    /// Reads an API token from the first line of a file (surrounding whitespace removed).
    ///
    /// The file must not be readable or writable by group or others (like `ssh` does with keys):
    /// a token file anyone on the machine can read is a leaked token. Pass
    /// `allowInsecurePermissions: true` to accept it anyway.
    public static func fromFile(_ url: URL, allowInsecurePermissions: Bool = false) throws -> ChatworkCredential {
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CredentialError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CredentialError.unreadableFile(path: path, reason: "not a regular file")
        }
        let permissions = Int(info.st_mode & 0o777)
        if !allowInsecurePermissions, permissions & 0o077 != 0 {
            throw CredentialError.insecurePermissions(path: path, mode: permissions)
        }
        guard info.st_size <= 64 * 1024 else {
            throw CredentialError.unreadableFile(path: path, reason: "the file is larger than 64 KiB; it should hold only the token")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CredentialError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CredentialError.invalidToken(path: path, reason: "the file is not UTF-8 text")
        }
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let token = firstLine.trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw CredentialError.emptyFile(path: path) }
        let credential = ChatworkCredential.apiToken(token)
        if let problem = credential.validationProblem {
            throw CredentialError.invalidToken(path: path, reason: problem)
        }
        return credential
    }

    /// The secret itself. Only the HTTP layer should read it.
    var secret: String {
        switch self {
        case .apiToken(let token), .oauthAccessToken(let token): return token
        }
    }

    /// The header that carries the secret.
    var header: (name: String, value: String) {
        switch self {
        case .apiToken(let token): return ("X-ChatWorkToken", token)
        case .oauthAccessToken(let token): return ("Authorization", "Bearer \(token)")
        }
    }

    /// Why the token cannot be sent in an HTTP header, or nil when it can.
    var validationProblem: String? {
        let token = secret
        if token.isEmpty { return "the token is empty" }
        if token.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E }) {
            return "the token contains spaces, control characters or non-ASCII characters"
        }
        return nil
    }

    var kindName: String {
        switch self {
        case .apiToken: return "apiToken"
        case .oauthAccessToken: return "oauthAccessToken"
        }
    }
}

extension ChatworkCredential: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "ChatworkCredential.\(kindName)(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["kind": kindName, "token": "<redacted>"], displayStyle: .enum)
    }
}

/// Why a token could not be read.
public enum CredentialError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case unreadableFile(path: String, reason: String)
    case emptyFile(path: String)
    case insecurePermissions(path: String, mode: Int)
    case invalidToken(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "Cannot read the token file \(path): \(reason). Check the path, or set CHATWORK_API_TOKEN instead."
        case .emptyFile(let path):
            return "The token file \(path) is empty. Put the API token (from Chatwork: Personal settings > API) on its first line."
        case .insecurePermissions(let path, let mode):
            return "The token file \(path) can be read by other users (mode \(String(mode, radix: 8))). "
                + "Run `chmod 600 \(path)` so only you can read it."
        case .invalidToken(let path, let reason):
            return "The token in \(path) is not usable: \(reason). Put only the token on the first line."
        }
    }

    public var errorDescription: String? { description }
}
