import ChatworkAPI
import Foundation

/// What an import reads and how.
public struct ImportOptions: Sendable {
    public var format: ImportFormat
    /// Files or folders of the format's output.
    public var paths: [URL]
    /// The zone of times written without an offset.
    public var timeZone: TimeZone
    /// Read and match everything, write nothing.
    public var dryRun = false
    /// Commit (data file + manifest) after this many records.
    public var commitEveryRecords = 20_000

    public init(format: ImportFormat, paths: [URL], timeZone: TimeZone, dryRun: Bool = false) {
        self.format = format; self.paths = paths; self.timeZone = timeZone; self.dryRun = dryRun
    }
}

/// Runs `cwarchive import`: reads other tools' exports, matches every message with the archive
/// and adds what the archive lacks as a run of its own, committed like an archive run (the
/// archive's lock, data files, manifests in the hash chain, the index updated per commit).
///
/// Import only adds: it never changes or removes what the API gave.
public final class Importer: Sendable {
    public let store: ArchiveStore
    public let options: ImportOptions
    public let clock: any NowProvider
    private let givenIndex: ArchiveIndex?
    private let log: @Sendable (String) -> Void
    private let badRow: @Sendable (String) -> Void
    private let progress: @Sendable (ArchiveProgress) -> Void

    /// - Parameters:
    ///   - index: an index to use instead of the store's file (tests); caught up first.
    ///   - badRow: told `file:line: reason` for each row that cannot be read.
    public init(store: ArchiveStore, options: ImportOptions, clock: any NowProvider = SystemClock(), index: ArchiveIndex? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }, badRow: @escaping @Sendable (String) -> Void = { _ in },
                progress: @escaping @Sendable (ArchiveProgress) -> Void = { _ in }) {
        self.store = store; self.options = options; self.clock = clock; self.givenIndex = index
        self.log = log; self.badRow = badRow; self.progress = progress
    }

    /// Runs once. Throws ``ImportPathError`` for a path that holds nothing to import (usage),
    /// ``ArchiveLockedError`` when another run writes, and storage or index errors (fatal).
    public func run() throws -> ImportReport {
        let started = clock.now()
        let runID = ImportedMessage.importRunPrefix + Archiver.makeRunID(started)
        var files: [ImportSourceFile] = []
        for path in options.paths {
            let found = try ImportDiscovery.files(format: options.format, path: path)
            files += found.files
            for note in found.notes { log(TerminalText.sanitize(note)) }
        }
        var lock: ArchiveLock?
        defer { lock?.release() }
        let index: ArchiveIndex
        var batcher: CommitBatcher?
        if options.dryRun {
            if let givenIndex { try givenIndex.catchUp(store: store); index = givenIndex } else { index = try ArchiveIndex.openForReading(store: store) }
        } else {
            lock = try store.acquireLock()
            let recovery = try ArchiveRecovery.recover(store: store, runID: runID)
            if !recovery.adopted.isEmpty { log("adopted \(recovery.adopted.count) file(s) left by an interrupted run") }
            if let givenIndex { try givenIndex.catchUp(store: store); index = givenIndex } else { index = try ArchiveIndex.open(store: store) }
            var archiveOptions = ArchiveOptions()
            archiveOptions.commitEveryRooms = Int.max
            archiveOptions.commitEveryRecords = max(1, options.commitEveryRecords)
            batcher = CommitBatcher(store: store, index: index, runID: runID, options: archiveOptions)
        }
        var run = ImportRun(options: options, runID: runID, index: index, batcher: batcher, store: store, clock: clock,
                            badRow: badRow, log: log)
        run.report = ImportReport(runID: runID, format: options.format.rawValue, dryRun: options.dryRun,
                                  started: RunSummary.iso(Int(started.timeIntervalSince1970)), finished: "")
        run.progress = progress
        run.fileCount = files.count
        for (i, file) in files.enumerated() {
            run.fileIndex = i + 1
            try run.read(file)
        }
        try run.finishRooms()
        if let batcher, run.wroteAnything {
            batcher.sources = run.sources
            try batcher.commit(runComplete: true)
            run.report.manifestHash = batcher.lastManifestHash
        }
        run.report.finished = RunSummary.iso(Int(clock.now().timeIntervalSince1970))
        run.report.exitCode = run.report.messages.badRows > 0 ? Int(ExitStatus.incomplete.rawValue) : 0
        return run.report
    }
}
