import Foundation

/// The data files of manifests read, decoded and tokenized on a thread of their own while the
/// caller applies the records to SQLite: reading a record (gzip, JSON) and cutting its body into
/// index tokens (``SearchText``) is about half of a rebuild's CPU, and SQLite the other half, so
/// on two cores the two halves overlap.
///
/// Items come in the order of the manifests and their files, each manifest closed by
/// ``Item/manifestEnd(_:)``; a file that cannot be read ends the stream with
/// ``Item/failure(_:)``. At most `capacity` items wait, so memory stays flat whatever the size
/// of the archive.
// @unchecked Sendable: every mutable field is read and written only under `condition`.
final class RecordPipeline: @unchecked Sendable {
    /// A record with its index tokens (for a message: ``SearchText/columns(forBody:roomID:accountID:)``).
    enum Item {
        case record(ArchiveRecord, SearchText.Columns?)
        /// Every record of the manifest of this sequence has been given.
        case manifestEnd(Int)
        case failure(any Error)
    }

    private let condition = NSCondition()
    private var ready: [Item] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    /// Starts reading `manifests` of `store` at once.
    init(manifests: [ArchiveStore.ManifestFile], store: ArchiveStore, capacity: Int = 2_048) {
        self.capacity = capacity
        let thread = Thread { [self] in produce(manifests, store) }
        thread.name = "cwarchive index reader"
        thread.start()
    }

    /// The next items, in order, waiting for them; empty once everything has been given.
    func next() -> [Item] {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        let out = ready
        ready = []
        condition.broadcast()
        return out
    }

    /// Stops the reader (the caller gives up, on an error of its own).
    func cancel() {
        condition.lock()
        cancelled = true
        ready = []
        condition.broadcast()
        condition.unlock()
    }

    private func produce(_ manifests: [ArchiveStore.ManifestFile], _ store: ArchiveStore) {
        var batch: [Item] = []
        batch.reserveCapacity(256)
        func hand(_ items: inout [Item], force: Bool) -> Bool {
            guard force || items.count >= 256 else { return true }
            condition.lock()
            defer { condition.unlock() }
            while ready.count >= capacity && !cancelled { condition.wait() }
            if cancelled { return false }
            ready.append(contentsOf: items)
            items.removeAll(keepingCapacity: true)
            condition.broadcast()
            return true
        }
        struct Stop: Error {}
        do {
            for file in manifests {
                for entry in file.manifest.files where entry.path.hasPrefix("data/") {
                    try SegmentReader.forEachRecord(in: store.root.appendingPathComponent(entry.path)) { record in
                        batch.append(.record(record, Self.columns(record)))
                        if !hand(&batch, force: false) { throw Stop() }
                    }
                }
                batch.append(.manifestEnd(file.manifest.sequence))
                if !hand(&batch, force: false) { throw Stop() }
            }
        } catch is Stop {
        } catch {
            batch.append(.failure(error))
        }
        _ = hand(&batch, force: true)
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The index tokens of a message record; nil for anything else.
    static func columns(_ record: ArchiveRecord) -> SearchText.Columns? {
        guard case .message(let m) = record.payload, let roomID = record.roomID else { return nil }
        return SearchText.columns(forBody: m.body, roomID: roomID, accountID: m.account.accountID)
    }
}
