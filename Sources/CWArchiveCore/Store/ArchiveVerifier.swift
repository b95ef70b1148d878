import Foundation

/// What `cwarchive verify` found.
public struct VerificationReport: Encodable, Sendable {
    /// Listed files that are gone.
    public var missing: [String] = []
    /// Listed files whose bytes no longer match their hash or size.
    public var changed: [String] = []
    /// Files under data/ or blobs/ that no manifest lists.
    public var unlisted: [String] = []
    /// Breaks in the manifest chain (a manifest changed, removed or inserted).
    public var chainErrors: [String] = []
    /// Data files that do not decode completely.
    public var unreadable: [String] = []
    public var manifests = 0
    public var filesChecked = 0
    public var bytesChecked = 0
    public var headHash: String?
    /// True when the last run was interrupted (its files are listed in `pendingAdoption`).
    public var pendingAdoption: [String] = []

    public var isIntact: Bool {
        missing.isEmpty && changed.isEmpty && unlisted.isEmpty && chainErrors.isEmpty && unreadable.isEmpty
    }

    enum CodingKeys: String, CodingKey {
        case missing, changed, unlisted, chainErrors = "chain_errors", unreadable, manifests
        case filesChecked = "files_checked", bytesChecked = "bytes_checked", headHash = "head_hash"
        case pendingAdoption = "pending_adoption", intact
    }

    public init() {}

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(missing, forKey: .missing)
        try c.encode(changed, forKey: .changed)
        try c.encode(unlisted, forKey: .unlisted)
        try c.encode(chainErrors, forKey: .chainErrors)
        try c.encode(unreadable, forKey: .unreadable)
        try c.encode(manifests, forKey: .manifests)
        try c.encode(filesChecked, forKey: .filesChecked)
        try c.encode(bytesChecked, forKey: .bytesChecked)
        try c.encodeIfPresent(headHash, forKey: .headHash)
        try c.encode(pendingAdoption, forKey: .pendingAdoption)
        try c.encode(isIntact, forKey: .intact)
    }
}

/// Recomputes every hash of the archive and walks the manifest chain.
public struct ArchiveVerifier {
    public let store: ArchiveStore
    public init(store: ArchiveStore) { self.store = store }

    /// - Parameter deep: also decode every data file record by record.
    public func verify(deep: Bool = true) throws -> VerificationReport {
        var report = VerificationReport()
        let manifests: [ArchiveStore.ManifestFile]
        do { manifests = try store.manifests() } catch {
            report.chainErrors.append("\(error)")
            return report
        }
        report.manifests = manifests.count
        var listed: [String: ManifestEntry] = [:]
        var previousHash: String?
        for (i, m) in manifests.enumerated() {
            let expectedSeq = i + 1
            let name = "manifests/" + m.url.lastPathComponent
            if m.manifest.sequence != expectedSeq {
                report.chainErrors.append("\(name): sequence \(m.manifest.sequence) where \(expectedSeq) was expected (a manifest is missing or was inserted)")
            }
            if m.url.lastPathComponent != Manifest.fileName(sequence: m.manifest.sequence) {
                report.chainErrors.append("\(name): its name does not match its sequence \(m.manifest.sequence)")
            }
            if m.manifest.previous != previousHash {
                report.chainErrors.append("\(name): names previous hash \(m.manifest.previous ?? "none") but the previous manifest hashes to \(previousHash ?? "none") (a manifest was changed)")
            }
            previousHash = m.hash
            for e in m.manifest.files { listed[e.path] = e }
        }
        report.headHash = previousHash

        for (path, entry) in listed.sorted(by: { $0.key < $1.key }) {
            guard isSafeRelativePath(path) else {
                report.changed.append("\(path) (unsafe path in a manifest)")
                continue
            }
            let url = store.root.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else {
                report.missing.append(path)
                continue
            }
            let (hash, size) = try Hashing.sha256(fileAt: url)
            report.filesChecked += 1
            report.bytesChecked += size
            if hash != entry.sha256 || size != entry.size {
                report.changed.append(path)
                continue
            }
            if deep && path.hasPrefix("data/") {
                do { try SegmentReader.forEachRecord(in: url) { _ in } } catch {
                    report.unreadable.append("\(path): \(error)")
                }
            }
        }

        // Files nobody listed: left by an interrupted run (adopted by the next run), or added by someone.
        let completedRuns = Set(manifests.filter { $0.manifest.runComplete }.map(\.manifest.runID))
        for path in store.filesOnDisk() where listed[path] == nil {
            if ArchiveRecovery.isAdoptable(path, store: store, completedRuns: completedRuns) {
                report.pendingAdoption.append(path)
            } else {
                report.unlisted.append(path)
            }
        }
        return report
    }
}

/// True for a relative path with no `..`, no leading `/` and no empty parts.
func isSafeRelativePath(_ path: String) -> Bool {
    guard !path.hasPrefix("/"), !path.isEmpty else { return false }
    return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == ".." || $0 == "." }
}
