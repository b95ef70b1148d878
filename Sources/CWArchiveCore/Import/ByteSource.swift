import Foundation

/// Reads a file in chunks, byte by byte, without ever holding more than one chunk.
struct ByteSource {
    private let handle: FileHandle
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

    func close() { try? handle.close() }

    /// The next byte, or nil at the end of the file.
    mutating func next() throws -> UInt8? {
        if position >= chunk.count {
            guard !atEnd else { return nil }
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
