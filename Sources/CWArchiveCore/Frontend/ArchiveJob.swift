import ChatworkAPI
import Foundation
import Logging

/// `cwarchive archive`: everything between parsed options and an exit code.
public struct ArchiveJob: Sendable {
    public var archiveFlag: String?
    public var apiBaseFlag: String?
    public var tokenFileFlag: String?
    /// `--oauth-credentials FILE`: an OAuth grant (see ``ArchiveAuthentication`` for the precedence).
    public var oauthCredentialsFlag: String?
    public var configFlag: String?
    public var rooms: [Int] = []
    public var excludedRooms: [Int] = []
    public var noFiles = false
    public var maxFileSize: String?
    public var downloadConcurrency: Int?
    public var reportPath: String?
    public var quiet = false
    /// Commit after this many rooms (tests use 1 to put commits between kills).
    public var commitEveryRooms: Int?
    /// `--refresh-days`, `--max-duration`, `--max-requests` (checked by the front end; config keys
    /// `refresh_days`, `max_duration`, `max_requests` are checked here).
    public var refreshDays: Int?
    public var maxDuration: String?
    public var maxRequests: Int?
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init() {}

    /// Reads the token: `--token-file` (or the config's `token_file`), else `CHATWORK_API_TOKEN`.
    public static func credential(tokenFile: String?, environment: [String: String]) throws -> ChatworkCredential {
        if let tokenFile {
            return try ChatworkCredential.fromFile(URL(fileURLWithPath: (tokenFile as NSString).expandingTildeInPath))
        }
        if let c = ChatworkCredential.fromEnvironment(environment) { return c }
        throw SettingsError(description: "no API token: set CHATWORK_API_TOKEN or pass --token-file FILE (a file readable only by you). The token is never accepted on the command line.")
    }

    /// The run's budget and refresh period, from the flags or else the config file.
    func applyBudget(config: ConfigFile, to options: inout ArchiveOptions) throws {
        if let n = refreshDays ?? config.string("refresh_days").map({ value -> Int in Int(value) ?? -1 }) {
            guard (0...3650).contains(n) else {
                throw UsageError("refresh_days (config file) \(TerminalText.quoted(config.string("refresh_days") ?? String(n))): use a whole number of days from 0 to 3650")
            }
            options.refreshDays = n
        }
        if let n = maxRequests ?? config.string("max_requests").map({ value -> Int in Int(value) ?? -1 }) {
            guard (1...1_000_000).contains(n) else {
                throw UsageError("max_requests (config file) \(TerminalText.quoted(config.string("max_requests") ?? String(n))): use a whole number from 1 to 1000000")
            }
            options.maxRequests = n
        }
        if let text = maxDuration ?? config.string("max_duration") {
            options.maxDuration = Double(try DurationParser.parse(text, flag: maxDuration == nil ? "max_duration (config file)" : "--max-duration"))
        }
    }

    /// Runs the job and returns the exit status.
    public func run(console: Console) async -> ExitStatus {
        let config: ConfigFile
        let root: URL
        let authentication: ArchiveAuthentication
        let baseURL: URL
        var options = ArchiveOptions()
        do {
            config = try ConfigFile.load(path: ConfigFile.locate(flag: configFlag, environment: environment))
            root = try ArchiveLocation.resolve(flag: archiveFlag, environment: environment, config: config)
            authentication = try ArchiveAuthentication.resolve(oauthFlag: oauthCredentialsFlag, tokenFileFlag: tokenFileFlag,
                                                               environment: environment, config: config)
            baseURL = try ChatworkClientConfiguration.resolveBaseURL(flag: apiBaseFlag ?? config.string("api_base"), environment: environment)
            options.rooms = Set(rooms + config.all("room").compactMap { Int($0) })
            options.excludedRooms = Set(excludedRooms + config.all("exclude_room").compactMap { Int($0) })
            options.downloadFiles = !(noFiles || config.string("no_files") == "true")
            if let size = maxFileSize ?? config.string("max_file_size") {
                options.maxFileSize = try SizeParser.parse(size, flag: maxFileSize == nil ? "max_file_size (config file)" : "--max-file-size")
            }
            if let n = commitEveryRooms { options.commitEveryRooms = max(1, n) }
            try applyBudget(config: config, to: &options)
            if let c = downloadConcurrency ?? config.string("download_concurrency").flatMap(Int.init) {
                options.downloadConcurrency = max(1, min(32, c))
            }
        } catch {
            console.warn("\(error)")
            return .fatal
        }

        let store: ArchiveStore
        do { store = try ArchiveStore.open(at: root, create: true) } catch {
            console.warn("\(error)")
            return .fatal
        }
        var clientLogger = Logger(label: "cwarchive.api")
        clientLogger.logLevel = .warning
        let client: ChatworkClient
        do { client = try authentication.makeClient(configuration: ChatworkClientConfiguration(baseURL: baseURL), logger: clientLogger) } catch {
            console.warn(TerminalText.sanitize("\(error)"))
            return .fatal
        }
        defer { Task { try? await client.shutdown() } }
        let archiver = Archiver(store: store, client: client, options: options,
                                log: { console.log($0) }, progress: { console.progress($0) })
        console.log("archiving into \(root.path) from \(baseURL.absoluteString)")
        let summary: RunSummary
        do {
            summary = try await archiver.run()
        } catch let error as ArchiveLockedError {
            console.finishProgress()
            console.warn("\(error)")
            return .locked
        } catch {
            console.finishProgress()
            console.warn(authentication.explain(error) ?? "\(error)")
            try? await client.shutdown()
            return .fatal
        }
        try? await client.shutdown()
        console.finishProgress()
        if let reportPath { ReportFile.write(summary, to: reportPath, mode: 0o600, console: console) }
        for f in summary.failures { console.warn("incomplete: \(f.roomID.map { "room \($0): " } ?? "")\(f.item): \(f.error)") }
        for n in summary.noAccess where !n.new {
            console.log("room \(n.roomID): no_access since \(n.sinceISO) (not counted as a failure; tried again when its last_update_time moves)")
        }
        if let stopped = summary.stoppedBy, !summary.roomsLeft.isEmpty {
            let flag = stopped == "max_duration" ? "--max-duration" : "--max-requests"
            console.warn("stopped by \(flag): \(summary.roomsLeft.count) changed room(s) left for the next run, which takes them first: \(summary.roomsLeft.map(String.init).joined(separator: " "))")
        }
        for g in summary.gaps {
            if g.coveredByWebhook == true {
                console.log("gap in room \(g.roomID) between \(g.afterMessageID ?? "?") and \(g.beforeMessageID) is covered by live capture (`cwarchive listen` was up for the room; an undelivered webhook cannot be detected)")
                continue
            }
            console.warn("gap in room \(g.roomID): messages between \(g.afterMessageID ?? "?") and \(g.beforeMessageID) could not be reached (more than 100 arrived between runs; run more often, or capture the room live with `cwarchive listen`)")
        }
        if !quiet { console.out(summary.paragraph) }
        return summary.exitCode == 0 ? .ok : .incomplete
    }
}
