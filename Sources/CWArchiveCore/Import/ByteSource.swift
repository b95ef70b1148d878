import Foundation

/// Reads a file in chunks, byte by byte, without ever holding more than one chunk (or bytes
/// already in memory: a small file transcoded to UTF-8).
struct ByteSource {
    private let handle: FileHandle?
    private var chunk: [UInt8] = []
    private var position = 0
    private(set) var bytesRead = 0
    private var atEnd = false

    init(url: URL) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw ImportFileError(path: url.path, detail: "cannot be opened")
        }
        self.handle = handle
    }

    /// Bytes already read (and transcoded).
    init(bytes: [UInt8]) {
        handle = nil
        chunk = bytes
        atEnd = true
    }

    func close() { try? handle?.close() }

    /// The next byte, or nil at the end of the file.
    mutating func next() throws -> UInt8? {
        if position >= chunk.count {
            guard !atEnd, let handle else { return nil }
            let data = try handle.read(upToCount: 1 << 16) ?? Data()
            if data.isEmpty { atEnd = true; return nil }
            chunk = [UInt8](data)
            position = 0
        }
        let b = chunk[position]
        position += 1
        bytesRead += 1
        return b
    }

    /// Looks at the next byte without taking it.
    mutating func peek() throws -> UInt8? {
        guard let b = try next() else { return nil }
        position -= 1
        bytesRead -= 1
        return b
    }
}

/// A source file that cannot be read at all (as opposed to a bad row in it).
public struct ImportFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let detail: String
    public var description: String { "\(TerminalText.sanitize(path)) \(detail)" }
}

/// Text of a row: valid UTF-8 with no NUL, or the reason it is not.
enum ImportText {
    /// A small file that is not UTF-8 but Shift_JIS (what Python 3's `open(path, 'w')` writes on
    /// a Japanese Windows, as byecha does), as UTF-8 bytes. nil when the file is UTF-8 already,
    /// is neither, or is larger than ``maxTranscodedBytes``: then it is read as it is (and its
    /// bad rows say why).
    static func shiftJISAsUTF8(_ data: Data) -> [UInt8]? {
        if String(validating: data, as: UTF8.self) != nil { return nil }
        guard data.count <= maxTranscodedBytes, let s = String(data: data, encoding: .shiftJIS) else { return nil }
        return Array(s.utf8)
    }

    static let maxTranscodedBytes = 64 << 20

    static func string(_ bytes: [UInt8]) -> Result<String, ImportRowError> {
        if bytes.contains(0) { return .failure(ImportRowError("contains a NUL byte")) }
        guard let s = String(validating: bytes, as: UTF8.self) else { return .failure(ImportRowError("is not valid UTF-8")) }
        return .success(s)
    }
}

/// Why one row (or JSON element) of a source file was not imported.
struct ImportRowError: Error, Sendable, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
