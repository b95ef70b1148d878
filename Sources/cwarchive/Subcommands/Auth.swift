import ArgumentParser
import ChatworkAPI
import CWArchiveCore
import Foundation

extension CWArchive {
    /// `cwarchive auth login|status`: the OAuth 2.0 grant unattended runs use.
    struct Auth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "auth",
            abstract: "Log in with OAuth 2.0 once; unattended archive runs then renew the access token themselves.",
            discussion: """
            `auth login` prints the authorization URL on standard output, reads the address the \
            browser was sent to from standard input and writes the credentials file (mode 0600, \
            default ~/.config/cwarchive/oauth.json). `archive --oauth-credentials FILE` then renews \
            the 15-minute access tokens as long as the run needs. No token or secret is ever taken \
            from or printed on the command line.

            Exit codes: 0 done; 1 the login or the file failed; 64 usage.
            """,
            subcommands: [Login.self, Status.self])
    }
}

extension CWArchive.Auth {
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Authorize cwarchive in a browser and write the OAuth credentials file.")

        @Option(name: .long, help: ArgumentHelp("The OAuth client id (from Chatwork's OAuth client settings).", valueName: "ID"))
        var clientId: String

        @Option(name: .long, help: ArgumentHelp("The redirect URI registered for the client (https:// for a confidential client).", valueName: "URI"))
        var redirectUri: String

        @Option(name: .long, help: ArgumentHelp("A file (mode 0600) holding the client secret of a confidential client; without it the client is public.", valueName: "FILE"))
        var clientSecretFile: String?

        @Option(name: .long, help: ArgumentHelp("Space-separated scopes (default \"\(OAuthEndpoints.defaultScope)\"; a public client gets no offline_access).", valueName: "S …"))
        var scope: String?

        @Option(name: .long, help: ArgumentHelp("Where to write the credentials (default ~/.config/cwarchive/oauth.json).", valueName: "FILE"))
        var credentials: String?

        @Option(name: .long, help: ArgumentHelp("The authorization endpoint (default \(OAuthEndpoints.defaultAuthorizeURL.absoluteString)).", valueName: "URL"))
        var oauthAuthorizeUrl: String?

        @Option(name: .long, help: ArgumentHelp("The token endpoint (default \(OAuthEndpoints.defaultTokenURL.absoluteString)).", valueName: "URL"))
        var oauthTokenUrl: String?

        func validate() throws {
            try AuthArguments.checkClientID(clientId)
            try AuthArguments.checkRedirectURI(redirectUri, confidential: clientSecretFile != nil)
            if let scope { try AuthArguments.checkScope(scope) }
            try usageCheck {
                if let clientSecretFile { try UsageChecks.tokenFile(clientSecretFile, flag: "--client-secret-file") }
                if let credentials { try UsageChecks.creatableFile(credentials, flag: "--credentials") }
            }
            for (flag, value) in [("--oauth-authorize-url", oauthAuthorizeUrl), ("--oauth-token-url", oauthTokenUrl)] {
                guard let value else { continue }
                do { _ = try OAuthEndpoints.validate(value, name: flag) } catch {
                    throw ValidationError("\(flag) \(TerminalText.quoted(value)): \(AuthArguments.reason(error)); use an https:// URL (http:// only for localhost)")
                }
            }
        }

        func run() async throws {
            var job = AuthLoginJob(clientID: clientId, redirectURI: redirectUri)
            job.clientSecretFile = clientSecretFile
            job.scope = scope
            job.credentialsPath = credentials
            job.authorizeURL = oauthAuthorizeUrl
            job.tokenURL = oauthTokenUrl
            let status = await job.run(console: Console(quiet: false), readLine: { Swift.readLine(strippingNewline: true) })
            if status != .ok { throw ExitCode(status.rawValue) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the OAuth grant of a credentials file (never a token or a secret).")

        @Option(name: .long, help: ArgumentHelp("The credentials file (default ~/.config/cwarchive/oauth.json).", valueName: "FILE"))
        var credentials: String?

        @Option(name: .long, help: ArgumentHelp("Output format: text or json.", valueName: "FORMAT"))
        var format: String = "text"

        func validate() throws {
            guard AuthStatusJob.Format(rawValue: format) != nil else {
                throw ValidationError("--format \(TerminalText.quoted(format)): use text or json")
            }
            if let credentials { try usageCheck { try UsageChecks.existingFile(credentials, flag: "--credentials") } }
        }

        func run() async throws {
            var job = AuthStatusJob()
            job.credentialsPath = credentials
            job.format = AuthStatusJob.Format(rawValue: format) ?? .text
            let status = job.run(console: Console(quiet: false))
            if status != .ok { throw ExitCode(status.rawValue) }
        }
    }
}

/// The usage checks of the auth flags (exit 64).
enum AuthArguments {
    static func checkClientID(_ id: String) throws {
        guard !id.isEmpty, id.utf8.count <= 256, id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw ValidationError("--client-id \(TerminalText.quoted(id)): a client id is 1 to 256 printable ASCII characters without spaces")
        }
    }

    static func checkRedirectURI(_ uri: String, confidential: Bool) throws {
        let problem: String? = {
            guard !uri.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F }) else { return "it contains spaces, control or non-ASCII characters" }
            guard let c = URLComponents(string: uri), let scheme = c.scheme?.lowercased(), !scheme.isEmpty else { return "it is not an absolute URI like https://example.com/callback" }
            if c.fragment != nil { return "it must not contain a fragment (#)" }
            switch scheme {
            case "https":
                return (c.host ?? "").isEmpty ? "it has no host" : nil
            case "http":
                if confidential { return "a confidential client's redirect URI must be https://" }
                let host = (c.host ?? "").lowercased()
                return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1" ? nil : "plain http:// is allowed only for localhost"
            default:
                return confidential ? "a confidential client's redirect URI must be https://" : nil
            }
        }()
        if let problem {
            throw ValidationError("--redirect-uri \(TerminalText.quoted(uri)): \(problem); use the redirect URI registered for the client")
        }
    }

    /// RFC 6749 scope tokens: printable ASCII except space, `"` and `\`.
    static func checkScope(_ scope: String) throws {
        let tokens = scope.split(separator: " ")
        let valid = !tokens.isEmpty && tokens.allSatisfy { token in
            token.unicodeScalars.allSatisfy { $0.value == 0x21 || (0x23...0x5B).contains($0.value) || (0x5D...0x7E).contains($0.value) }
        }
        guard valid else {
            throw ValidationError("--scope \(TerminalText.quoted(scope)): give space-separated scopes like \"\(OAuthEndpoints.defaultScope)\"")
        }
    }

    static func reason(_ error: any Error) -> String {
        if case .invalidEndpoint(_, let reason)? = error as? OAuthError { return reason }
        return "\(error)"
    }
}
