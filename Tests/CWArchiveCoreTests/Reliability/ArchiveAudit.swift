import ChatworkSimulator
import Foundation
import GRDB
@testable import CWArchiveCore

/// Compares an archive with what the simulator serves: what is missing, duplicated or wrong.
struct ArchiveAudit: CustomStringConvertible {
    /// Room → visible messages of its newest-100 window that the archive lacks.
    var missingMessages: [Int: [String]] = [:]
    /// Message versions beyond the first when nothing was edited, or repeated (room, message, version) rows.
    var duplicateMessages = 0
    /// Message records written more than once with the same content across all data files.
    var duplicateRecords = 0
    /// Room → files the simulator has that the archive did not store.
    var missingFiles: [Int: [Int]] = [:]
    /// Stored files whose blob is absent or does not hash to the simulator's bytes.
    var wrongFiles: [String] = []
    var messagesChecked = 0
    var filesChecked = 0

    var lost: Int { missingMessages.values.map(\.count).reduce(0, +) }
    var filesLost: Int { missingFiles.values.map(\.count).reduce(0, +) }
    var isComplete: Bool { lost == 0 && filesLost == 0 && wrongFiles.isEmpty && duplicateMessages == 0 }
    /// Rooms where something is missing.
    var incompleteRooms: Set<Int> { Set(missingMessages.keys).union(missingFiles.keys) }

    var description: String {
        "lost \(lost) message(s) \(missingMessages.mapValues(\.count)), \(duplicateMessages) duplicate(s), \(duplicateRecords) duplicate record(s), missing files \(missingFiles), wrong files \(wrongFiles)"
    }

    /// - Parameter edited: messages were edited during the scenario (extra versions are then expected).
    static func check(_ h: SimulatorHarness, account: Int = 1000001, edited: Bool = false) throws -> ArchiveAudit {
        var audit = ArchiveAudit()
        let store = try ArchiveStore.open(at: h.archiveURL, create: false)
        let workspace = h.sim.workspace
        for room in workspace.rooms where room.members.contains(where: { $0.accountId == account }) {
            if room.messageLimitation == nil {
                let expected = room.messages.filter { !$0.deleted }.sorted { ($0.sendTime, $0.messageId) < ($1.sendTime, $1.messageId) }.suffix(100).map(\.messageId)
                let archived = try h.read { db in
                    Set(try String.fetchAll(db, sql: "SELECT message_id FROM messages WHERE room_id = ?", arguments: [room.roomId]))
                }
                audit.messagesChecked += expected.count
                let missing = expected.filter { !archived.contains($0) }
                if !missing.isEmpty { audit.missingMessages[room.roomId] = missing }
            }
            let stored = try h.read { db in
                Dictionary(try Row.fetchAll(db, sql: "SELECT file_id, status, sha256 FROM files WHERE room_id = ?", arguments: [room.roomId])
                    .map { (($0["file_id"] as Int), ($0["status"] as String, $0["sha256"] as String?)) }, uniquingKeysWith: { a, _ in a })
            }
            for file in room.files {
                audit.filesChecked += 1
                guard let (status, sha) = stored[file.fileId], status == "stored", let sha else {
                    audit.missingFiles[room.roomId, default: []].append(file.fileId)
                    continue
                }
                guard let bytes = h.sim.expectedBytes(roomId: room.roomId, fileId: file.fileId) else { continue }
                let url = store.blobURL(sha256: sha)
                let onDisk = (try? Hashing.sha256(fileAt: url).hash) ?? "absent"
                if sha != Hashing.sha256(bytes) || onDisk != sha { audit.wrongFiles.append("room \(room.roomId) file \(file.fileId) (\(file.filename))") }
            }
        }
        audit.duplicateMessages = try h.count("SELECT COUNT(*) FROM (SELECT 1 FROM messages GROUP BY room_id, message_id, version HAVING COUNT(*) > 1)")
        if !edited { audit.duplicateMessages += try h.count("SELECT COUNT(*) FROM messages WHERE version > 1") }
        audit.duplicateRecords = try duplicateMessageRecords(store)
        return audit
    }

    /// Message records that appear more than once, identical, across the archive's listed data files.
    static func duplicateMessageRecords(_ store: ArchiveStore) throws -> Int {
        var seen = Set<String>()
        var duplicates = 0
        for m in try store.manifests() {
            for entry in m.manifest.files where entry.path.hasPrefix("data/") {
                try SegmentReader.forEachRecord(in: store.root.appendingPathComponent(entry.path)) { record in
                    guard case .message(let msg) = record.payload else { return }
                    let key = "\(record.roomID ?? 0) \(msg.messageID) \(msg.updateTime) \(msg.body.hashValue)"
                    if !seen.insert(key).inserted { duplicates += 1 }
                }
            }
        }
        return duplicates
    }
}
