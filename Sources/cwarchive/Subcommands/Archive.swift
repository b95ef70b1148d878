import ArgumentParser
import CWArchiveCore

extension CWArchive {
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add everything new in the rooms the token can see to the archive.",
            discussion: """
            Run it nightly (see samples/ for cron and systemd). Rooms whose last_update_time has \
            not moved since their last complete run cost no request. Messages are taken through \
            the newest-100 window (force=1); edits and deletions are kept as versions; gaps \
            (more than 100 messages between two runs) are reported.

            Exit codes: 0 complete; 1 fatal (authentication, configuration, storage); \
            3 finished but incomplete (items that failed after retries, or gaps); \
            11 locked by another run; 64 usage.
            """)

        @OptionGroup var archiveOption: ArchiveOption

        @Option(name: .long, help: ArgumentHelp("API base URL (else $CHATWORK_API_BASE, else https://api.chatwork.com/v2).", valueName: "URL"))
        var apiBase: String?

        @Option(name: .long, help: ArgumentHelp("Read the API token from this file (mode 0600) instead of $CHATWORK_API_TOKEN.", valueName: "FILE"))
        var tokenFile: String?

        @Option(name: .long, help: ArgumentHelp("Authenticate with the OAuth grant in this credentials file (from `auth login`; else $CWARCHIVE_OAUTH_CREDENTIALS or `oauth_credentials` in the config file). Tokens are renewed during the run.", valueName: "FILE"))
        var oauthCredentials: String?

        @Option(name: .customLong("room"), help: ArgumentHelp("Archive only this room (repeatable).", valueName: "ID"))
        var rooms: [Int] = []

        @Option(name: .customLong("exclude-room"), help: ArgumentHelp("Never archive this room (repeatable).", valueName: "ID"))
        var excludedRooms: [Int] = []

        @Flag(name: .long, help: "Do not download attachments (their metadata is still kept).")
        var noFiles = false

        @Option(name: .long, help: ArgumentHelp("Skip attachments larger than this (e.g. 500M, 2G); they are reported as skipped.", valueName: "SIZE"))
        var maxFileSize: String?

        @Option(name: .long, help: ArgumentHelp("Downloads at once (default 4).", valueName: "N"))
        var downloadConcurrency: Int?

        @Option(name: .long, help: ArgumentHelp("Write a JSON summary of the run to this file.", valueName: "FILE"))
        var report: String?

        @Flag(name: .long, help: "No progress or summary; warnings and errors only.")
        var quiet = false

        @Option(name: .long, help: .hidden)
        var commitEveryRooms: Int?

        /// Usage checks (exit 64) before any work.
        func validate() throws {
            do {
                if let maxFileSize { _ = try SizeParser.parse(maxFileSize, flag: "--max-file-size") }
            } catch let error as UsageError {
                throw ValidationError(error.description)
            }
            if let n = downloadConcurrency, !(1...32).contains(n) {
                throw ValidationError("--download-concurrency \(n): use 1 to 32")
            }
            if let bad = (rooms + excludedRooms).first(where: { $0 <= 0 }) {
                throw ValidationError("--room/--exclude-room \(bad): a room id is a positive number")
            }
            if oauthCredentials != nil && tokenFile != nil {
                throw ValidationError("--oauth-credentials and --token-file: give one of them, not both")
            }
            if let oauthCredentials, oauthCredentials.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--oauth-credentials \(TerminalText.quoted(oauthCredentials)): give the path of the credentials file `cwarchive auth login` wrote")
            }
            if let n = commitEveryRooms, n < 1 { throw ValidationError("--commit-every-rooms \(n): use 1 or more") }
        }

        func run() async throws {
            var job = ArchiveJob()
            job.archiveFlag = archiveOption.archive
            job.configFlag = archiveOption.config
            job.apiBaseFlag = apiBase
            job.tokenFileFlag = tokenFile
            job.oauthCredentialsFlag = oauthCredentials
            job.rooms = rooms
            job.excludedRooms = excludedRooms
            job.noFiles = noFiles
            job.maxFileSize = maxFileSize
            job.downloadConcurrency = downloadConcurrency
            job.reportPath = report
            job.quiet = quiet
            job.commitEveryRooms = commitEveryRooms
            let status = await job.run(console: Console(quiet: quiet))
            if status != .ok { throw ExitCode(status.rawValue) }
        }
    }
}
