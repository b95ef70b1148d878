import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Another process holds the archive's lock.
public struct ArchiveLockedError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let holder: LockHolder?
    public var description: String {
        if let h = holder {
            return "the archive is locked by another run (pid \(h.pid) on \(h.host), started \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(h.startedAt))))). Wait for it to finish; a lock left by a process that died is taken over automatically."
        }
        return "the archive is locked by another run (\(path)). Wait for it to finish."
    }
}

/// Who holds a lock.
public struct LockHolder: Codable, Sendable, Equatable {
    public var pid: Int32
    public var host: String
    public var startedAt: Int
    /// What the holder does with it; ``LockHolder/listenCommit`` for the short commit of
    /// `cwarchive listen`, which others wait out (nil: a run, or a lock file of an older version).
    public var purpose: String?
    enum CodingKeys: String, CodingKey { case pid, host, startedAt = "started_at", purpose }

    /// The purpose of `cwarchive listen`'s commits (they hold the lock for a moment, not a run).
    public static let listenCommit = "listen-commit"
}

/// An exclusive lock on an archive, held with `flock(2)` on `ARCHIVE/lock`.
///
/// The kernel releases the lock when its holder dies, however it dies, so a lock left behind by
/// a killed run is taken over by the next one without any stale-lock guessing.
public final class ArchiveLock: @unchecked Sendable {
    // @unchecked: the only mutable state, `fd`, is read and changed under `mutex` alone, so a
    // release from two tasks at once (a signal handler's task and `deinit`) closes it once.
    private var fd: Int32
    private let mutex = NSLock()
    public let url: URL

    private init(fd: Int32, url: URL) { self.fd = fd; self.url = url }

    /// Takes the lock or throws ``ArchiveLockedError`` at once; `clock` gives the holder's start time.
    public static func acquire(at url: URL, clock: any NowProvider = SystemClock(), purpose: String? = nil) throws -> ArchiveLock {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StorageError(path: url.path, operation: "open the lock file", errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            close(fd)
            if err == EWOULDBLOCK || err == EAGAIN {
                throw ArchiveLockedError(path: url.path, holder: readHolder(at: url))
            }
            throw StorageError(path: url.path, operation: "lock", errno: err)
        }
        let holder = LockHolder(pid: getpid(), host: ProcessInfo.processInfo.hostName, startedAt: Int(clock.now().timeIntervalSince1970),
                                purpose: purpose)
        if let data = try? JSONEncoder().encode(holder) {
            _ = ftruncate(fd, 0)
            data.withUnsafeBytes { _ = pwrite(fd, $0.baseAddress, $0.count, 0) }
            _ = fsync(fd)
        }
        return ArchiveLock(fd: fd, url: url)
    }

    /// Reads who holds the lock, if anyone wrote it.
    public static func readHolder(at url: URL) -> LockHolder? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(LockHolder.self, from: data)
    }

    /// Releases the lock.
    public func release() {
        mutex.lock(); defer { mutex.unlock() }
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
