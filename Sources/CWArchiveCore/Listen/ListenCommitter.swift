import ChatworkAPI
import Foundation

/// The listener's side of committing: takes the archive's lock for the commit alone, adopts what
/// an interrupted writer left, commits the spool (``WebhookSpoolCommitter``) and lets the lock go.
/// When another writer (a nightly `archive` run) holds the lock, it says so and the caller tries
/// again later: deliveries stay safe in the spool meanwhile, and that run commits them too.
public final class ListenCommitter: Sendable {
    public let store: ArchiveStore
    public let spool: WebhookSpool
    /// The rooms the listener takes deliveries for (their uptime is recorded with each commit).
    public let rooms: [Int]
    /// The id of this listener process, in its uptime records.
    public let listenerID: String
    /// When the listener began taking deliveries (Unix seconds).
    private let since: Int

    /// What one attempt did.
    public enum Outcome: Sendable, Equatable {
        case committed(WebhookCommitResult)
        /// Another writer holds the lock; nothing was done.
        case locked(String)
    }

    /// - Parameter startedAt: when the listener began taking deliveries (Unix seconds).
    public init(store: ArchiveStore, spool: WebhookSpool, rooms: [Int], startedAt: Int) {
        self.store = store
        self.spool = spool
        self.rooms = rooms
        self.listenerID = "listen-" + Archiver.makeRunID(Date(timeIntervalSince1970: TimeInterval(startedAt)))
        self.since = startedAt
    }

    /// Commits the spool if there is anything in it (with `final`, also records the uptime up to now).
    public func commit(final: Bool = false) throws -> Outcome {
        spool.reloadRecent()
        if spool.pending().isEmpty && !final { return .committed(WebhookCommitResult()) }
        let lock: ArchiveLock
        do { lock = try store.acquireLock() } catch let error as ArchiveLockedError {
            return .locked(error.description)
        }
        defer { lock.release() }
        _ = try ArchiveRecovery.recover(store: store, runID: "listen-" + Archiver.makeRunID(store.clock.now()))
        let index = try ArchiveIndex.open(store: store)
        let now = Int(store.clock.now().timeIntervalSince1970)
        let from = since
        let uptime = rooms.map { (roomID: $0, period: ListenerUptimeRecord(from: from, to: now, listenerID: listenerID)) }
        let hasEvents = !spool.pending().isEmpty
        let result = try WebhookSpoolCommitter.commit(spool: spool, store: store, index: index,
                                                      uptime: (hasEvents || final) ? uptime : [])
        return .committed(result)
    }
}
