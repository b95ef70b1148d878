import ArgumentParser
import CWArchiveCore
import Foundation

/// The `cwarchive` command: a thin front end; every subcommand parses options and calls the core.
@main
struct CWArchive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cwarchive",
        abstract: "Back up, export and search Chatwork through the official API v2.",
        discussion: """
        The API token is read from CHATWORK_API_TOKEN or a file given with --token-file, never \
        from the command line. The API base URL comes from --api-base or CHATWORK_API_BASE \
        (default https://api.chatwork.com/v2).

        Exit codes: 0 done (archive complete); 1 fatal error (authentication, configuration, \
        storage); 3 archive run finished but the archive is incomplete (failed items or gaps); \
        11 the archive is locked by another run; 64 wrong usage. search: 0 found, 1 nothing \
        found, 2 error.
        """,
        version: CWArchiveVersion.string,
        subcommands: [Archive.self, Status.self, Verify.self, Reindex.self, Search.self, Export.self, Import.self, Listen.self, Serve.self, Auth.self, Demo.self, Simulate.self]
    )

    /// Parses, validates and runs the subcommand. Usage errors exit 64, except for `search`,
    /// which exits 2 on any error, like grep (its exit 1 means "nothing found").
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error).rawValue
            if CommandLine.arguments.dropFirst().first == "search", code != 0, code != 1, code != 2 {
                let message = fullMessage(for: error)
                if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
                Foundation.exit(ExitStatus.searchError.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// Options shared by the commands that read an archive.
struct ArchiveOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The archive folder (else $CWARCHIVE_ARCHIVE, else `archive` in the config file).", valueName: "DIR"))
    var archive: String?

    @Option(name: .long, help: ArgumentHelp("A configuration file (else $CWARCHIVE_CONFIG, ~/.config/cwarchive/config, /etc/cwarchive/config).", valueName: "FILE"))
    var config: String?
}
