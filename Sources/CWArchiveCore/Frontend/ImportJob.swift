import ChatworkAPI
import Foundation

/// `cwarchive import`: everything between parsed options and an exit code.
///
/// Exit codes: 0 everything imported (or already there); 3 imported, but some rows could not be
/// read (each named `file:line` on standard error and in the report); 1 fatal (unreadable
/// archive, disk, lock file); 11 locked by another run; 64 usage (a bad format, path or zone).
public struct ImportJob: Sendable {
    public var archiveFlag: String?
    public var configFlag: String?
    public var format: ImportFormat
    public var paths: [String]
    public var timeZoneFlag: String?
    public var dryRun = false
    public var reportPath: String?
    public var quiet = false
    /// Commit (data file, manifest, index) after this many records instead of the default (tests).
    public var commitEveryRecords: Int?
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var clock: any NowProvider = SystemClock()

    public init(format: ImportFormat, paths: [String]) {
        self.format = format
        self.paths = paths
    }

    public func run(console: Console) -> ExitStatus {
        let root: URL
        let zone: TimeZone
        do {
            zone = try timeZoneFlag.map { try TimeZoneArgument.parse($0) } ?? .current
        } catch {
            console.warn("\(error)")
            return .usage
        }
        do {
            let config = try ConfigFile.load(path: ConfigFile.locate(flag: configFlag, environment: environment))
            root = try ArchiveLocation.resolve(flag: archiveFlag, environment: environment, config: config)
        } catch {
            console.warn("\(error)")
            return .fatal
        }
        let store: ArchiveStore
        do { store = try ArchiveStore.open(at: root, create: false, clock: clock) } catch {
            console.warn("\(error)")
            return .fatal
        }
        let urls = paths.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        var options = ImportOptions(format: format, paths: urls, timeZone: zone, dryRun: dryRun)
        if let commitEveryRecords { options.commitEveryRecords = commitEveryRecords }
        let importer = Importer(store: store, options: options, clock: clock,
                                log: { console.log($0) }, badRow: { console.warn(TerminalText.sanitize($0)) },
                                progress: { console.progress($0) })
        if !dryRun { console.log("importing \(format.rawValue) into \(root.path)") }
        let report: ImportReport
        do {
            report = try importer.run()
        } catch let error as ImportPathError {
            console.finishProgress()
            console.warn(error.description)
            return .usage
        } catch let error as ArchiveLockedError {
            console.finishProgress()
            console.warn("\(error)")
            return .locked
        } catch {
            console.finishProgress()
            console.warn("import failed: \(error). Nothing of this run is lost or half-written: run it again.")
            return .fatal
        }
        console.finishProgress()
        if let reportPath { ReportFile.write(report, to: reportPath, console: console) }
        if !quiet {
            if dryRun {
                for r in report.rooms where r.new + r.newVersions > 0 || r.horizonMoved || r.gap != nil {
                    var line = "room \(r.roomID)\(r.name.map { " (\(TerminalText.sanitize($0)))" } ?? ""): would add \(r.new) new, \(r.newVersions) version(s); \(r.matched) already there"
                    if r.horizonMoved, let t = r.oldestTime { line += "; the horizon would move back to \(RunSummary.iso(t))" }
                    if let g = r.gap { line += "; a gap would remain between \(RunSummary.iso(g.afterTime)) and \(RunSummary.iso(g.beforeTime))" }
                    console.out(line)
                }
            }
            console.out(report.paragraph)
        }
        return report.exitCode == 0 ? .ok : .incomplete
    }
}
