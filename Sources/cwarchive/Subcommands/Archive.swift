import ArgumentParser
import CWArchiveCore

extension CWArchive {
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "archive",
            abstract: "Add everything new in the rooms the token can see to the archive.",
            discussion: """
            Run it nightly (see samples/ for cron and systemd). Rooms whose last_update_time has \
            not moved since their last complete run cost no request. A changed room costs its \
            messages (the newest-100 window, force=1) and only the other requests its changes \
            need (details, members, tasks, files, invite link), with a full refresh of those at \
            most every --refresh-days days. The rooms whose message_num grew most are taken \
            first. Edits and deletions are kept as versions; gaps (more than 100 messages \
            between two runs) are reported. A room listed but unreadable (403) is recorded as \
            no_access: a failure the first time only.

            Exit codes: 0 complete; 1 fatal (authentication, configuration, storage); \
            3 finished but incomplete (items that failed after retries, gaps, a room newly \
            refused, or rooms left by --max-requests / --max-duration); \
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

        @Option(name: .long, help: ArgumentHelp("Fetch a changed room's details, members, tasks, files and invite link again at least every N days even when nothing says they changed (default 7; 0: every run).", valueName: "N"))
        var refreshDays: Int?

        @Option(name: .long, help: ArgumentHelp("Start no new room when the run would take longer than this (e.g. 50m, 2h, 1h30m); the rooms left go first next run (exit 3).", valueName: "DURATION"))
        var maxDuration: String?

        @Option(name: .long, help: ArgumentHelp("Make at most N API requests: start no new room that would not fit; the rooms left go first next run (exit 3).", valueName: "N"))
        var maxRequests: Int?

        @Option(name: .long, help: .hidden)
        var commitEveryRooms: Int?

        /// Usage checks (exit 64) before any work.
        func validate() throws {
            if oauthCredentials != nil && tokenFile != nil {
                throw ValidationError("--oauth-credentials and --token-file: give one of them, not both")
            }
            try archiveOption.check(forWriting: true)
            try usageCheck {
                if let apiBase { try UsageChecks.apiBase(apiBase) }
                if let tokenFile { try UsageChecks.tokenFile(tokenFile, flag: "--token-file") }
                if let maxFileSize { _ = try SizeParser.parse(maxFileSize, flag: "--max-file-size") }
                if let n = downloadConcurrency { try UsageChecks.number(n, flag: "--download-concurrency", in: 1...32) }
                try UsageChecks.ids(rooms, flag: "--room")
                try UsageChecks.ids(excludedRooms, flag: "--exclude-room")
                if let report { try UsageChecks.writableFile(report, flag: "--report") }
                if let n = commitEveryRooms { try UsageChecks.number(n, flag: "--commit-every-rooms", in: 1...1_000_000) }
            }
            try usageCheck {
                if let n = refreshDays { try UsageChecks.number(n, flag: "--refresh-days", in: 0...3650) }
                if let n = maxRequests { try UsageChecks.number(n, flag: "--max-requests", in: 1...1_000_000) }
                if let maxDuration { _ = try DurationParser.parse(maxDuration, flag: "--max-duration") }
            }
            if let oauthCredentials { try usageCheck { try UsageChecks.existingFile(oauthCredentials, flag: "--oauth-credentials") } }
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
            job.refreshDays = refreshDays
            job.maxDuration = maxDuration
            job.maxRequests = maxRequests
            let status = await job.run(console: Console(quiet: quiet))
            if status != .ok { throw ExitCode(status.rawValue) }
        }
    }
}
