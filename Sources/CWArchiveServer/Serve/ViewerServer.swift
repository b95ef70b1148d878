import CWArchiveCore
import Foundation
import Hummingbird
import Logging

/// `cwarchive serve`: the read-only web viewer over HTTP/1.1.
public struct ViewerServer: Sendable {
    public let configuration: ServeConfiguration
    let viewer: ArchiveViewer

    /// Opens the archive and loads the templates (errors here are the user's to fix: no archive,
    /// a broken template).
    public init(configuration: ServeConfiguration, timeZone: TimeZone = .current) throws {
        self.configuration = configuration
        viewer = try ArchiveViewer(archive: configuration.archive, templates: configuration.templates, timeZone: timeZone)
    }

    /// Listens until cancelled, or with `handleSignals` until SIGTERM or SIGINT (then returns
    /// normally). `onListening` gets `http://HOST:PORT/` with the port actually bound.
    public func run(handleSignals: Bool = true, warn: @escaping @Sendable (String) -> Void = { _ in },
                    onListening: @escaping @Sendable (String) -> Void) async throws {
        var logger = Logger(label: "cwarchive-serve")
        // Request logging would write URLs (a /login URL holds the token): only errors.
        logger.logLevel = .critical
        let bind = configuration.bind
        let host = bind.host.hasPrefix("[") && bind.host.hasSuffix("]") ? String(bind.host.dropFirst().dropLast()) : bind.host
        let responder = ViewerResponder(viewer: viewer, auth: configuration.token.map { ViewerAuth(token: $0) }, warn: warn)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: bind.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? bind.port
                let shown = (try? BindAddress(host: host, port: port))?.description ?? "\(host):\(port)"
                onListening("http://\(shown)/")
            },
            logger: logger)
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }
}
