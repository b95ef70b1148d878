import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cwarchive auth login`: prints the authorization URL, reads the address the browser was sent
/// to, exchanges the code and writes the credentials file.
public struct AuthLoginJob: Sendable {
    public var clientID: String
    public var redirectURI: String
    public var clientSecretFile: String?
    /// nil: the default scope (without `offline_access` for a public client, which may not have it).
    public var scope: String?
    public var credentialsPath: String?
    public var authorizeURL: String?
    public var tokenURL: String?
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var clock: any RateLimitClock = SystemClock()

    public init(clientID: String, redirectURI: String) {
        self.clientID = clientID
        self.redirectURI = redirectURI
    }

    /// The scope asked for.
    public var effectiveScope: String {
        if let scope { return scope.split(separator: " ").joined(separator: " ") }
        return clientSecretFile == nil ? OAuthEndpoints.readScopes.joined(separator: " ") : OAuthEndpoints.defaultScope
    }

    /// Runs the login. `readLine` gives the one line the user pastes (nil at end of input).
    public func run(console: Console, readLine: @Sendable () -> String?) async -> ExitStatus {
        let file = CredentialsFile.resolve(credentialsPath ?? CredentialsFile.defaultPath(environment: environment))
        let authorize: URL, token: URL
        var secret: OAuthClientSecret?
        var secretPath: String?
        do {
            authorize = try OAuthEndpoints.validate(authorizeURL ?? OAuthEndpoints.defaultAuthorizeURL.absoluteString, name: "--oauth-authorize-url")
            token = try OAuthEndpoints.validate(tokenURL ?? OAuthEndpoints.defaultTokenURL.absoluteString, name: "--oauth-token-url")
            if let clientSecretFile {
                let url = CredentialsFile.resolve(clientSecretFile)
                secret = try OAuthClientSecret.read(from: url)
                secretPath = url.path
            }
        } catch {
            console.warn(TerminalText.sanitize("\(error)"))
            return .fatal
        }
        let login = OAuthAuthorization(authorizeURL: authorize, clientID: clientID, redirectURI: redirectURI, scope: effectiveScope)
        console.warn("open this address in a browser, sign in to Chatwork and approve the access (scope: \(effectiveScope)):")
        console.out(login.url.absoluteString)
        console.warn("then paste here the whole address the browser was sent to (it starts with \(redirectURI); the page itself may not load), and press Enter. The code in it is valid for 1 minute.")
        guard let line = readLine() else {
            console.warn("no address was pasted (end of input); nothing was written")
            return .fatal
        }
        do {
            let code = try login.code(fromPasted: line)
            let client = OAuthTokenClient(tokenURL: token, clientID: clientID, clientSecret: secret, clock: clock)
            let tokens = try await client.exchange(code: code, redirectURI: redirectURI, verifier: login.pkce.verifier)
            guard tokens.refreshToken != nil else {
                throw CredentialsFileError("the token endpoint gave no refresh token: unattended runs could not renew the access token. Check the client's settings in Chatwork; nothing was written")
            }
            let credentials = OAuthCredentials(clientID: clientID, clientSecretFile: secretPath, tokenURL: token.absoluteString,
                                               redirectURI: redirectURI, tokens: tokens, loggedInAt: clock.now())
            // Under the file's lock, so that a run renewing the old grant does not write over the new one.
            let fd = try await CredentialsFile.lock(file)
            defer { flock(fd, LOCK_UN); close(fd) }
            CredentialsFile.removeLeftovers(of: file)
            try CredentialsFile.write(credentials, to: file)
            let expires = TimeFormatter(timeZone: TimeZone(secondsFromGMT: 0)!).iso(Int(tokens.expiresAt.timeIntervalSince1970))
            console.warn("logged in as client \(clientID); credentials written to \(file.path) (mode 0600). The access token expires \(expires) and is renewed automatically: use `cwarchive archive --oauth-credentials \(file.path)`.")
            return .ok
        } catch {
            console.warn(TerminalText.sanitize("login failed: \(error)"))
            return .fatal
        }
    }
}
