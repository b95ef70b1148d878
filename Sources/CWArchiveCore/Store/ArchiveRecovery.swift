import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Completes what an interrupted run left behind, before a new run writes anything.
///
/// A run killed between writing a data file (or a blob) and committing the manifest that lists it
/// leaves a complete, fsynced file that no manifest names. Its records may be out of reach of the
/// API by now, so they are adopted, never thrown away: valid files are committed in a recovery
/// manifest; files that do not decode are moved to `quarantine/` and reported.
public enum ArchiveRecovery {
    public struct Result: Sendable {
        public var adopted: [ManifestEntry] = []
        public var quarantined: [String] = []
        public var temporaryFilesRemoved = 0
    }

    /// True for an unlisted file that a run would adopt: a data file of a run with no complete
    /// commit, or a blob whose bytes match its name.
    public static func isAdoptable(_ path: String, store: ArchiveStore, completedRuns: Set<String>) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        if parts.first == "data" {
            return parts.count == 3 && !completedRuns.contains(parts[1]) && parts[2].hasSuffix(".jsonl.gz")
        }
        if parts.first == "blobs", let name = parts.last {
            guard let (hash, _) = try? Hashing.sha256(fileAt: store.root.appendingPathComponent(path)) else { return false }
            return hash == name
        }
        return false
    }

    /// Adopts or quarantines every unlisted file and removes temporary files. Call with the lock held.
    public static func recover(store: ArchiveStore, runID: String) throws -> Result {
        var result = Result()
        // Temporary files are never part of the archive.
        if let names = try? FileManager.default.contentsOfDirectory(atPath: store.tmpDirectory.path) {
            for name in names {
                unlink(store.tmpDirectory.appendingPathComponent(name).path)
                result.temporaryFilesRemoved += 1
            }
        }
        let manifests = try store.manifests()
        let listed = Set(manifests.flatMap { $0.manifest.files.map(\.path) })
        let completed = Set(manifests.filter { $0.manifest.runComplete }.map(\.manifest.runID))
        for path in store.filesOnDisk() where !listed.contains(path) {
            let url = store.root.appendingPathComponent(path)
            if isAdoptable(path, store: store, completedRuns: completed) {
                var records: Int?
                if path.hasPrefix("data/") {
                    var n = 0
                    do { try SegmentReader.forEachRecord(in: url) { _ in n += 1 } } catch {
                        try quarantine(path, store: store)
                        result.quarantined.append(path)
                        continue
                    }
                    records = n
                }
                let (hash, size) = try Hashing.sha256(fileAt: url)
                result.adopted.append(ManifestEntry(path: path, sha256: hash, size: size, records: records))
            } else {
                try quarantine(path, store: store)
                result.quarantined.append(path)
            }
        }
        if !result.adopted.isEmpty {
            // Data files in path order (runs are named by time), then blobs.
            let sorted = result.adopted.sorted { ($0.path.hasPrefix("data/") ? 0 : 1, $0.path) < ($1.path.hasPrefix("data/") ? 0 : 1, $1.path) }
            try store.commit(runID: runID + "-recovery", entries: sorted, runComplete: true)
        }
        return result
    }

    private static func quarantine(_ path: String, store: ArchiveStore) throws {
        let dest = store.root.appendingPathComponent("quarantine").appendingPathComponent(path)
        try DurableFile.commitRename(from: store.root.appendingPathComponent(path), to: dest)
    }
}
