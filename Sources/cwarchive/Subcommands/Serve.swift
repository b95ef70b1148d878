import ArgumentParser
import CWArchiveCore
import CWArchiveServer
import Foundation

extension CWArchive {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve a read-only web viewer of the archive, with search.",
            discussion: """
            Open the printed address in a browser: every room, each room's messages (as the \
            HTML export shows them), a message with all its versions, and search with the \
            query language of `cwarchive search`. JSON: /api/rooms, /api/search?q=… \
            It never takes the archive's lock and shows new runs' messages without a restart.

            When ready it prints one line on stdout, `listening on http://HOST:PORT/`. \
            --port 0 picks a free port. SIGTERM or Ctrl-C stops it.

            Only 127.0.0.1 (or ::1, localhost) is served without a token. To share the \
            viewer on a LAN, put a secret in a file (`openssl rand -hex 32 > token; chmod \
            600 token`) and pass --host 0.0.0.0 --auth-token-file token: every request then \
            needs `Authorization: Bearer TOKEN`, or the cookie `/login?token=TOKEN` sets.

            Templates: templates/viewer/ (the pages) and templates/html/message.mustache \
            (each message, shared with the HTML export); --templates DIR overrides either \
            folder.

            Exit codes: 0 stopped by a signal, 1 error, 64 wrong usage.
            """)

        @OptionGroup var archiveOption: ArchiveOption

        @Option(name: .long, help: ArgumentHelp("The address to listen on (127.0.0.1, ::1, 0.0.0.0, a LAN address).", valueName: "ADDR"))
        var host = "127.0.0.1"

        @Option(name: .long, help: ArgumentHelp("The TCP port; 0 picks a free one.", valueName: "N"))
        var port = 8080

        @Option(name: .long, help: ArgumentHelp("A file holding the access token (needed for any address but loopback).", valueName: "FILE"))
        var authTokenFile: String?

        @Option(name: .long, help: ArgumentHelp("A folder of templates (viewer/, html/) to use instead of the installed ones.", valueName: "DIR"))
        var templates: String?

        func validate() throws {
            try archiveOption.check(forWriting: false)
            try usageCheck {
                if let authTokenFile { try UsageChecks.tokenFile(authTokenFile, flag: "--auth-token-file") }
                if let templates { try UsageChecks.existingDirectory(templates, flag: "--templates") }
            }
            _ = try serveConfiguration(archive: URL(fileURLWithPath: "/"))
        }

        private func serveConfiguration(archive: URL) throws -> ServeConfiguration {
            do {
                let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                return try ServeConfiguration(
                    bind: try BindAddress(host: host, port: port), archive: archive,
                    tokenFile: authTokenFile.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL },
                    templates: templates.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL })
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() async throws {
            let console = Console(quiet: false)
            let server: ViewerServer
            do {
                let store = try openArchive(archiveOption)
                server = try ViewerServer(configuration: try serveConfiguration(archive: store.root))
            } catch {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
            do {
                try await server.run(warn: { console.warn($0) }) { url in
                    FileHandle.standardOutput.write(Data("listening on \(url)\n".utf8))
                }
            } catch {
                console.warn("serve: \(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
        }
    }
}
