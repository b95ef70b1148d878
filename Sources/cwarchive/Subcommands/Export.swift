import ArgumentParser
import CWArchiveCore
import Foundation

extension ExportFormat: ExpressibleByArgument {}

extension CWArchive {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write archived rooms as HTML pages, Markdown or CSV files.",
            discussion: """
            One file per room, named after the room id and its name (12345-営業部.html). HTML \
            also writes index.html; a room of more than --page-size messages is split into \
            12345-name.html, 12345-name-2.html, … Attachments that are archived are copied to \
            files/ beside the export and linked by relative path. Every file states the tool \
            version, the time range and the archive's manifest head hash; \
            cwarchive-export.json lists the files written. The same archive and options give \
            byte-identical files.

            CSV: RFC 4180 (CRLF line ends), UTF-8 with a byte order mark for Excel unless \
            --no-bom. A cell that begins with =, +, -, @, a tab or a carriage return gets a \
            leading apostrophe (') so that a spreadsheet does not run it as a formula; the \
            raw markup is in body_markup (neutralised the same way).

            Templates: HTML and Markdown are made from Mustache templates (html/page, \
            html/message, html/index, markdown/room, markdown/message). Copy the installed \
            templates folder, edit it, and pass --templates DIR. Looked up in order: \
            --templates, $CWARCHIVE_TEMPLATES, <program dir>/../share/cwarchive/templates, \
            <program dir>/templates, the source checkout.

            Exit codes: 0 done, 1 error, 64 wrong usage.
            """)

        @OptionGroup var archiveOption: ArchiveOption

        @Option(name: .long, help: "html, markdown or csv.")
        var format: ExportFormat

        @Option(name: .long, help: ArgumentHelp("The folder to write to (created if missing).", valueName: "DIR"))
        var out: String

        @Option(name: .long, help: ArgumentHelp("A room to export (repeat for several; default every room).", valueName: "ID"))
        var room: [Int] = []

        @Option(name: .long, help: ArgumentHelp("Only messages sent on or after this date (YYYY-MM-DD in --timezone, or ISO 8601).", valueName: "DATE"))
        var since: String?

        @Option(name: .long, help: ArgumentHelp("Only messages sent on or before this date (a bare date includes the whole day).", valueName: "DATE"))
        var until: String?

        @Option(name: .long, help: ArgumentHelp("A folder of templates to use instead of the installed ones.", valueName: "DIR"))
        var templates: String?

        @Flag(name: .long, help: "Also show earlier versions of edited messages and deleted messages, marked as such.")
        var history = false

        @Option(name: .long, help: ArgumentHelp("The time zone for times and dates, an IANA name such as Asia/Tokyo (default: the system's).", valueName: "TZ"))
        var timezone: String?

        @Flag(name: .long, help: "CSV: do not start files with a UTF-8 byte order mark.")
        var noBom = false

        @Option(name: .long, help: ArgumentHelp("HTML: messages per page before a room is split into several files.", valueName: "N"))
        var pageSize = 5000

        /// Usage checks (exit 64) before any work: the same date and time-zone grammar as every command.
        func validate() throws {
            try archiveOption.check(forWriting: false)
            try usageCheck {
                try UsageChecks.writableDirectory(out, flag: "--out")
                if let templates {
                    let folder = try UsageChecks.existingDirectory(templates, flag: "--templates")
                    try ExportJob.checkTemplates(format: format, folder: folder)
                }
            }
            do {
                _ = try ExportRange.parse(since: since, until: until, timeZone: try zone())
            } catch let error as UsageError {
                throw ValidationError(error.description)
            }
            try usageCheck {
                try UsageChecks.number(pageSize, flag: "--page-size", in: 1...10_000_000)
                try UsageChecks.ids(room, flag: "--room")
            }
        }

        private func zone() throws -> TimeZone {
            try timezone.map { try TimeZoneArgument.parse($0) } ?? .current
        }

        func run() async throws {
            let console = Console(quiet: false)
            do {
                let store = try openArchive(archiveOption)
                let zone = try zone()
                let range = try ExportRange.parse(since: since, until: until, timeZone: zone)
                let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                let options = ExportOptions(
                    archive: store.root, format: format, output: URL(fileURLWithPath: out, relativeTo: cwd).standardizedFileURL,
                    roomIDs: room, range: range,
                    templates: templates.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL },
                    history: history, timeZone: zone, byteOrderMark: !noBom, messagesPerPage: pageSize)
                let summary = try ExportJob(options: options).run { console.log($0) }
                console.log("exported \(summary.rooms) rooms, \(summary.messages) messages, \(summary.attachmentsCopied) attachments to \(options.output.path)")
            } catch {
                console.warn("\(error)")
                throw ExitCode(ExitStatus.fatal.rawValue)
            }
        }
    }
}
