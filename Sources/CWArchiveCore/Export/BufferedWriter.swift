import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file through a fixed-size buffer, so an export of any size uses constant memory.
/// The file is written under a temporary name and renamed into place by ``close()``.
///
/// Plain POSIX calls (`open`, `write`, `rename`): an export writes one file per room, and
/// FileManager's way (an atomic empty file, a handle, a removal, a checked move) cost a dozen
/// system calls and as many path conversions per file.
final class BufferedWriter {
    private var fd: Int32
    /// The file's path, and the temporary one it is written under (`.NAME.partial` beside it).
    let path: String
    private let tmpPath: String
    private var buffer: [UInt8] = []
    private let capacity: Int
    private var closed = false

    /// A writer of the file `name` in the folder at the path `folder` (paths joined as strings:
    /// no URL parsed per file).
    init(folder: String, name: String, capacity: Int = 1 << 16) throws {
        path = folder + "/" + name
        let tmp = folder + "/." + name + ".partial"
        tmpPath = tmp
        self.capacity = capacity
        fd = Self.retryingOnInterrupt { open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) }
        guard fd >= 0 else {
            throw ExportError("cannot create \(path): check that the output folder is writable (\(Self.lastError()))")
        }
        buffer.reserveCapacity(capacity)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Lets `fill` append to the buffer directly (a rendered message, a CSV row), without an
    /// intermediate array.
    func write(_ fill: (inout [UInt8]) throws -> Void) throws {
        try fill(&buffer)
        if buffer.count >= capacity { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try buffer.withUnsafeBytes { try DurableFile.writeAll(fd, $0, path: path) }
        } catch let error as StorageError {
            throw ExportError("cannot write \(path): \(String(cString: strerror(error.errno))) (is the disk full?)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and moves the file to its final name (replacing a file of that name).
    func close() throws {
        guard !closed else { return }
        closed = true
        do { try flush() } catch {
            closeDescriptor()
            unlink(tmpPath)
            throw error
        }
        guard closeDescriptor() else {
            unlink(tmpPath)
            throw ExportError("cannot write \(path): \(Self.lastError()) (is the disk full?)")
        }
        guard rename(tmpPath, path) == 0 else {
            let reason = Self.lastError()
            unlink(tmpPath)
            throw ExportError("cannot move \(tmpPath) to \(path): \(reason)")
        }
    }

    /// Closes and removes the partial file (after an error).
    func discard() {
        guard !closed else { return }
        closed = true
        closeDescriptor()
        unlink(tmpPath)
    }

    deinit { discard() }

    /// Closes the descriptor once; false when `close` reports an error (a delayed write failure).
    @discardableResult
    private func closeDescriptor() -> Bool {
        guard fd >= 0 else { return true }
        let result = unistdClose(fd)
        fd = -1
        return result == 0 || errno == EINTR
    }

    private func unistdClose(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }

    private static func retryingOnInterrupt(_ call: () -> Int32) -> Int32 {
        while true {
            let r = call()
            if r >= 0 || errno != EINTR { return r }
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
