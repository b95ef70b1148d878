import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes one data file: JSON Lines of ``ArchiveRecord``s, gzip-compressed, written once and never changed.
///
/// The file is built under a temporary name and only appears under its final name, complete and
/// fsynced, when ``finish()`` succeeds. Memory stays constant whatever the number of records.
public final class SegmentWriter {
    public let finalURL: URL
    public let relativePath: String
    private let tmpURL: URL
    private var fd: Int32
    private var compressor: GzipCompressor!
    private var hasher = SHA256()
    private var compressedSize = 0
    private var buffer: [UInt8] = []
    private let encoder: JSONEncoder
    public private(set) var recordCount = 0
    public private(set) var uncompressedSize = 0

    init(finalURL: URL, relativePath: String, tmpDir: URL, level: Int32 = 6) throws {
        self.finalURL = finalURL
        self.relativePath = relativePath
        try DurableFile.makeDirectory(tmpDir)
        tmpURL = tmpDir.appendingPathComponent(".seg-\(UUID().uuidString).tmp")
        fd = try DurableFile.createExclusive(tmpURL)
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let fd = self.fd
        let path = tmpURL.path
        compressor = try GzipCompressor(level: level) { [unowned self] bytes in
            self.hasher.update(bufferPointer: bytes)
            self.compressedSize += bytes.count
            try DurableFile.writeAll(fd, bytes, path: path)
        }
    }

    deinit {
        if fd >= 0 {
            close(fd)
            // An unfinished segment never reaches its final name.
            unlink(tmpURL.path)
        }
    }

    /// Appends one record.
    public func append(_ record: ArchiveRecord) throws {
        let before = buffer.count
        // Messages (nearly every record) are encoded by hand, byte-identical to the encoder's output.
        if !RecordJSONWriter.appendMessageRecord(record, to: &buffer) {
            buffer.append(contentsOf: try encoder.encode(record))
        }
        buffer.append(0x0A)
        recordCount += 1
        uncompressedSize += buffer.count - before
        if buffer.count >= 1 << 16 { try flushBuffer() }
    }

    private func flushBuffer() throws {
        try buffer.withUnsafeBytes { try compressor.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Completes the file: gzip trailer, fsync, rename into place, fsync the folder.
    /// - Returns: the manifest entry for it.
    public func finish() throws -> ManifestEntry {
        try flushBuffer()
        try compressor.finish()
        try DurableFile.sync(fd, path: tmpURL.path)
        close(fd)
        fd = -1 // never closed twice: the number may belong to another file by now
        try DurableFile.commitRename(from: tmpURL, to: finalURL)
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return ManifestEntry(path: relativePath, sha256: digest, size: compressedSize, records: recordCount)
    }
}

/// Reads the records of a data file, streaming.
public enum SegmentReader {
    /// Calls `body` with each record in order. Throws on a corrupt or truncated file, naming it.
    public static func forEachRecord(in url: URL, _ body: (ArchiveRecord) throws -> Void) throws {
        let decoder = JSONDecoder()
        try forEachLine(in: url) { line, number in
            do {
                // Message lines as this program writes them are read by hand (same result, sooner).
                try body(try RecordJSONReader.messageRecord(line) ?? decoder.decode(ArchiveRecord.self, from: line))
            } catch let error as DecodingError {
                throw ArchiveFormatError(path: url.path, detail: "line \(number) is not a valid record: \(error.shortDescription)")
            }
        }
    }

    /// Calls `body` with each line (without the newline) and its 1-based number.
    public static func forEachLine(in url: URL, _ body: (Data, Int) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw ArchiveFormatError(path: url.path, detail: "cannot be opened")
        }
        defer { try? handle.close() }
        var pending = Data()
        var lineNumber = 0
        var bodyError: Error?
        let inflater = try GzipDecompressor { bytes in
            pending.append(contentsOf: bytes)
        }
        func drain(final: Bool) throws {
            // The buffer is captured by the inflater's closure: take it out once, so the loop
            // below works on a local value (no exclusivity check per line).
            var data = Data()
            swap(&data, &pending)
            var number = lineNumber
            defer { lineNumber = number }
            let base = data.startIndex
            let consumed = try data.withUnsafeBytes { raw -> Int in
                guard let start = raw.baseAddress else { return 0 }
                var offset = 0
                while offset < raw.count, let hit = memchr(start + offset, 0x0A, raw.count - offset) {
                    let nl = start.distance(to: UnsafeRawPointer(hit))
                    number += 1
                    try body(data[(base + offset)..<(base + nl)], number)
                    offset = nl + 1
                }
                return offset
            }
            if consumed < data.count { pending = Data(data[(base + consumed)...]) }
            if final && !pending.isEmpty {
                throw ArchiveFormatError(path: url.path, detail: "ends in the middle of a record")
            }
        }
        do {
            while true {
                let chunk = try handle.read(upToCount: 1 << 16) ?? Data()
                if chunk.isEmpty { break }
                try chunk.withUnsafeBytes { try inflater.write($0) }
                try drain(final: false)
            }
        } catch let error as GzipError {
            throw ArchiveFormatError(path: url.path, detail: "is corrupt (\(error.message))")
        } catch { bodyError = error }
        if let bodyError { throw bodyError }
        guard inflater.isComplete else { throw ArchiveFormatError(path: url.path, detail: "is truncated (incomplete gzip stream)") }
        try drain(final: true)
    }
}

/// A data file that cannot be read as the archive format.
public struct ArchiveFormatError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let detail: String
    public var description: String { "\(path) \(detail). Run `cwarchive verify` to see the archive's state." }
}

extension DecodingError {
    var shortDescription: String {
        switch self {
        case .dataCorrupted(let c): return c.debugDescription
        case .keyNotFound(let k, _): return "missing field \(k.stringValue)"
        case .typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case .valueNotFound(_, let c): return "missing value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        @unknown default: return "\(self)"
        }
    }
}
