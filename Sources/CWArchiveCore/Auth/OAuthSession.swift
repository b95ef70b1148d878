import ChatworkAPI
import Foundation
import Logging

/// What an `archive` run needs to call the API with the grant of a credentials file: a
/// provider that renews the access token (and rotates the refresh token in the file).
public enum OAuthSession {
    /// The environment variable naming a credentials file.
    public static let environmentVariable = "CWARCHIVE_OAUTH_CREDENTIALS"

    /// A provider over the credentials file at `url`: the file is read and checked now (so a
    /// missing file or secret fails before the archive is touched); tokens are renewed when needed.
    public static func provider(credentialsFile url: URL, clock: any RateLimitClock = SystemClock(),
                                logger: Logger = Logger(label: "cwarchive.oauth")) throws -> RefreshingTokenProvider {
        let credentials = try CredentialsFile.read(url)
        let tokenURL = try OAuthEndpoints.validate(credentials.tokenURL, name: "token_url in \(url.path)")
        var secret: OAuthClientSecret?
        if let file = credentials.clientSecretFile {
            secret = try OAuthClientSecret.read(from: URL(fileURLWithPath: file))
        }
        let client = OAuthTokenClient(tokenURL: tokenURL, clientID: credentials.clientID, clientSecret: secret, clock: clock)
        return RefreshingTokenProvider(store: CredentialsFileStore(url: url), tokenClient: client, clock: clock, logger: logger)
    }

    /// The message for a run that ends because the grant cannot be used any more.
    public static func fatalMessage(_ error: OAuthError, file: URL) -> String {
        TerminalText.sanitize("OAuth credentials \(file.path): \(error.description)")
    }

    /// The message for a 401 that a fresh access token did not cure.
    public static func stillUnauthorizedMessage(file: URL) -> String {
        "OAuth credentials \(file.path): Chatwork refused the access token even after renewing it (HTTP 401): the grant was "
            + "revoked or lacks a scope. The archive is consistent; run `cwarchive auth login` again"
    }
}
