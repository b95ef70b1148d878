import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The journal of accepted webhook deliveries, inside the archive: `ARCHIVE/spool/webhooks/`.
///
/// Each accepted body is written as its own file, exactly as received, through
/// ``DurableFile/writeAtomically(_:to:tmpDir:)`` (write, fsync, rename, fsync the folder): when
/// ``add(_:receivedAt:)`` returns, the delivery survives a kill -9 or a power cut, and only then
/// does the listener answer 200. The files wait there until a commit (``WebhookSpoolCommitter``)
/// has put their events into a data file and a manifest; then they are removed.
///
/// Names are `RECEIVED_MS-SHA256.body`: they sort by arrival, and the same body delivered twice
/// has the same name, so a repeated delivery is stored once. Hashes of committed bodies are kept in
/// `recent` (the newest ``recentLimit``) to recognise a repeat that arrives after its commit.
public final class WebhookSpool: @unchecked Sendable {
    // @unchecked: the only mutable state, `recentHashes`, is read and changed under `lock` alone.
    /// How many committed body hashes `recent` keeps.
    public static let recentLimit = 20_000
    public let directory: URL
    var tmpDirectory: URL { directory.appendingPathComponent(".tmp") }
    var recentURL: URL { directory.appendingPathComponent("recent") }
    var intentURL: URL { directory.appendingPathComponent("commit-intent.json") }
    private let lock = NSLock()
    private var recentHashes: Set<String>

    /// One spooled delivery.
    public struct Entry: Sendable, Equatable {
        /// The file name inside the spool.
        public let name: String
        /// When it was received (Unix milliseconds, from the name).
        public let receivedAtMillis: Int64
        /// SHA-256 of the body (from the name).
        public let sha256: String
    }

    /// What ``add(_:receivedAt:)`` did.
    public enum AddResult: Sendable, Equatable {
        /// Written and fsynced.
        case stored
        /// The same body is already spooled or was committed: nothing written.
        case duplicate
    }

    /// Opens (and creates) the spool of an archive.
    public init(store: ArchiveStore) throws {
        directory = store.root.appendingPathComponent("spool/webhooks")
        try DurableFile.makeDirectory(directory)
        Self.removeStaleTemporaryFiles(in: directory.appendingPathComponent(".tmp"))
        recentHashes = Self.readRecent(at: directory.appendingPathComponent("recent"))
    }

    /// The spool of an archive if `listen` ever made one (an `archive` run commits it).
    public static func existing(in store: ArchiveStore) -> WebhookSpool? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: store.root.appendingPathComponent("spool/webhooks").path, isDirectory: &isDir),
              isDir.boolValue else { return nil }
        return try? WebhookSpool(store: store)
    }

    /// Writes an accepted body durably; returns once it is on disk (or already was).
    public func add(_ raw: Data, receivedAt: Date) throws -> AddResult {
        let hash = Hashing.sha256(raw)
        if lock.withLock({ recentHashes.contains(hash) }) { return .duplicate }
        if pending().contains(where: { $0.sha256 == hash }) { return .duplicate }
        let ms = max(0, Int64((receivedAt.timeIntervalSince1970 * 1000).rounded(.down)))
        let digits = String(ms)
        let name = String(repeating: "0", count: max(0, 13 - digits.count)) + digits + "-" + hash + ".body"
        try DurableFile.writeAtomically(raw, to: directory.appendingPathComponent(name), tmpDir: tmpDirectory)
        return .stored
    }

    /// The spooled deliveries, oldest first.
    public func pending() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap(Self.entry(named:)).sorted { ($0.receivedAtMillis, $0.name) < ($1.receivedAtMillis, $1.name) }
    }

    /// The bytes of a spooled delivery (nil when it is gone or does not match its name).
    public func body(of entry: Entry) -> Data? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(entry.name).path),
              Hashing.sha256(data) == entry.sha256 else { return nil }
        return data
    }

    /// Forgets committed deliveries: their hashes go to `recent` (durably) before the files go.
    func remove(_ entries: [Entry]) throws {
        guard !entries.isEmpty else { return }
        try remember(entries.map(\.sha256))
        for e in entries { unlink(directory.appendingPathComponent(e.name).path) }
        try DurableFile.syncDirectory(directory)
    }

    /// Adds hashes to `recent`, keeping the newest ``recentLimit``.
    private func remember(_ hashes: [String]) throws {
        var lines = (try? String(contentsOf: recentURL, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        lines.append(contentsOf: hashes)
        if lines.count > Self.recentLimit { lines.removeFirst(lines.count - Self.recentLimit) }
        try DurableFile.writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: recentURL, tmpDir: tmpDirectory)
        let set = Set(lines)
        lock.withLock { recentHashes = set }
    }

    /// Re-reads `recent` (another process, an `archive` run, may have committed the spool).
    public func reloadRecent() {
        let set = Self.readRecent(at: recentURL)
        lock.withLock { recentHashes = set }
    }

    private static func readRecent(at url: URL) -> Set<String> {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").map(String.init).filter { $0.count == 64 })
    }

    /// Temporary files of writes a kill interrupted (an hour old: never one being written now).
    private static func removeStaleTemporaryFiles(in tmp: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
        // File times are the kernel's wall clock: compared with the system clock, not an injected one.
        let cutoff = SystemClock().now().addingTimeInterval(-3600)
        for name in names {
            let url = tmp.appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date, modified < cutoff {
                unlink(url.path)
            }
        }
    }

    static func entry(named name: String) -> Entry? {
        guard name.hasSuffix(".body"), !name.hasPrefix(".") else { return nil }
        let stem = name.dropLast(".body".count)
        let parts = stem.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let ms = Int64(parts[0]), parts[1].count == 64,
              parts[1].utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
        return Entry(name: name, receivedAtMillis: ms, sha256: String(parts[1]))
    }
}
