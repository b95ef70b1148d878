import Foundation

/// What went wrong in an OAuth step. Every description says what happened and what to do, and
/// none contains a token, a code, a verifier or a client secret.
public enum OAuthError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The token endpoint answered with an OAuth error (`error`, `error_description`).
    case refused(status: Int, error: String, description: String?)
    /// The refresh token was refused (`invalid_grant`, revoked or unknown client): only a new
    /// login helps. `spentByInterruptedRun` is the time a previous refresh was interrupted after
    /// it had sent the refresh token, when that is known.
    case refreshRefused(error: String, description: String?, spentByInterruptedRun: Date?)
    /// The user (or the server) declined the authorization (`error=access_denied` in the address).
    case authorizationDenied(error: String, description: String?)
    /// The `state` in the pasted address is not this login's.
    case stateMismatch
    /// The pasted line could not be read.
    case invalidRedirect(String)
    /// The token endpoint answered something that is not an OAuth answer.
    case malformedResponse(detail: String)
    /// The token endpoint failed (5xx) or could not be reached.
    case unavailable(detail: String)
    /// An endpoint URL cannot be used.
    case invalidEndpoint(name: String, reason: String)

    /// Whether only a new `auth login` can help.
    public var needsNewLogin: Bool {
        switch self {
        case .refreshRefused: return true
        case .refused(_, let error, _): return error == "invalid_grant" || error == "invalid_client" || error == "unauthorized_client"
        default: return false
        }
    }

    /// Whether trying again later may succeed (network trouble, a server failure).
    public var isTransient: Bool {
        if case .unavailable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .refused(let status, let error, let description):
            var text = "the OAuth token endpoint refused the request (HTTP \(status)): \(error)"
            if let description { text += ": \(description)" }
            if error == "invalid_grant" {
                text += ". The code was already used, has expired (codes live 1 minute) or does not match the redirect URI; run `cwarchive auth login` again"
            } else if error == "invalid_client" || error == "unauthorized_client" {
                text += ". Check the client id and the client secret file (a confidential client needs --client-secret-file)"
            }
            return text
        case .refreshRefused(let error, let description, let spent):
            var text = "the OAuth refresh token was refused (\(error)\(description.map { ": \($0)" } ?? ""))"
            if let spent {
                text += "; a refresh interrupted at \(ISO8601DateFormatter().string(from: spent)) had already spent it before the new one could be saved"
            } else {
                text += "; the authorization was revoked, has expired or the client was deleted"
            }
            return text + ". Nothing was changed; run `cwarchive auth login` again"
        case .authorizationDenied(let error, let description):
            return "the authorization was not granted (\(error)\(description.map { ": \($0)" } ?? "")); run `cwarchive auth login` again and approve the access"
        case .stateMismatch:
            return "the state in the pasted address does not match this login (an old or foreign address); nothing was written. Run `cwarchive auth login` again and paste the address of this login"
        case .invalidRedirect(let reason):
            return "cannot read the pasted address: \(reason)"
        case .malformedResponse(let detail):
            return "the OAuth token endpoint's answer could not be read (\(detail)); check --oauth-token-url"
        case .unavailable(let detail):
            return "the OAuth token endpoint could not be reached (\(detail)); check the network and --oauth-token-url, then try again"
        case .invalidEndpoint(let name, let reason):
            return "\(name) cannot be used: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
