import ChatworkAPI
import ChatworkMarkup
import Foundation

/// What archiving one room gave.
struct RoomResult: Sendable {
    var messages = RunSummary.Messages()
    var files = RunSummary.Files()
    var failures: [RunSummary.Failure] = []
    var gap: RunSummary.Gap?
    /// Every part of the room was archived: it can be skipped until its `last_update_time` moves.
    var complete: Bool { failures.isEmpty }
}

/// Archives one room whose `last_update_time` moved: details, members, the newest-100 window
/// (new, edited and deleted messages, gaps), messages that replies point at, tasks, files and
/// the invite link.
struct RoomArchiver {
    /// Seconds a room's last change must precede the read of its messages to count as synced.
    static let syncMarginSeconds = 2
    let client: any ChatworkReading
    let clock: any RateLimitClock
    let state: ArchiveState
    let batcher: CommitBatcher
    let store: ArchiveStore
    let options: ArchiveOptions
    let runID: String
    let accessibleRooms: Set<Int>
    let log: @Sendable (String) -> Void

    private var now: Int { Int(clock.now().timeIntervalSince1970) }

    private func record(_ roomID: Int, _ payload: ArchiveRecord.Payload) throws {
        try batcher.append(ArchiveRecord(run: runID, at: now, roomID: roomID, payload: payload))
    }

    /// Runs one API step; a failure is recorded and the room goes on, except a 401, which stops the run.
    private func step<T: Sendable>(_ what: String, roomID: Int, result: inout RoomResult, _ body: () async throws -> T) async throws -> T? {
        do {
            return try await body()
        } catch let error as ChatworkAPIError {
            if case .unauthorized = error { throw error }
            result.failures.append(.init(roomID: roomID, item: what, error: error.description))
            log("room \(roomID): \(what) failed: \(error.description)")
            return nil
        }
    }

    func archive(listed: Room, referenceBudget: inout Int) async throws -> RoomResult {
        var result = RoomResult()
        let roomID = listed.roomID

        // Room details (description is only in GET /rooms/{id}).
        let details = try await step("room details", roomID: roomID, result: &result) { try await client.room(roomID) } ?? listed
        let previousMessageNum = try state.serverMessageNum(roomID: roomID)
        if try state.roomJSON(roomID: roomID) != state.json(details) { try record(roomID, .room(details)) }

        if let members = try await step("members", roomID: roomID, result: &result, { try await client.members(roomID: roomID) }) {
            let encoded = Set(members.map { state.json($0) })
            if try encoded != state.membersJSON(roomID: roomID) { try record(roomID, .members(members)) }
        }

        // Messages: the newest 100, always (force=1), compared with the archive.
        let readAt = now
        var windowMessages: [Message] = []
        if let page = try await step("messages", roomID: roomID, result: &result, { try await client.messages(roomID: roomID, force: true) }) {
            windowMessages = page.messages
            let previous = try state.limitation(roomID: roomID)
            let current = page.limitation ?? MessageLimitation(limited: false, summary: nil)
            if page.limitation != nil || (previous?.limited ?? false) {
                if previous != current { try record(roomID, .limitation(current)) }
            }
            let known = try state.knownMessages(roomID: roomID)
            let diff = WindowDiff.compute(window: page.messages, known: known, limited: current.limited,
                                            serverMessageNum: details.messageNum, previousServerMessageNum: previousMessageNum,
                                            hadWindow: try state.hadWindow(roomID: roomID))
            for m in diff.new { try record(roomID, .message(m)) }
            for m in diff.edited { try record(roomID, .message(m)) }
            for d in diff.deleted { try record(roomID, .messageDeleted(d)) }
            if let h = diff.horizon { try record(roomID, .horizon(h)) }
            if let g = diff.gap {
                try record(roomID, .gap(g))
                result.gap = RunSummary.Gap(roomID: roomID, afterMessageID: g.afterMessageID, afterTime: g.afterTime,
                                            beforeMessageID: g.beforeMessageID, beforeTime: g.beforeTime, estimatedMissing: g.estimatedMissing)
                log("room \(roomID): GAP: more than \(WindowDiff.windowSize) messages arrived since the last run; messages between \(g.afterMessageID ?? "?") and \(g.beforeMessageID) are out of reach")
            }
            result.messages.new = diff.new.count
            result.messages.edited = diff.edited.count
            result.messages.deleted = diff.deleted.count

            // Messages that replies point at and the archive lacks: fetch them one by one.
            let fresh = diff.new + diff.edited
            var wanted: [(Int, String)] = []
            var seen = Set<String>()
            for m in fresh {
                for ref in MarkupParser.referencedMessages(in: m.body) {
                    let key = "\(ref.roomID)-\(ref.messageID)"
                    guard !seen.contains(key), accessibleRooms.contains(ref.roomID) else { continue }
                    seen.insert(key)
                    if ref.roomID == roomID && (known[ref.messageID] != nil || page.messages.contains { $0.messageID == ref.messageID }) { continue }
                    if try state.messageExists(roomID: ref.roomID, messageID: ref.messageID) { continue }
                    wanted.append((ref.roomID, ref.messageID))
                }
            }
            for (refRoom, refID) in wanted where referenceBudget > 0 {
                referenceBudget -= 1
                do {
                    let m = try await client.message(roomID: refRoom, messageID: refID)
                    try batcher.append(ArchiveRecord(run: runID, at: now, roomID: refRoom, payload: .message(m)))
                    result.messages.fetchedByReference += 1
                } catch let error as ChatworkAPIError {
                    if case .unauthorized = error { throw error }
                    // A reply to a message deleted since, or in a room we cannot read: not a failure of the archive.
                    log("room \(roomID): referenced message \(refRoom)-\(refID) not fetched: \(error.description)")
                }
            }
        }

        // Tasks: open and done (the list endpoint filters by status).
        let knownOpenTasks = try state.openTaskCount(roomID: roomID)
        if listed.taskNum > 0 || knownOpenTasks > 0 {
            var all: [RoomTask] = []
            var ok = true
            for status in ["open", "done"] {
                if let t = try await step("tasks (\(status))", roomID: roomID, result: &result, { try await client.tasks(roomID: roomID, accountID: nil, assignedBy: nil, status: status) }) {
                    all.append(contentsOf: t)
                } else { ok = false }
            }
            if ok {
                let encoded = Set(all.map { state.json($0) })
                if try encoded != state.tasksJSON(roomID: roomID) { try record(roomID, .tasks(all)) }
            }
        }

        // Files: from the list and from [download:ID] tags.
        try await archiveFiles(roomID: roomID, listed: listed, window: windowMessages, result: &result)

        // The invite link: group chats, readable by admins only (403 is normal for others).
        if listed.type == .group && listed.role == .admin {
            do {
                let link = try await client.link(roomID: roomID)
                let rec = LinkRecord(link: link, status: "ok")
                if try state.linkState(roomID: roomID).json != state.json(link) { try record(roomID, .link(rec)) }
            } catch let error as ChatworkAPIError {
                if case .unauthorized = error { throw error }
                if case .forbidden = error {
                    if try state.linkState(roomID: roomID).status != "forbidden" { try record(roomID, .link(LinkRecord(link: nil, status: "forbidden"))) }
                } else {
                    result.failures.append(.init(roomID: roomID, item: "invite link", error: error.description))
                }
            }
        }

        // last_update_time has a resolution of one second: a message posted in the second the
        // window was read may be missing from it without moving last_update_time later. Mark the
        // room as synced only when its last change is safely older than the read.
        if result.complete && listed.lastUpdateTime < readAt - RoomArchiver.syncMarginSeconds {
            try record(roomID, .roomSynced(RoomSynced(lastUpdateTime: listed.lastUpdateTime)))
        }
        try batcher.roomDone()
        return result
    }

    private func archiveFiles(roomID: Int, listed: Room, window: [Message], result: inout RoomResult) async throws {
        let statuses = try state.fileStatuses(roomID: roomID)
        var candidates: [Int: ChatworkFile?] = [:]
        if listed.fileNum > 0 {
            if let files = try await step("file list", roomID: roomID, result: &result, { try await client.files(roomID: roomID, accountID: nil) }) {
                for f in files { candidates[f.fileID] = f }
            }
        }
        for m in window {
            for id in MarkupParser.referencedFileIDs(in: m.body) where candidates[id] == nil { candidates[id] = .some(nil) }
        }
        var toDownload: [(Int, ChatworkFile?)] = []
        for (id, meta) in candidates.sorted(by: { $0.key < $1.key }) {
            let status = statuses[id]
            if status == "stored" || status == FileRecord.Status.missing.rawValue { continue }
            if !options.downloadFiles {
                if status == FileRecord.Status.skippedNoFiles.rawValue { continue }
                var m = meta
                if m == nil {
                    m = try await step("file \(id) metadata", roomID: roomID, result: &result) {
                        try await client.file(roomID: roomID, fileID: id, createDownloadURL: false)
                    }
                }
                if let m { try record(roomID, .file(FileRecord(file: m, status: .skippedNoFiles))) }
                result.files.skipped += 1
                continue
            }
            if let limit = options.maxFileSize, let m = meta, m.filesize > limit {
                if status != FileRecord.Status.skippedSize.rawValue {
                    try record(roomID, .file(FileRecord(file: m, status: .skippedSize, error: "larger than the size limit")))
                    log("room \(roomID): file \(id) (\(ByteCount.format(m.filesize))) skipped: larger than --max-file-size")
                }
                result.files.skipped += 1
                continue
            }
            toDownload.append((id, meta))
        }
        guard !toDownload.isEmpty else { return }

        let downloader = FileDownloader(client: client, clock: clock, store: store, maxFileSize: options.maxFileSize)
        let outcomes = await withTaskGroup(of: (Int, FileDownloader.Outcome).self) { group in
            var pending = toDownload[...]
            var out: [(Int, FileDownloader.Outcome)] = []
            for _ in 0..<max(1, options.downloadConcurrency) {
                guard let (id, meta) = pending.popFirst() else { break }
                group.addTask { (id, await downloader.download(roomID: roomID, fileID: id, known: meta)) }
            }
            while let next = await group.next() {
                out.append(next)
                if let (id, meta) = pending.popFirst() {
                    group.addTask { (id, await downloader.download(roomID: roomID, fileID: id, known: meta)) }
                }
            }
            return out.sorted { $0.0 < $1.0 }
        }
        for (id, outcome) in outcomes {
            switch outcome {
            case .stored(let rec, let entry, let bytes):
                batcher.addBlob(entry)
                try record(roomID, .file(rec))
                result.files.downloaded += 1
                result.files.bytes += bytes
            case .skipped(let rec):
                if statuses[id] != rec.status.rawValue { try record(roomID, .file(rec)) }
                result.files.skipped += 1
                log("room \(roomID): file \(id) skipped: \(rec.error ?? "")")
            case .missing(let rec):
                if statuses[id] != rec.status.rawValue { try record(roomID, .file(rec)) }
                result.files.missing += 1
                log("room \(roomID): file \(id) is referenced but the server no longer has it (404)")
            case .fatal(let error):
                throw error
            case .failed(let rec, let error):
                if let rec { try record(roomID, .file(rec)) }
                result.files.failed += 1
                result.failures.append(.init(roomID: roomID, item: "file \(id)", error: error))
                log("room \(roomID): file \(id) failed: \(error)")
            }
        }
    }
}
