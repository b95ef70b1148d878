import Foundation

/// Writes a file through a fixed-size buffer, so an export of any size uses constant memory.
/// The file is written under a temporary name and renamed into place by ``close()``.
final class BufferedWriter {
    private let handle: FileHandle
    private let tmpURL: URL
    let url: URL
    private var buffer: [UInt8] = []
    private let capacity: Int
    private var closed = false

    init(url: URL, capacity: Int = 1 << 16) throws {
        self.url = url
        self.capacity = capacity
        tmpURL = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: tmpURL.path, contents: nil) else {
            throw ExportError("cannot create \(url.path): check that the output folder is writable")
        }
        do { handle = try FileHandle(forWritingTo: tmpURL) } catch {
            throw ExportError("cannot open \(tmpURL.path) for writing: \(error.localizedDescription)")
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

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw ExportError("cannot write \(url.path): \(error.localizedDescription) (is the disk full?)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and moves the file to its final name.
    func close() throws {
        guard !closed else { return }
        closed = true
        try flush()
        try? handle.close()
        _ = try? FileManager.default.removeItem(at: url)
        do { try FileManager.default.moveItem(at: tmpURL, to: url) } catch {
            throw ExportError("cannot move \(tmpURL.path) to \(url.path): \(error.localizedDescription)")
        }
    }

    /// Closes and removes the partial file (after an error).
    func discard() {
        guard !closed else { return }
        closed = true
        try? handle.close()
        try? FileManager.default.removeItem(at: tmpURL)
    }

    deinit { discard() }
}
