import CWArchiveCore
import Foundation

/// `cwarchive listen`: everything between parsed options and an exit code.
public struct ListenJob: Sendable {
    public var archiveFlag: String?
    public var configFlag: String?
    public var host = "127.0.0.1"
    public var port: Int?
    public var path = ListenConfiguration.defaultPath
    /// `ROOM_ID=TOKEN_FILE` values.
    public var webhooks: [String] = []
    public var accountWebhook: String?
    public var tlsCert: String?
    public var tlsKey: String?
    public var commitInterval = ListenConfiguration.defaultCommitInterval
    public var quiet = false
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init() {}

    /// The usage checks (exit 64), before any file is read: one line naming the flag.
    public func validate() throws(UsageError) {
        _ = try bindAddress()
        _ = try ListenConfiguration.checkPath(path)
        var seen = Set<Int>()
        for w in webhooks {
            let (room, _) = try ListenConfiguration.parseWebhook(w)
            if !seen.insert(room).inserted {
                throw UsageError("--webhook: room \(room) is given twice (one token file per room)")
            }
        }
        if webhooks.isEmpty && accountWebhook == nil {
            throw UsageError("--webhook: give at least one ROOM_ID=TOKEN_FILE (or --account-webhook TOKEN_FILE) so that deliveries can be verified")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw UsageError(tlsCert == nil ? "--tls-key: give --tls-cert FILE with it" : "--tls-cert: give --tls-key FILE with it")
        }
        guard (1...86_400).contains(commitInterval) else {
            throw UsageError("--commit-interval: \(commitInterval) is not a number of seconds from 1 to 86400")
        }
        let bind = try bindAddress()
        if !bind.isLoopback && tlsCert == nil {
            throw UsageError("--host: \(TerminalText.quoted(host, limit: 80)) is reachable from other machines, and without --tls-cert/--tls-key deliveries would travel unencrypted; listen on 127.0.0.1 behind a reverse proxy that terminates HTTPS (samples/), or give a certificate")
        }
    }

    func bindAddress() throws(UsageError) -> BindAddress {
        try BindAddress(host: host, port: port ?? (tlsCert == nil ? ListenConfiguration.defaultPlainPort : ListenConfiguration.defaultTLSPort))
    }

    /// Runs until SIGTERM/SIGINT; returns the exit status.
    public func run(console: Console, onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async -> ExitStatus {
        let configuration: ListenConfiguration
        let store: ArchiveStore
        do {
            try validate()
        } catch {
            console.warn(error.description)
            return .usage
        }
        do {
            let config = try ConfigFile.load(path: ConfigFile.locate(flag: configFlag, environment: environment))
            let root = try ArchiveLocation.resolve(flag: archiveFlag, environment: environment, config: config)
            var tokens: [Int: WebhookToken] = [:]
            for w in webhooks {
                let (room, file) = try ListenConfiguration.parseWebhook(w)
                tokens[room] = try WebhookToken.read(path: (file as NSString).expandingTildeInPath, flag: "--webhook \(room)")
            }
            let account = try accountWebhook.map { try WebhookToken.read(path: ($0 as NSString).expandingTildeInPath, flag: "--account-webhook") }
            if let tlsCert, let tlsKey { _ = try ListenServer.tlsConfiguration(certificate: tlsCert, key: tlsKey) }
            configuration = ListenConfiguration(bind: try bindAddress(), path: path, roomTokens: tokens, accountToken: account,
                                                tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey, commitInterval: commitInterval)
            store = try ArchiveStore.open(at: root, create: true)
        } catch {
            console.warn("\(error)")
            return .fatal
        }
        do {
            let server = try ListenServer(configuration: configuration, store: store, console: console)
            let rooms = configuration.roomTokens.keys.sorted().map(String.init).joined(separator: ", ")
            console.log("taking webhook deliveries into \(store.root.path) for room(s) \(rooms.isEmpty ? "none" : rooms)\(configuration.accountToken == nil ? "" : " and mentions"); commits every \(commitInterval) s")
            try await server.run(onRunning: onRunning)
            return .ok
        } catch {
            console.warn("\(error)")
            return .fatal
        }
    }
}
