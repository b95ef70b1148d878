import Foundation
import GRDB

/// The SQLite index of an archive: rooms, accounts, members, messages with their versions and
/// deletions, tasks, files, runs, gaps and a full-text table. It is derived from the data files
/// and can always be rebuilt from them (``rebuild(store:)``).
///
/// Many processes may read it while one run writes (WAL mode). Ingestion is idempotent: each
/// manifest is applied once, in its own transaction, whoever applies it first.
public final class ArchiveIndex: Sendable {
    /// The database: a `DatabasePool` on a file, or a `DatabaseQueue` in memory (``inMemory()``).
    let writer: any DatabaseWriter
    /// The index file; `nil` for an index in memory.
    public let url: URL?

    /// The database, for tests only (`@testable import`): they check the index's rows directly.
    /// Product code uses the typed methods of the `ArchiveIndex+…` files.
    var dbPool: any DatabaseWriter { writer }

    /// `oneConnection`: a single connection (a GRDB queue) instead of a pool, for a reader that
    /// reads once and exits: a pool opens a writer connection and then a reader.
    private init(url: URL, readOnly: Bool = false, immutable: Bool = false, oneConnection: Bool = false) throws {
        self.url = url
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.readonly = readOnly
        if !readOnly {
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        // On read-only media SQLite cannot create the WAL's -shm file: open the file as immutable
        // (a URI; Debian's SQLite accepts URI file names), which reads it without any locking.
        let path = immutable ? "file:" + (url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? url.path) + "?immutable=1" : url.path
        do {
            writer = oneConnection ? try DatabaseQueue(path: path, configuration: config) : try DatabasePool(path: path, configuration: config)
        } catch {
            throw IndexError(description: "cannot open the index \(url.path): \(error). Rebuild it with `cwarchive reindex`.")
        }
        if !readOnly {
            try writer.write { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try IndexSchema.migrator.migrate(writer)
            chmod(url.path, 0o600)
        }
    }

    /// A new index file being rebuilt (``rebuild(store:memo:progress:)``): one connection, no
    /// journal and no fsync while it fills. Nobody else opens it and a rebuild that fails or is
    /// killed is thrown away, so the journal would protect nothing; the file is fsynced once,
    /// whole, before it replaces the index.
    private init(rebuildingAt url: URL) throws {
        self.url = url
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            // Every page of a new file is written: a larger page cache (64 MiB, freed when the
            // connection closes) saves re-reading B-tree pages from the OS while inserting.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        writer = try DatabaseQueue(path: url.path, configuration: config)
        try IndexSchema.migrator.migrate(writer)
        chmod(url.path, 0o600)
    }

    /// An empty index in memory (a GRDB `DatabaseQueue`), with the same schema as a file one.
    private init(inMemory: Void) throws {
        url = nil
        writer = try DatabaseQueue()
        try IndexSchema.migrator.migrate(writer)
    }

    /// A new, empty index held in memory, with the same schema and ingestion as the file one:
    /// fill it with ``catchUp(store:progress:)`` or ``ingest(_:store:)``. For tests, which need
    /// no file, no WAL and no lock; it is gone when the last reference goes.
    public static func inMemory() throws -> ArchiveIndex {
        try ArchiveIndex(inMemory: ())
    }

    /// Opens the index of `store`, creating or rebuilding it when missing or from an older derivation,
    /// and applies every committed manifest it has not seen yet. The caller holds the archive's
    /// lock (a run, `reindex`); readers use ``openForReading(store:notice:)``.
    ///
    /// `notice` gets one line when an existing index is rebuilt (standard error by default).
    public static func open(store: ArchiveStore, notice: (String) -> Void = IndexNotice.standardError) throws -> ArchiveIndex {
        if FileManager.default.fileExists(atPath: store.indexURL.path) {
            let index = try? ArchiveIndex(url: store.indexURL)
            let found = index.flatMap { try? $0.derivationVersion() }
            if let index, found == IndexSchema.derivationVersion {
                try index.catchUp(store: store)
                return index
            }
            notice(IndexNotice.rebuilding(found: found))
        }
        return try rebuild(store: store)
    }

    /// Rebuilds the index from the data files alone, into a new file that replaces the old one.
    @discardableResult
    public static func rebuild(store: ArchiveStore, progress: ((Int, Int) -> Void)? = nil) throws -> ArchiveIndex {
        try rebuild(store: store, memo: RebuildMemo(), progress: progress)
    }

    /// `memo`: what the rebuild remembers instead of asking SQLite (tests pass a small limit).
    static func rebuild(store: ArchiveStore, memo: RebuildMemo, progress: ((Int, Int) -> Void)?) throws -> ArchiveIndex {
        let tmp = store.root.appendingPathComponent("index.sqlite.rebuilding")
        for suffix in ["", "-wal", "-shm"] { unlink(tmp.path + suffix) }
        do {
            let fresh = try ArchiveIndex(rebuildingAt: tmp)
            try fresh.writer.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('derivation', ?)", arguments: [String(IndexSchema.derivationVersion)])
            }
            try fresh.catchUp(store: store, memo: memo, progress: progress)
            try fresh.writer.close()
        } catch {
            unlink(tmp.path)
            throw error
        }
        try DurableFile.syncFile(tmp)
        for suffix in ["-wal", "-shm"] { unlink(store.indexURL.path + suffix) }
        if rename(tmp.path, store.indexURL.path) != 0 {
            throw StorageError(path: store.indexURL.path, operation: "replace the index", errno: errno)
        }
        try DurableFile.syncDirectory(store.root)
        // Opening it as a pool puts the file in WAL mode for the readers and writers to come.
        return try ArchiveIndex(url: store.indexURL)
    }

    /// For a reader that opens the index once and exits (search, status, export): the index read
    /// through a read-only connection when it is of this version and every manifest is applied,
    /// so the command writes nothing (a connection that could write checkpoints the WAL and
    /// fsyncs when it closes: four `fdatasync` per search); otherwise, with something to catch up
    /// or to rebuild, ``openForReading(store:notice:)``. A server that keeps the index open uses
    /// that instead, since it catches up later through the same connection.
    public static func openForOneRead(store: ArchiveStore, notice: (String) -> Void = IndexNotice.standardError) throws -> ArchiveIndex {
        if FileManager.default.fileExists(atPath: store.indexURL.path),
           let index = try? ArchiveIndex(url: store.indexURL, readOnly: true, oneConnection: true),
           (try? index.derivationVersion()) == IndexSchema.derivationVersion,
           (try? index.hasPendingManifests(store: store)) == false {
            return index
        }
        return try openForReading(store: store, notice: notice)
    }

    /// Whether the store has committed manifests this index has not applied.
    func hasPendingManifests(store: ArchiveStore) throws -> Bool {
        try !pendingManifests(store: store).pending.isEmpty
    }

    /// The sequence of the newest manifest applied (0: none), and the store's manifests after it.
    private func pendingManifests(store: ArchiveStore) throws -> (done: Int, pending: [ArchiveStore.ManifestFile]) {
        let done = try writer.read { db in try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM manifests") ?? 0 }
        return (done, try store.manifests(after: done).filter { $0.manifest.sequence > done })
    }

    /// Opens the index for reading only (search, export, status). Brings it up to date first
    /// when it can (applying new manifests is safe beside a running archive: each is applied
    /// once, in its own transaction); falls back to reading it as it is.
    ///
    /// A missing index, or one from an older version, is rebuilt only by whoever holds the
    /// archive's lock: two readers never build it at once, and no reader swaps it under a run.
    /// The data files are only read, so nothing archived can be lost by it. `notice` gets one
    /// line when an existing index is rebuilt (standard error by default).
    ///
    /// When it cannot be rebuilt now (a run holds the lock; read-only media), an index of an
    /// older version is returned as it is: its tables serve `status` and `export`, and a search
    /// on it is refused with what to do (``searchHits(_:order:limit:)``).
    public static func openForReading(store: ArchiveStore, notice: (String) -> Void = IndexNotice.standardError) throws -> ArchiveIndex {
        let exists = FileManager.default.fileExists(atPath: store.indexURL.path)
        // The old file's connections are closed before a rebuild replaces it (a closing
        // connection may remove its -wal and -shm files, which by then belong to the new one).
        var found: Int?
        if exists, let index = try? ArchiveIndex(url: store.indexURL) {
            found = try? index.derivationVersion()
            if found == IndexSchema.derivationVersion, (try? index.catchUp(store: store)) != nil { return index }
        }
        if found != IndexSchema.derivationVersion, let lock = try? store.acquireLock() {
            defer { lock.release() }
            // Checked again under the lock: a run that held it may have rebuilt the index meanwhile.
            if exists, let index = try? ArchiveIndex(url: store.indexURL) {
                found = try? index.derivationVersion()
                if found == IndexSchema.derivationVersion, (try? index.catchUp(store: store)) != nil { return index }
            }
            if found != IndexSchema.derivationVersion {
                if exists { notice(IndexNotice.rebuilding(found: found)) }
                if let index = try? rebuild(store: store) { return index }
            }
        }
        guard FileManager.default.fileExists(atPath: store.indexURL.path) else {
            throw IndexError(description: "the archive at \(store.root.path) has no index and it could not be built now (a running `cwarchive archive` builds it: try again when it ends; otherwise run `cwarchive reindex --archive \(store.root.path)`).")
        }
        if let index = try? ArchiveIndex(url: store.indexURL, readOnly: true),
           (try? index.derivationVersion()) != nil {
            return index
        }
        // Read-only media (a mounted backup, a write-protected copy): read the file as it is.
        return try ArchiveIndex(url: store.indexURL, readOnly: true, immutable: true)
    }

    /// The index format it was built with (``IndexSchema/derivationVersion``); nil when unknown.
    func derivationVersion() throws -> Int? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'derivation'").flatMap(Int.init)
        }
    }

    /// Applies every manifest not yet applied, in order.
    public func catchUp(store: ArchiveStore, progress: ((Int, Int) -> Void)? = nil) throws {
        try catchUp(store: store, memo: nil, progress: progress)
    }

    /// `memo`: only for an index that started empty and is filled by this call alone (a rebuild).
    func catchUp(store: ArchiveStore, memo: RebuildMemo?, progress: ((Int, Int) -> Void)?) throws {
        let (done, pending) = try pendingManifests(store: store)
        guard !pending.isEmpty || done == 0 else { return }
        try writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('derivation', ?)", arguments: [String(IndexSchema.derivationVersion)])
        }
        try apply(pending, store: store, memo: memo, progress: progress)
    }

    /// Applies one committed manifest's data files in a single transaction (no-op if already applied).
    public func ingest(_ file: ArchiveStore.ManifestFile, store: ArchiveStore) throws {
        try apply([file], store: store, memo: nil, progress: nil)
    }

    /// Applies `manifests` in order, each in its own transaction. The records are read and
    /// tokenized on another thread while this one writes them (``RecordPipeline``).
    private func apply(_ manifests: [ArchiveStore.ManifestFile], store: ArchiveStore, memo: RebuildMemo?,
                       progress: ((Int, Int) -> Void)?) throws {
        let pipeline = RecordPipeline(manifests: manifests, store: store)
        var items = ArraySlice<RecordPipeline.Item>()
        func next() -> RecordPipeline.Item? {
            if items.isEmpty { items = ArraySlice(pipeline.next()) }
            return items.popFirst()
        }
        do {
            for (i, m) in manifests.enumerated() {
                try ingest(m, memo: memo, next: next)
                progress?(i + 1, manifests.count)
            }
        } catch {
            pipeline.cancel()
            throw error
        }
    }

    /// Applies one manifest's records as `next` gives them, up to its ``RecordPipeline/Item/manifestEnd(_:)``,
    /// in a single transaction (the records are skipped when it is applied already).
    private func ingest(_ file: ArchiveStore.ManifestFile, memo: RebuildMemo?, next: () -> RecordPipeline.Item?) throws {
        try writer.write { db in
            let applied = try Bool.fetchOne(db, sql: "SELECT 1 FROM manifests WHERE sequence = ?", arguments: [file.manifest.sequence]) == true
            let ingestor = try RecordIngestor(db: db, memo: applied ? nil : memo)
            reading: while true {
                switch next() {
                case .record(let record, let columns)?:
                    if !applied { try ingestor.apply(record, columns: columns) }
                case .manifestEnd(let sequence)?:
                    guard sequence == file.manifest.sequence else {
                        throw IndexError(description: "the index reader lost its place at manifest \(sequence) (expected \(file.manifest.sequence)); run `cwarchive reindex`")
                    }
                    break reading
                case .failure(let error)?: throw error
                case nil:
                    throw IndexError(description: "the data files of manifest \(file.manifest.sequence) ended early; run `cwarchive verify`")
                }
            }
            if applied { return }
            try db.execute(sql: "INSERT INTO manifests (sequence, run_id, hash, created_at, run_complete) VALUES (?, ?, ?, ?, ?)",
                           arguments: [file.manifest.sequence, file.manifest.runID, file.hash, file.manifest.createdAt, file.manifest.runComplete])
        }
    }

    /// The hash of the newest manifest applied.
    public func headHash() throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT hash FROM manifests ORDER BY sequence DESC LIMIT 1") }
    }
}

/// The index cannot be used.
public struct IndexError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The one-line notices of the index.
public enum IndexNotice {
    /// Writes `line` to standard error, prefixed with `cwarchive: `.
    public static func standardError(_ line: String) {
        FileHandle.standardError.write(Data(("cwarchive: " + line + "\n").utf8))
    }

    /// The notice for rebuilding an index of format `found` (nil: unreadable or unknown).
    static func rebuilding(found: Int?) -> String {
        let what = found.map { "was made by an older version of cwarchive (index format \($0), now \(IndexSchema.derivationVersion))" }
            ?? "cannot be used as it is"
        return "the index \(what): rebuilding it from the data files (nothing archived is changed)"
    }
}
