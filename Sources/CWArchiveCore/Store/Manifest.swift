import Crypto
import Foundation

/// A file added to the archive, as listed in a manifest.
public struct ManifestEntry: Codable, Sendable, Equatable {
    /// Path relative to the archive folder, with `/` separators.
    public var path: String
    public var sha256: String
    public var size: Int
    /// Number of records for data files; nil for blobs.
    public var records: Int?
    public init(path: String, sha256: String, size: Int, records: Int? = nil) {
        self.path = path; self.sha256 = sha256; self.size = size; self.records = records
    }
}

/// The commit point of the archive: every file a commit added, with its hash, and the hash of the
/// previous manifest, so that the manifests form a hash chain and any later change is detectable.
public struct Manifest: Codable, Sendable, Equatable {
    public static let formatVersion = 1
    public var format: Int
    /// 1, 2, 3 … with no holes.
    public var sequence: Int
    public var runID: String
    public var createdAt: Int
    /// SHA-256 of the previous manifest file's bytes; nil for the first.
    public var previous: String?
    /// Data files first, then blobs.
    public var files: [ManifestEntry]
    /// True on the last commit of a run that ended normally.
    public var runComplete: Bool
    /// The source files an import run read (`cwarchive import`), on its last manifest; absent otherwise.
    public var sources: [ManifestSource]?

    enum CodingKeys: String, CodingKey {
        case format, sequence, runID = "run_id", createdAt = "created_at", previous, files, runComplete = "run_complete", sources
    }

    public init(sequence: Int, runID: String, createdAt: Int, previous: String?, files: [ManifestEntry], runComplete: Bool,
                sources: [ManifestSource]? = nil) {
        self.format = Manifest.formatVersion
        self.sequence = sequence; self.runID = runID; self.createdAt = createdAt
        self.previous = previous; self.files = files; self.runComplete = runComplete; self.sources = sources
    }

    /// The bytes written to disk (sorted keys, so the hash is reproducible).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// The file name of manifest number `sequence`.
    public static func fileName(sequence: Int) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".json"
    }
}

/// SHA-256 helpers.
public enum Hashing {
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in digest { out.append(table[Int(b >> 4)]); out.append(table[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// Hashes a file in chunks (constant memory).
    public static func sha256(fileAt url: URL) throws -> (hash: String, size: Int) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw ArchiveFormatError(path: url.path, detail: "cannot be opened")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += chunk.count
        }
        return (hex(hasher.finalize()), size)
    }
}
