import ArgumentParser
import CWArchiveCore
import CWArchiveServer

extension CWArchive {
    struct Listen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "listen",
            abstract: "Take Chatwork webhook deliveries into the archive as they happen, so busy rooms lose nothing between runs.",
            discussion: """
            Every delivery is checked against the token of the room it names (HMAC-SHA256, the \
            X-ChatWorkWebhookSignature header or the chatwork_webhook_signature parameter), fsynced \
            into ARCHIVE/spool/webhooks and only then answered 200. Every --commit-interval seconds \
            the spool is committed into the archive (a manifest of its own), holding the archive's \
            lock only for the commit; while an `archive` run holds it, deliveries keep being taken \
            and are committed after it (the `archive` run also commits the spool).

            Answers: 200 (durable), 401 (missing or wrong signature, or a token that is not the one \
            of the event's room; nothing is stored), 413 (body over 1 MiB), 405 (not POST), 404 \
            (another path). Listens on 127.0.0.1:8080 by default (8443 with --tls-cert/--tls-key); \
            a non-loopback --host needs a certificate. SIGTERM or SIGINT commit the spool and exit 0.

            Token files hold the token shown on the webhook's settings page and must be readable \
            by their owner only (chmod 600). Tokens, signatures and message bodies are never logged.

            Exit codes: 0 stopped by SIGTERM/SIGINT; 1 fatal (token file, certificate, port, \
            storage); 64 usage.
            """)

        @Option(name: .long, help: ArgumentHelp("The archive folder (else $CWARCHIVE_ARCHIVE, else `archive` in the config file).", valueName: "DIR"))
        var archive: String?

        @Option(name: .long, help: ArgumentHelp("A configuration file (else $CWARCHIVE_CONFIG, ~/.config/cwarchive/config, /etc/cwarchive/config).", valueName: "FILE"))
        var config: String?

        @Option(name: .long, help: ArgumentHelp("The address to listen on (default 127.0.0.1; another than loopback needs --tls-cert).", valueName: "ADDR"))
        var host: String = "127.0.0.1"

        @Option(name: .long, help: ArgumentHelp("The TCP port (default 8080, or 8443 with --tls-cert; 0 picks a free one).", valueName: "N"))
        var port: Int?

        @Option(name: .long, help: ArgumentHelp("The request path Chatwork posts to (default /chatwork/webhook).", valueName: "PATH"))
        var path: String = ListenConfiguration.defaultPath

        @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("A room event webhook: the room id and the file holding its token (repeatable).", valueName: "ROOM_ID=TOKEN_FILE"))
        var webhook: [String] = []

        @Option(name: .long, help: ArgumentHelp("The account event webhook's token file (mention_to_me for any room).", valueName: "TOKEN_FILE"))
        var accountWebhook: String?

        @Option(name: .long, help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "FILE"))
        var tlsCert: String?

        @Option(name: .long, help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "FILE"))
        var tlsKey: String?

        @Option(name: .long, help: ArgumentHelp("Seconds between commits of the spool into the archive (default 60).", valueName: "SECONDS"))
        var commitInterval: Int = ListenConfiguration.defaultCommitInterval

        @Flag(name: .long, help: "Errors only (no line per delivery).")
        var quiet = false

        var job: ListenJob {
            var job = ListenJob()
            job.archiveFlag = archive
            job.configFlag = config
            job.host = host
            job.port = port
            job.path = path
            job.webhooks = webhook
            job.accountWebhook = accountWebhook
            job.tlsCert = tlsCert
            job.tlsKey = tlsKey
            job.commitInterval = commitInterval
            job.quiet = quiet
            return job
        }

        /// Usage checks (exit 64) before any work.
        func validate() throws {
            try checkArchiveArguments(archive: archive, config: config, forWriting: true)
            try usageCheck {
                if let accountWebhook { try UsageChecks.tokenFile(accountWebhook, flag: "--account-webhook") }
                if let tlsCert { try UsageChecks.existingFile(tlsCert, flag: "--tls-cert") }
                if let tlsKey { try UsageChecks.existingFile(tlsKey, flag: "--tls-key") }
            }
            try usageCheck {
                for value in webhook {
                    guard let eq = value.firstIndex(of: "="), value[value.index(after: eq)...].isEmpty == false else { continue }
                    try UsageChecks.tokenFile(String(value[value.index(after: eq)...]), flag: "--webhook")
                }
            }
            do { try job.validate() } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let status = await job.run(console: Console(quiet: quiet))
            if status != .ok { throw ExitCode(status.rawValue) }
        }
    }
}
