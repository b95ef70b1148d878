import ChatworkAPI
import Foundation

/// The listener's side of committing: takes the archive's lock for the commit alone, adopts what
/// an interrupted writer left, commits the spool (``WebhookSpoolCommitter``) and lets the lock go.
/// When another writer (a nightly `archive` run) holds the lock, it says so and the caller tries
/// again later: deliveries stay safe in the spool meanwhile, and that run commits them too.
public final class ListenCommitter: @unchecked Sendable {
    // @unchecked: the only mutable state, `lastUptimeAt`, is read and changed under `stateLock` alone.
    public let store: ArchiveStore
    public let spool: WebhookSpool
    /// The rooms the listener takes deliveries for (their uptime is recorded with each commit).
    public let rooms: [Int]
    /// The id of this listener process, in its uptime records.
    public let listenerID: String
    /// When the listener began taking deliveries (Unix seconds).
    private let since: Int
    /// Uptime is recorded with every commit of deliveries, and at least this often without any.
    public static let uptimeEvery = 3600
    private let stateLock = NSLock()
    private var lastUptimeAt: Int

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
        self.lastUptimeAt = startedAt
    }

    /// Commits the spool if there is anything in it, with the uptime up to now; with `final`, or
    /// when the uptime was last recorded ``uptimeEvery`` seconds ago, even when it is empty.
    public func commit(final: Bool = false) throws -> Outcome {
        spool.reloadRecent()
        let uptimeDue = Int(store.clock.now().timeIntervalSince1970) - stateLock.withLock { lastUptimeAt } >= Self.uptimeEvery
        if spool.pending().isEmpty && !final && !uptimeDue { return .committed(WebhookCommitResult()) }
        let lock: ArchiveLock
        do { lock = try store.acquireLock(purpose: LockHolder.listenCommit) } catch let error as ArchiveLockedError {
            return .locked(error.description)
        }
        defer { lock.release() }
        _ = try ArchiveRecovery.recover(store: store, runID: "listen-" + Archiver.makeRunID(store.clock.now()))
        let index = try ArchiveIndex.open(store: store)
        let now = Int(store.clock.now().timeIntervalSince1970)
        let from = since
        let uptime = rooms.map { (roomID: $0, period: ListenerUptimeRecord(from: from, to: now, listenerID: listenerID)) }
        let hasEvents = !spool.pending().isEmpty
        let withUptime = hasEvents || final || uptimeDue
        let result = try WebhookSpoolCommitter.commit(spool: spool, store: store, index: index, uptime: withUptime ? uptime : [])
        if withUptime { stateLock.withLock { lastUptimeAt = now } }
        return .committed(result)
    }
}
