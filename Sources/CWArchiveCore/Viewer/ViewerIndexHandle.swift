import ChatworkAPI
import Foundation

/// The viewer's way to the live index: opened for reading (never taking the archive's lock),
/// reopened when the index file is replaced (`cwarchive reindex` swaps in a new file), and
/// brought up to date with the store's committed manifests at most once per `catchUpInterval`
/// in the background (a run ingests its own manifests; this covers writers that only commit
/// to the store).
///
/// `@unchecked Sendable`: its mutable state (the open index and when it was last caught up) is
/// only touched under `lock`.
final class ViewerIndexHandle: @unchecked Sendable {
    let store: ArchiveStore
    private let clock: any NowProvider
    private let catchUpInterval: TimeInterval
    private let lock = NSLock()
    private var index: ArchiveIndex
    private var fileID: FileIdentity?
    private var caughtUpAt: Date
    private var catchingUp = false

    struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    init(store: ArchiveStore, clock: any NowProvider, catchUpInterval: TimeInterval = 2) throws {
        self.store = store
        self.clock = clock
        self.catchUpInterval = catchUpInterval
        fileID = Self.identity(of: store.indexURL)
        index = try ArchiveIndex.openForReading(store: store)
        caughtUpAt = clock.now()
    }

    /// The index to read now.
    func current() throws -> ArchiveIndex {
        let (index, catchUp) = try state()
        if catchUp {
            // In the background: the request never waits for a writer's transaction. Applying
            // a manifest is idempotent and transactional; a read-only index (read-only media)
            // is read as it is.
            let store = self.store
            DispatchQueue.global(qos: .utility).async { [self] in
                try? index.catchUp(store: store)
                lock.lock()
                catchingUp = false
                lock.unlock()
            }
        }
        return index
    }

    private func state() throws -> (ArchiveIndex, Bool) {
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now()
        let id = Self.identity(of: store.indexURL)
        if id != fileID {
            index = try ArchiveIndex.openForReading(store: store)
            fileID = Self.identity(of: store.indexURL)
            caughtUpAt = now
            return (index, false)
        }
        if !catchingUp, abs(now.timeIntervalSince(caughtUpAt)) >= catchUpInterval {
            caughtUpAt = now
            catchingUp = true
            return (index, true)
        }
        return (index, false)
    }

    static func identity(of url: URL) -> FileIdentity? {
        var st = stat()
        guard stat(url.path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}
