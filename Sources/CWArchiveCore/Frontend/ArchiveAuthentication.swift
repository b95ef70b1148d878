import ChatworkAPI
import Foundation
import Logging

/// How an `archive` run proves who it is: an API token, or the OAuth grant of a credentials file.
///
/// Precedence, first found wins: `--oauth-credentials FILE`, `--token-file FILE`,
/// `$CWARCHIVE_OAUTH_CREDENTIALS`, `oauth_credentials` in the config file, `token_file` in the
/// config file, `$CHATWORK_API_TOKEN`. (Flags before the environment before the config file;
/// `CHATWORK_API_TOKEN` stays last, as before OAuth existed.)
public enum ArchiveAuthentication: Sendable {
    case token(ChatworkCredential)
    case oauth(credentialsFile: URL, source: String)

    public static func resolve(oauthFlag: String?, tokenFileFlag: String?, environment: [String: String], config: ConfigFile) throws -> ArchiveAuthentication {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        if let file = nonEmpty(oauthFlag) { return .oauth(credentialsFile: CredentialsFile.resolve(file), source: "--oauth-credentials") }
        if let file = nonEmpty(tokenFileFlag) { return .token(try ArchiveJob.credential(tokenFile: file, environment: environment)) }
        if let file = nonEmpty(environment[OAuthSession.environmentVariable]) {
            return .oauth(credentialsFile: CredentialsFile.resolve(file), source: OAuthSession.environmentVariable)
        }
        if let file = nonEmpty(config.string("oauth_credentials")) {
            return .oauth(credentialsFile: CredentialsFile.resolve(file), source: "oauth_credentials in \(config.path ?? "the config file")")
        }
        return .token(try ArchiveJob.credential(tokenFile: nonEmpty(config.string("token_file")), environment: environment))
    }

    /// The client for this authentication (for OAuth, with a provider that renews tokens and
    /// rotates the refresh token in the credentials file).
    public func makeClient(configuration: ChatworkClientConfiguration, logger: Logging.Logger) throws -> ChatworkClient {
        switch self {
        case .token(let credential):
            return ChatworkClient(credential: credential, configuration: configuration, logger: logger)
        case .oauth(let file, _):
            var oauthLogger = logger
            oauthLogger[metadataKey: "component"] = "oauth"
            let provider = try OAuthSession.provider(credentialsFile: file, logger: oauthLogger)
            return ChatworkClient(tokenProvider: provider, configuration: configuration, logger: logger)
        }
    }

    /// The message for a fatal error of a run, when the authentication explains it better.
    public func explain(_ error: any Error) -> String? {
        guard case .oauth(let file, _) = self else { return nil }
        if let error = error as? OAuthError { return OAuthSession.fatalMessage(error, file: file) }
        if case .unauthorized? = error as? ChatworkAPIError { return OAuthSession.stillUnauthorizedMessage(file: file) }
        return nil
    }
}
