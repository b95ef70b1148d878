import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one commit of the spool did.
public struct WebhookCommitResult: Sendable, Equatable {
    /// Deliveries taken from the spool.
    public var events = 0
    /// New message versions written.
    public var messages = 0
    /// Deliveries kept as received (mentions, unknown types, unexpected shapes).
    public var kept = 0
    /// Deliveries the archive already had.
    public var duplicates = 0
    /// The manifest written, nil when there was nothing to commit.
    public var manifestSequence: Int?
    public init() {}
}

/// Commits the webhook spool into the archive: one data file and one manifest, a run of its own
/// in the hash chain (`listen-…`), through the same ``CommitBatcher`` as the archiver, and the
/// index brought up to date. The caller holds the archive's lock (the listener takes it for the
/// commit alone; an `archive` run commits the spool under its own lock).
///
/// Crash safety: before writing, the names of the spooled files and the commit's run id go to
/// `commit-intent.json`. A commit killed before its manifest leaves a complete data file that
/// ``ArchiveRecovery`` adopts; one killed after it leaves spool files already in the archive.
/// Either way the next commit sees the intent, finds the run's data file listed, and drops those
/// spool files instead of committing them twice.
public enum WebhookSpoolCommitter {
    struct Intent: Codable {
        var runID: String
        var files: [String]
        enum CodingKeys: String, CodingKey { case runID = "run_id", files }
    }

    /// Commits every spooled delivery. `uptime`: periods the listener vouches for, written with it.
    /// Call with the archive's lock held, after ``ArchiveRecovery/recover(store:runID:)``.
    public static func commit(spool: WebhookSpool, store: ArchiveStore, index: ArchiveIndex,
                              uptime: [(roomID: Int, period: ListenerUptimeRecord)] = []) throws -> WebhookCommitResult {
        try settleIntent(spool: spool, store: store)
        var result = WebhookCommitResult()
        let entries = spool.pending()
        guard !entries.isEmpty || !uptime.isEmpty else { return result }
        let now = store.clock.now()
        let runID = "listen-" + Archiver.makeRunID(now)
        let intent = Intent(runID: runID, files: entries.map(\.name))
        try DurableFile.writeAtomically(try JSONEncoder().encode(intent), to: spool.intentURL, tmpDir: spool.tmpDirectory)

        var items: [WebhookRecordBuilder.Item] = []
        var taken: [WebhookSpool.Entry] = []
        for e in entries {
            guard let raw = spool.body(of: e) else { continue }
            items.append(.init(raw: raw, receivedAt: Int(e.receivedAtMillis / 1000), delivery: WebhookDelivery.parse(raw)))
            taken.append(e)
        }
        let built = try WebhookRecordBuilder(index: index, runID: runID).build(items)
        result.events = items.count
        result.messages = built.messages
        result.kept = built.kept
        result.duplicates = built.duplicates

        var records = built.records
        let at = Int(now.timeIntervalSince1970)
        for u in uptime { records.append(ArchiveRecord(run: runID, at: at, roomID: u.roomID, payload: .listenerUptime(u.period))) }
        if !records.isEmpty {
            let batcher = CommitBatcher(store: store, index: index, runID: runID, options: ArchiveOptions())
            for r in records { try batcher.append(r) }
            try batcher.commit(runComplete: true)
            result.manifestSequence = try store.lastManifest()?.manifest.sequence
        }
        try spool.remove(taken)
        unlink(spool.intentURL.path)
        try DurableFile.syncDirectory(spool.directory)
        return result
    }

    /// Finishes what a killed commit left: its spool files are dropped when its data file is listed.
    static func settleIntent(spool: WebhookSpool, store: ArchiveStore) throws {
        guard let data = FileManager.default.contents(atPath: spool.intentURL.path) else { return }
        if let intent = try? JSONDecoder().decode(Intent.self, from: data) {
            let prefix = "data/\(intent.runID)/"
            let listed = try store.manifests().contains { m in m.manifest.files.contains { $0.path.hasPrefix(prefix) } }
            if listed {
                let names = Set(intent.files)
                try spool.remove(spool.pending().filter { names.contains($0.name) })
            }
        }
        unlink(spool.intentURL.path)
        try DurableFile.syncDirectory(spool.directory)
    }
}
