import ArgumentParser
import CWArchiveCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SearchSort: ExpressibleByArgument {}
extension SearchOutputFormat: ExpressibleByArgument {}

extension CWArchive {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Search the archived messages (Japanese substrings, English words).",
            discussion: """
            Terms are ANDed; "a phrase" in quotes; A OR B; -term excludes. Case and full-width/half-width \
            forms are ignored. Newest first unless --sort relevance. Only current versions unless --history. \
            Exit codes: 0 found, 1 nothing found, 2 error.
            """)

        @Argument(parsing: .allUnrecognized,
                  help: ArgumentHelp("What to search for; several words are one query (a leading -word excludes).", valueName: "query"))
        var words: [String] = []

        @OptionGroup var archiveOption: ArchiveOption

        @Option(name: .long, help: ArgumentHelp("Only this room (repeatable).", valueName: "ID"))
        var room: [Int] = []

        @Option(name: .long, help: ArgumentHelp("Only messages by this account (repeatable).", valueName: "ID"))
        var account: [Int] = []

        @Option(name: .long, help: ArgumentHelp("Sent on or after this date (YYYY-MM-DD, local time, or ISO 8601).", valueName: "DATE"))
        var since: String?

        @Option(name: .long, help: ArgumentHelp("Sent on or before this date (a whole day for YYYY-MM-DD).", valueName: "DATE"))
        var until: String?

        @Option(name: .long, help: "At most this many hits; 0 for all.")
        var limit: Int = 20

        @Flag(name: .long, help: "Also search earlier versions of edited messages and deleted messages.")
        var history = false

        @Option(name: .long, help: "Order: newest or relevance.")
        var sort: SearchSort = .newest

        @Option(name: .long, help: "Output format: text, json (JSON Lines) or csv.")
        var format: SearchOutputFormat = .text

        @Flag(name: .long, help: "Print only the number of hits.")
        var count = false

        func validate() throws {
            if let option = words.first(where: { $0.hasPrefix("--") && $0.count > 2 }) {
                throw ValidationError("unknown option \(option) (to search for text that starts with -, write the query after --)")
            }
            try archiveOption.check(forWriting: false)
            try usageCheck {
                _ = try DateArgument.range(since: since, until: until)
                try UsageChecks.ids(room, flag: "--room")
                try UsageChecks.ids(account, flag: "--account", what: "an account id")
                try UsageChecks.number(limit, flag: "--limit", in: 0...Int(Int32.max))
            }
        }

        func run() throws {
            let query = words.filter { $0 != "--" }.joined(separator: " ")
            let request = SearchRequest(query: query, roomIDs: room, accountIDs: account, since: since, until: until,
                                        limit: limit, includeHistory: history, sort: sort, format: format, countOnly: count)
            let env = ProcessInfo.processInfo.environment
            let highlight = isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
            let code = SearchCommand.run(
                request, highlight: highlight,
                openStore: { try openArchive(archiveOption) },
                out: { FileHandle.standardOutput.write(Data($0.utf8)) },
                err: { FileHandle.standardError.write(Data(("cwarchive " + $0 + "\n").utf8)) })
            if code != 0 { throw ExitCode(code) }
        }
    }
}
