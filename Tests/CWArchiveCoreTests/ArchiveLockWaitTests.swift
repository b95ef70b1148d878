import ChatworkAPI
@testable import CWArchiveCore
import Foundation
import Testing

/// A run that starts while `cwarchive listen` commits waits the commit out instead of failing
/// (exit 11); another run's lock still fails at once.
@Suite("Archive lock: waiting out a listener's commit")
struct ArchiveLockWaitTests {
    /// A manual timeline whose sleeps run `onSleep` (the other writer letting go) and are counted.
    final class SignallingClock: RateLimitClock, @unchecked Sendable {
        // @unchecked: `count` is read and changed under `lock` alone.
        let base = ManualClock()
        let onSleep: @Sendable () -> Void
        private let lock = NSLock()
        private var count = 0
        init(onSleep: @escaping @Sendable () -> Void = {}) { self.onSleep = onSleep }
        func now() -> Date { base.now() }
        func sleep(seconds: TimeInterval) async throws {
            lock.withLock { count += 1 }
            onSleep()
            try await base.sleep(seconds: seconds)
        }
        var sleeps: Int { lock.withLock { count } }
    }

    @Test("a listener's commit is waited out; another run's lock fails at once; a commit that never ends, after the wait")
    func waits() async throws {
        let tmp = TempDir("cwarchive-lockwait")
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true)

        let commit = try store.acquireLock(purpose: LockHolder.listenCommit)
        #expect(ArchiveLock.readHolder(at: store.lockURL)?.purpose == LockHolder.listenCommit)
        let released = SignallingClock { commit.release() }
        let taken = try await store.acquireLock(waitingOutListenCommits: released)
        #expect(released.sleeps == 1)
        #expect(ArchiveLock.readHolder(at: store.lockURL)?.purpose == nil)
        taken.release()

        let run = try store.acquireLock()
        let patient = SignallingClock()
        await #expect(throws: ArchiveLockedError.self) { _ = try await store.acquireLock(waitingOutListenCommits: patient) }
        #expect(patient.sleeps == 0)
        run.release()

        let stuck = try store.acquireLock(purpose: LockHolder.listenCommit)
        let waiting = SignallingClock()
        await #expect(throws: ArchiveLockedError.self) { _ = try await store.acquireLock(waitingOutListenCommits: waiting, maxWait: 2) }
        #expect(waiting.sleeps == 10)
        stuck.release()
    }

    @Test("an archive run that starts during a listener's commit completes")
    func runStartsDuringACommit() async throws {
        let tmp = TempDir("cwarchive-lockwait-run")
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true)
        let commit = try store.acquireLock(purpose: LockHolder.listenCommit)
        let clock = SignallingClock { commit.release() }
        let api = FakeChatworkAPI(clock: clock.base)
        api.addRoom(1)
        api.post(1, "hello")
        let summary = try await Archiver(store: store, client: api, options: ArchiveOptions(), clock: clock, index: try ArchiveIndex.inMemory()).run()
        #expect(summary.exitCode == 0, "\(summary.failures)")
        #expect(summary.messages.new == 1)
        #expect(clock.sleeps >= 1)
    }
}
