import ArgumentParser
import CWArchiveCore

extension CWArchive {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Bring in older history from other tools' exports (what the API cannot reach).",
            discussion: """
            Formats (--from): goodbye-chatwork (swdyh/goodbye_chatwork CSV files and files folders), \
            chatwork-log-exporter (HMasataka/chatwork-log-exporter JSON or CSV), byecha (nothink/byecha \
            output folder with conf.json), cwarchive-csv (`cwarchive export --format csv`). Each PATH \
            is a file or a folder of that output (folders are walked). Messages the archive already \
            holds are matched and add nothing; other versions are kept as versions; import never \
            changes what the API gave.

            Exit codes: 0 everything imported (or already there); 3 imported, but some rows could \
            not be read (named file:line on stderr and in the report); 1 fatal (unreadable archive, \
            disk); 11 locked by another run; 64 usage.
            """)

        @OptionGroup var archiveOption: ArchiveOption

        @Option(name: .long, help: ArgumentHelp("The export's format: \(ImportFormat.names).", valueName: "FORMAT"))
        var from: String

        @Argument(help: ArgumentHelp("Files or folders of that format's output.", valueName: "PATH"))
        var paths: [String] = []

        @Option(name: .long, help: ArgumentHelp("The zone of times written without an offset (IANA name or ±HH:MM; default: the system's).", valueName: "TZ"))
        var timezone: String?

        @Flag(name: .long, help: "Read and match everything, print what would be added, write nothing.")
        var dryRun = false

        @Option(name: .long, help: ArgumentHelp("Write a JSON report (files, messages, rooms, exit_code) to this file.", valueName: "FILE"))
        var report: String?

        @Flag(name: .long, help: "No progress or summary; warnings and errors only.")
        var quiet = false

        @Option(name: .long, help: .hidden)
        var commitEveryRecords: Int?

        func validate() throws {
            try archiveOption.check(forWriting: false)
            try usageCheck {
                if let report { try UsageChecks.writableFile(report, flag: "--report") }
                if let n = commitEveryRecords { try UsageChecks.number(n, flag: "--commit-every-records", in: 1...1_000_000) }
                for path in paths { _ = try UsageChecks.path(path, flag: "PATH") }
            }
            guard ImportFormat(rawValue: from) != nil else {
                throw ValidationError("--from \(TerminalText.quoted(from)): unknown format; use one of \(ImportFormat.names)")
            }
            guard !paths.isEmpty else { throw ValidationError("PATH: give at least one file or folder to import") }
            do {
                if let timezone { _ = try TimeZoneArgument.parse(timezone) }
            } catch let error as UsageError {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            guard let format = ImportFormat(rawValue: from) else { throw ExitCode(ExitStatus.usage.rawValue) }
            var job = ImportJob(format: format, paths: paths)
            job.archiveFlag = archiveOption.archive
            job.configFlag = archiveOption.config
            job.timeZoneFlag = timezone
            job.dryRun = dryRun
            job.reportPath = report
            job.quiet = quiet
            job.commitEveryRecords = commitEveryRecords
            let status = job.run(console: Console(quiet: quiet))
            if status != .ok { throw ExitCode(status.rawValue) }
        }
    }
}
