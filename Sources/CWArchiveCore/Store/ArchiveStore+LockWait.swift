import ChatworkAPI
import Foundation

extension ArchiveStore {
    /// How long a run waits for a commit of `cwarchive listen` to let the lock go.
    public static let listenCommitWait: TimeInterval = 60
    /// The pause between two tries.
    static let lockRetryPause: TimeInterval = 0.2

    /// Takes the archive's write lock like ``acquireLock(purpose:)``, but while its holder is a
    /// commit of `cwarchive listen` (``LockHolder/listenCommit``: a moment, not a run) tries
    /// again every 0.2 s for up to `maxWait` seconds, so that a nightly run that starts during
    /// one does not fail. So it does while the lock file names no holder yet (or no more: the
    /// moments between taking the lock and writing who holds it, and between clearing it and
    /// letting go). Another run's lock throws ``ArchiveLockedError`` at once.
    public func acquireLock(waitingOutListenCommits clock: any RateLimitClock, maxWait: TimeInterval = ArchiveStore.listenCommitWait) async throws -> ArchiveLock {
        let deadline = clock.now().addingTimeInterval(maxWait)
        while true {
            do {
                return try acquireLock()
            } catch let error as ArchiveLockedError {
                let brief = error.holder == nil || error.holder?.purpose == LockHolder.listenCommit
                guard brief, clock.now() < deadline else { throw error }
                try await clock.sleep(seconds: Self.lockRetryPause)
            }
        }
    }
}
