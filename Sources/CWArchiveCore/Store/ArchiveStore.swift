import ChatworkAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The archive folder: append-only data files, content-addressed blobs and the manifest chain.
///
/// Layout:
/// ```
/// ARCHIVE/cwarchive-archive.json   format marker
/// ARCHIVE/data/RUN/000001.jsonl.gz data files (gzip JSON Lines), never changed once written
/// ARCHIVE/blobs/sha256/ab/abcd…    attachments, named by the SHA-256 of their bytes
/// ARCHIVE/manifests/00000001.json  one per commit, each naming the previous one's hash
/// ARCHIVE/index.sqlite             the derived index (rebuilt by `cwarchive reindex`)
/// ARCHIVE/lock                     held by the run that writes
/// ARCHIVE/tmp/                     files being written
/// ```
/// A file belongs to the archive once a manifest lists it; the manifest is the commit point.
public final class ArchiveStore: @unchecked Sendable {
    // @unchecked: every stored property is a constant except `segmentCounter`, which is read
    // and changed only under `lock`.
    public static let markerName = "cwarchive-archive.json"
    public let root: URL
    /// The time of manifests, the format marker and the lock holder.
    public let clock: any NowProvider
    private let lock = NSLock()
    private var segmentCounter = 0

    public var dataDirectory: URL { root.appendingPathComponent("data") }
    public var blobDirectory: URL { root.appendingPathComponent("blobs/sha256") }
    public var manifestDirectory: URL { root.appendingPathComponent("manifests") }
    public var tmpDirectory: URL { root.appendingPathComponent("tmp") }
    public var indexURL: URL { root.appendingPathComponent("index.sqlite") }
    public var lockURL: URL { root.appendingPathComponent("lock") }

    private init(root: URL, clock: any NowProvider) { self.root = root; self.clock = clock }

    /// Opens an archive. With `create`, a missing or empty folder becomes a new archive.
    /// `clock` gives the time written into manifests and the lock (tests pass a `ManualClock`).
    public static func open(at root: URL, create: Bool, clock: any NowProvider = SystemClock()) throws -> ArchiveStore {
        let marker = root.appendingPathComponent(markerName)
        let fm = FileManager.default
        if !fm.fileExists(atPath: marker.path) {
            guard create else {
                throw ArchiveNotFoundError(path: root.path)
            }
            if let contents = try? fm.contentsOfDirectory(atPath: root.path),
               // `tmp/` alone is what a first run killed before writing the marker leaves: adopt it.
               !contents.filter({ !$0.hasPrefix(".") && $0 != "tmp" }).isEmpty {
                throw ArchiveNotFoundError(path: root.path, notEmpty: true)
            }
            try DurableFile.makeDirectory(root)
            let info = ["format": "cwarchive", "version": "1", "created_at": String(Int(clock.now().timeIntervalSince1970))]
            let data = try JSONSerialization.data(withJSONObject: info, options: [.sortedKeys])
            try DurableFile.writeAtomically(data, to: marker, tmpDir: root.appendingPathComponent("tmp"))
        }
        let store = ArchiveStore(root: root, clock: clock)
        for dir in [store.dataDirectory, store.blobDirectory, store.manifestDirectory, store.tmpDirectory] {
            if create { try DurableFile.makeDirectory(dir) }
        }
        return store
    }

    /// Takes the archive's write lock (throws ``ArchiveLockedError`` if another run holds it);
    /// `purpose` is written for others to read (``LockHolder/purpose``).
    public func acquireLock(purpose: String? = nil) throws -> ArchiveLock { try ArchiveLock.acquire(at: lockURL, clock: clock, purpose: purpose) }

    // MARK: Data files

    /// Starts a new data file for `runID`. Nothing is visible until it is finished and committed.
    public func newSegment(runID: String, level: Int32 = 6) throws -> SegmentWriter {
        lock.lock()
        segmentCounter += 1
        let n = segmentCounter
        lock.unlock()
        var rel = "data/\(runID)/\(String(format: "%06d", n)).jsonl.gz"
        while FileManager.default.fileExists(atPath: root.appendingPathComponent(rel).path) {
            lock.lock(); segmentCounter += 1; let m = segmentCounter; lock.unlock()
            rel = "data/\(runID)/\(String(format: "%06d", m)).jsonl.gz"
        }
        return try SegmentWriter(finalURL: root.appendingPathComponent(rel), relativePath: rel, tmpDir: tmpDirectory, level: level)
    }

    // MARK: Blobs

    /// Where the blob with this hash lives.
    public func blobURL(sha256: String) -> URL {
        blobDirectory.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    public func blobRelativePath(sha256: String) -> String { "blobs/sha256/\(sha256.prefix(2))/\(sha256)" }

    /// A fresh temporary file name for a download.
    public func newTemporaryFile(prefix: String = "dl") -> URL {
        tmpDirectory.appendingPathComponent(".\(prefix)-\(UUID().uuidString).tmp")
    }

    /// Moves a verified download into the blob store (once per content; a duplicate is dropped).
    public func storeBlob(from tmp: URL, sha256: String, size: Int) throws -> ManifestEntry {
        let final = blobURL(sha256: sha256)
        if FileManager.default.fileExists(atPath: final.path) {
            unlink(tmp.path)
        } else {
            try DurableFile.syncFile(tmp)
            try DurableFile.commitRename(from: tmp, to: final)
        }
        return ManifestEntry(path: blobRelativePath(sha256: sha256), sha256: sha256, size: size)
    }

    // MARK: Manifests

    /// A manifest with its file's hash.
    public struct ManifestFile: Sendable {
        public let url: URL
        public let manifest: Manifest
        public let hash: String
    }

    /// Every manifest, in sequence order. Throws if one cannot be read.
    public func manifests() throws -> [ManifestFile] {
        try manifestNames().map { try readManifest(named: $0) }
    }

    /// The manifests whose file number is above `sequence`, in order (cheap: only those are read).
    public func manifests(after sequence: Int) throws -> [ManifestFile] {
        try manifestNames().filter { (Int($0.prefix(while: \.isNumber)) ?? Int.max) > sequence }.map { try readManifest(named: $0) }
    }

    /// The newest manifest, or nil for an empty archive.
    public func lastManifest() throws -> ManifestFile? {
        try manifestNames().last.map { try readManifest(named: $0) }
    }

    private func manifestNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: manifestDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    }

    private func readManifest(named name: String) throws -> ManifestFile {
        let url = manifestDirectory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ArchiveFormatError(path: url.path, detail: "cannot be read")
        }
        do {
            let m = try JSONDecoder().decode(Manifest.self, from: data)
            return ManifestFile(url: url, manifest: m, hash: Hashing.sha256(data))
        } catch {
            throw ArchiveFormatError(path: url.path, detail: "is not a valid manifest")
        }
    }

    /// Writes the next manifest durably: from this moment the listed files belong to the archive.
    @discardableResult
    public func commit(runID: String, entries: [ManifestEntry], runComplete: Bool, sources: [ManifestSource]? = nil) throws -> ManifestFile {
        lock.lock(); defer { lock.unlock() }
        let last = try lastManifest()
        let manifest = Manifest(sequence: (last?.manifest.sequence ?? 0) + 1, runID: runID,
                                createdAt: Int(clock.now().timeIntervalSince1970), previous: last?.hash,
                                files: entries, runComplete: runComplete, sources: sources)
        let data = try manifest.encoded()
        let url = manifestDirectory.appendingPathComponent(Manifest.fileName(sequence: manifest.sequence))
        try DurableFile.writeAtomically(data, to: url, tmpDir: tmpDirectory)
        return ManifestFile(url: url, manifest: manifest, hash: Hashing.sha256(data))
    }

    // MARK: Files on disk

    /// Every regular file under data/ and blobs/, as archive-relative paths.
    public func filesOnDisk() -> [String] {
        var out: [String] = []
        for top in ["data", "blobs"] {
            let base = root.appendingPathComponent(top)
            guard let e = FileManager.default.enumerator(atPath: base.path) else { continue }
            while let rel = e.nextObject() as? String {
                var isDir: ObjCBool = false
                let full = base.appendingPathComponent(rel).path
                if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                    out.append("\(top)/\(rel)")
                }
            }
        }
        return out.sorted()
    }
}

/// The folder is not an archive.
public struct ArchiveNotFoundError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public var notEmpty = false
    public var description: String {
        notEmpty
            ? "\(path) is not a cwarchive archive and is not empty: choose an empty or new folder for a new archive."
            : "no archive at \(path): run `cwarchive archive --archive \(path)` first, or check the path."
    }
}
