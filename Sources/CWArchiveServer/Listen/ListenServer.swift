import ChatworkAPI
import CWArchiveCore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// `cwarchive listen`: an HTTP(S) server that takes Chatwork webhook deliveries into an archive.
///
/// Deliveries are verified, fsynced into the archive's spool (``WebhookSpool``) and answered 200;
/// every `commitInterval` seconds the spool is committed (``ListenCommitter``), holding the
/// archive's lock only for that commit. While another writer holds the lock the server keeps
/// answering and spooling and tries again a few seconds later. SIGTERM or SIGINT stop it: it
/// stops accepting, commits the spool and returns.
public final class ListenServer: Sendable {
    public let configuration: ListenConfiguration
    public let store: ArchiveStore
    public let spool: WebhookSpool
    public let committer: ListenCommitter
    let log: ListenLog
    let clock: any NowProvider
    /// Retry delay while another writer holds the lock.
    static let lockedRetry: Double = 5

    public init(configuration: ListenConfiguration, store: ArchiveStore, console: Console, clock: any NowProvider = SystemClock()) throws {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.log = ListenLog(console: console)
        spool = try WebhookSpool(store: store)
        let rooms = configuration.roomTokens.keys.sorted()
        committer = ListenCommitter(store: store, spool: spool, rooms: rooms, startedAt: Int(clock.now().timeIntervalSince1970))
    }

    /// The TLS configuration from the PEM files, or a clear error naming the file.
    static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw ListenError("--tls-cert: cannot read a PEM certificate chain from \(TerminalText.quoted(certificate, limit: 200)): \(error)")
        }
        guard !chain.isEmpty else { throw ListenError("--tls-cert: \(TerminalText.quoted(certificate, limit: 200)) holds no certificate") }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw ListenError("--tls-key: cannot read a PEM private key from \(TerminalText.quoted(key, limit: 200)) (is it encrypted, or not a key?)")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }

    /// Runs until SIGTERM/SIGINT (or the task is cancelled), then commits what is spooled.
    /// - Parameters:
    ///   - onRunning: called with the bound port once connections are accepted.
    ///   - commitOnStop: false only in tests that simulate a kill.
    public func run(onRunning: @escaping @Sendable (Int) -> Void = { _ in }, commitOnStop: Bool = true) async throws {
        let responder = ListenResponder(path: configuration.path,
                                        authenticator: WebhookAuthenticator(roomTokens: configuration.roomTokens, accountToken: configuration.accountToken),
                                        spool: spool, clock: clock, log: log)
        let server: HTTPServerBuilder
        if let cert = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            server = try .tls(.http1(), tlsConfiguration: Self.tlsConfiguration(certificate: cert, key: key))
        } else {
            server = .http1()
        }
        var logger = Logger(label: "cwarchive.listen")
        logger.logLevel = .critical
        let scheme = configuration.usesTLS ? "https" : "http"
        let bind = configuration.bind
        let path = configuration.path
        let log = self.log
        let app = Application(
            responder: responder, server: server,
            configuration: ApplicationConfiguration(address: .hostname(bind.host, port: bind.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? bind.port
                let host = bind.host.contains(":") ? "[\(bind.host)]" : bind.host
                log.info("listening on \(scheme)://\(host):\(port)\(path)")
                onRunning(port)
            },
            logger: logger)

        // Anything a killed listener (or commit) left is committed before new deliveries arrive.
        await commitOnce(reason: "start")
        let loop = Task.detached { [self] in await self.commitLoop() }
        do {
            try await app.runService()  // graceful shutdown on SIGTERM and SIGINT
        } catch where !Task.isCancelled {
            loop.cancel()
            _ = await loop.value
            throw ListenError("cannot listen on \(bind): \(error)")
        } catch {
            // Cancelled (a caller stopping an in-process listener): a stop like SIGTERM.
        }
        loop.cancel()
        _ = await loop.value
        guard commitOnStop else { return }
        // In a task of its own: a cancelled caller must not cut the waits of the final commit short.
        try await Task.detached { [self] in try await self.finalCommit() }.value
    }

    /// Commits every interval; retries sooner while another writer holds the lock.
    func commitLoop() async {
        var delay = Double(configuration.commitInterval)
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(delay)) } catch { return }
            delay = await commitOnce(reason: "interval") ? Double(configuration.commitInterval) : Self.lockedRetry
        }
    }

    /// One attempt; false when the archive was locked.
    @discardableResult
    func commitOnce(reason: String, final: Bool = false) async -> Bool {
        do {
            switch try committer.commit(final: final) {
            case .committed(let r):
                if r.events > 0 {
                    log.info("committed \(r.events) deliveries: \(r.messages) message versions, \(r.kept) kept as received, \(r.duplicates) already archived" + (r.manifestSequence.map { " (manifest \($0))" } ?? ""))
                }
                return true
            case .locked(let why):
                log.info("commit postponed, deliveries stay in the spool: \(why)")
                return false
            }
        } catch {
            log.failed("commit failed, deliveries stay in the spool and are committed later: \(error)")
            return true
        }
    }

    /// The commit on stop: waits a little for another writer's lock, else leaves the spool to the next run.
    func finalCommit() async throws {
        let deadline = clock.now().addingTimeInterval(configuration.finalCommitWait)
        while true {
            switch try committer.commit(final: true) {
            case .committed(let r):
                log.info(r.events == 0 ? "stopped; the spool was empty" : "stopped; committed \(r.events) deliveries from the spool")
                return
            case .locked(let why):
                if clock.now() >= deadline {
                    log.info("stopped; \(spool.pending().count) deliveries stay in the spool (\(why)); the next `listen` or `archive` run commits them")
                    return
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// The listener cannot start or go on (the message says what to do).
public struct ListenError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
