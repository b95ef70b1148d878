import Foundation

/// Collects a run's records and blobs and commits them in batches: data file finished and
/// renamed into place, then the manifest (the commit point), then the index updated.
///
/// A run killed at any moment loses at most the uncommitted batch, and even that is adopted by
/// the next run if its data file was already complete (see ``ArchiveRecovery``).
final class CommitBatcher: @unchecked Sendable {
    // @unchecked: the mutable state (segment, blobs, counters, last hash) is changed only under
    // `lock`; `afterCommit` is set once by a test before the run starts.
    private let store: ArchiveStore
    private let index: ArchiveIndex
    private let runID: String
    private let options: ArchiveOptions
    private let lock = NSLock()
    private var segment: SegmentWriter?
    private var blobs: [ManifestEntry] = []
    private var roomsInBatch = 0
    private(set) var lastManifestHash: String?
    private(set) var commits = 0
    /// The source files of an import run, listed in its last manifest (the one with `runComplete`).
    var sources: [ManifestSource]?
    /// Called after each commit (for tests that kill a run at chosen points).
    var afterCommit: ((Int) -> Void)?

    init(store: ArchiveStore, index: ArchiveIndex, runID: String, options: ArchiveOptions) {
        self.store = store
        self.index = index
        self.runID = runID
        self.options = options
    }

    func append(_ record: ArchiveRecord) throws {
        lock.lock(); defer { lock.unlock() }
        if segment == nil { segment = try store.newSegment(runID: runID, level: options.compressionLevel) }
        try segment!.append(record)
    }

    func addBlob(_ entry: ManifestEntry) {
        lock.lock(); defer { lock.unlock() }
        if !blobs.contains(where: { $0.path == entry.path }) { blobs.append(entry) }
    }

    /// Marks the end of a room; commits when the batch is big enough.
    func roomDone() throws {
        lock.lock()
        roomsInBatch += 1
        let due = roomsInBatch >= options.commitEveryRooms || (segment?.recordCount ?? 0) >= options.commitEveryRecords
        lock.unlock()
        if due { try commit(runComplete: false) }
    }

    /// Commits whatever is pending (with `runComplete`, even if nothing is).
    func commit(runComplete: Bool) throws {
        lock.lock(); defer { lock.unlock() }
        guard segment != nil || !blobs.isEmpty || runComplete else { return }
        var entries: [ManifestEntry] = []
        if let s = segment { entries.append(try s.finish()) }
        entries.append(contentsOf: blobs.sorted { $0.path < $1.path })
        let file = try store.commit(runID: runID, entries: entries, runComplete: runComplete, sources: runComplete ? sources : nil)
        segment = nil
        blobs = []
        roomsInBatch = 0
        lastManifestHash = file.hash
        commits += 1
        try index.ingest(file, store: store)
        afterCommit?(commits)
    }
}
