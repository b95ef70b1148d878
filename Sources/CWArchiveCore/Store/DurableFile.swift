import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A storage error that says which file and what to do.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let operation: String
    public let errno: Int32

    public var description: String {
        let reason = String(cString: strerror(errno))
        var text = "cannot \(operation) \(path): \(reason)"
        switch errno {
        case ENOSPC, EDQUOT:
            text += ". The disk is full: free space and run again; the archive is left consistent and the next run completes it."
        case EROFS:
            text += ". The file system is read-only: archive to a writable location."
        case EACCES, EPERM:
            text += ". Check the owner and permissions of the archive folder."
        default: break
        }
        return text
    }
}

/// Low-level file operations that make writes durable: write to a temporary name, fsync, rename, fsync the folder.
public enum DurableFile {
    /// Creates a folder (and parents) private to the user (0700).
    public static func makeDirectory(_ url: URL) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue { return }
        let parent = url.deletingLastPathComponent()
        if parent.path != url.path { try makeDirectory(parent) }
        if mkdir(url.path, 0o700) != 0 && errno != EEXIST {
            throw StorageError(path: url.path, operation: "create folder", errno: errno)
        }
    }

    /// Opens a new file for writing, private to the user (0600), failing if it exists.
    public static func createExclusive(_ url: URL) throws -> Int32 {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StorageError(path: url.path, operation: "create", errno: errno) }
        return fd
    }

    /// Writes all bytes to `fd`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }

    /// fsyncs a file written by someone else (a download) before it is renamed into place.
    public static func syncFile(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError(path: url.path, operation: "open", errno: errno) }
        defer { close(fd) }
        try sync(fd, path: url.path)
    }

    public static func sync(_ fd: Int32, path: String) throws {
        if fsync(fd) != 0 { throw StorageError(path: path, operation: "sync", errno: errno) }
    }

    /// fsyncs a folder so that a rename or create inside it is durable.
    public static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError(path: url.path, operation: "open folder", errno: errno) }
        defer { close(fd) }
        _ = fsync(fd)
    }

    /// Atomically renames `from` to `to` and makes the rename durable.
    public static func commitRename(from: URL, to: URL) throws {
        try makeDirectory(to.deletingLastPathComponent())
        if rename(from.path, to.path) != 0 {
            throw StorageError(path: to.path, operation: "rename into place", errno: errno)
        }
        try syncDirectory(to.deletingLastPathComponent())
    }

    /// Writes `data` durably to `url` through a temporary name in `tmpDir` (same file system).
    public static func writeAtomically(_ data: Data, to url: URL, tmpDir: URL) throws {
        try makeDirectory(tmpDir)
        let tmp = tmpDir.appendingPathComponent(".tmp-\(UUID().uuidString)")
        let fd = try createExclusive(tmp)
        do {
            try data.withUnsafeBytes { try writeAll(fd, $0, path: tmp.path) }
            try sync(fd, path: tmp.path)
            close(fd)
        } catch {
            close(fd)
            unlink(tmp.path)
            throw error
        }
        do { try commitRename(from: tmp, to: url) } catch { unlink(tmp.path); throw error }
    }
}
