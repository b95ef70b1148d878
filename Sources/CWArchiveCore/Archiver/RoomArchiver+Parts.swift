import ChatworkAPI
import ChatworkMarkup
import Foundation

/// The parts of a room beside its messages, each fetched only when the plan says why.
extension RoomArchiver {
    func archiveParts(_ plan: RoomPlanner.Plan, listed: Room, row: RoomPlanRow?, window: [Message], result: inout RoomResult) async throws {
        let roomID = listed.roomID
        // A part with nothing to fetch (no task, no file, no link to read) is known as it is.
        for part in RoomAttempt.Part.allCases where !RoomPlanner.worthFetching(part, listed: listed, row: row) && plan[part] == nil {
            result.refreshed.insert(part)
        }

        // Room details (the description is only in GET /rooms/{id}); otherwise the room as
        // /rooms lists it, with the archive's description: its counters are recorded from there.
        var details: Room?
        if let why = plan[.details], await affordable(1, "room details", roomID: roomID, result: &result) {
            details = try await step("room details", reason: "details:\(why)", roomID: roomID, result: &result) { try await client.room(roomID) }
            if details != nil { result.refreshed.insert(.details) }
        }
        var room = details ?? listed
        if details == nil { room.description = row?.description }
        if try state.roomJSON(roomID: roomID) != state.json(room) { try record(roomID, .room(room)) }

        if let why = plan[.members], await affordable(1, "members", roomID: roomID, result: &result) {
            if let members = try await step("members", reason: "members:\(why)", roomID: roomID, result: &result, { try await client.members(roomID: roomID) }) {
                result.refreshed.insert(.members)
                let encoded = Set(members.map { state.json($0) })
                if try encoded != state.membersJSON(roomID: roomID) { try record(roomID, .members(members)) }
            }
        }

        // Tasks: open and done (the list endpoint filters by status).
        if let why = plan[.tasks], await affordable(2, "tasks", roomID: roomID, result: &result) {
            var all: [RoomTask] = []
            var ok = true
            for status in ["open", "done"] {
                if let t = try await step("tasks (\(status))", reason: "tasks:\(why)", roomID: roomID, result: &result, {
                    try await client.tasks(roomID: roomID, accountID: nil, assignedBy: nil, status: status)
                }) {
                    all.append(contentsOf: t)
                } else { ok = false }
            }
            if ok {
                result.refreshed.insert(.tasks)
                let encoded = Set(all.map { state.json($0) })
                if try encoded != state.tasksJSON(roomID: roomID) { try record(roomID, .tasks(all)) }
            }
        }

        // Files: from the list (when planned) and from [download:ID] tags.
        var listReason = plan[.files]
        if listReason != nil, !(await affordable(1, "file list", roomID: roomID, result: &result)) { listReason = nil }
        try await archiveFiles(roomID: roomID, listReason: listReason, window: window, result: &result)

        // The invite link: group chats, readable by admins only (403 is normal for others).
        if let why = plan[.link], await affordable(1, "invite link", roomID: roomID, result: &result) {
            do {
                let link = try await counted("link:\(why)", result: &result) { try await client.link(roomID: roomID) }
                result.refreshed.insert(.link)
                let rec = LinkRecord(link: link, status: "ok")
                if try state.linkState(roomID: roomID).json != state.json(link) { try record(roomID, .link(rec)) }
            } catch let error as ChatworkAPIError {
                if case .unauthorized = error { throw error }
                if case .forbidden = error {
                    result.refreshed.insert(.link)
                    if try state.linkState(roomID: roomID).status != "forbidden" { try record(roomID, .link(LinkRecord(link: nil, status: "forbidden"))) }
                } else {
                    result.failures.append(.init(roomID: roomID, item: "invite link", error: error.description))
                }
            }
        }
    }

    /// - Parameter listReason: why the file list is asked for; nil: only the files the window's tags name.
    private func archiveFiles(roomID: Int, listReason: String?, window: [Message], result: inout RoomResult) async throws {
        let statuses = try state.fileStatuses(roomID: roomID)
        var candidates: [Int: ChatworkFile?] = [:]
        if let why = listReason {
            if let files = try await step("file list", reason: "files:\(why)", roomID: roomID, result: &result, { try await client.files(roomID: roomID, accountID: nil) }) {
                result.refreshed.insert(.files)
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
                    guard await affordable(1, "file \(id) metadata", roomID: roomID, result: &result) else { continue }
                    m = try await step("file \(id) metadata", reason: "downloads", roomID: roomID, result: &result) {
                        try await client.file(roomID: roomID, fileID: id, createDownloadURL: false)
                    }
                }
                if let m { try record(roomID, .file(FileRecord(file: m, status: .skippedNoFiles))) }
                result.files.skipped += 1
                continue
            }
            // Skipped for its size before and named only by a tag: its size is known from then
            // (a larger limit takes it at the next file list: file_num, a failure or the refresh).
            if options.maxFileSize != nil, meta == nil, status == FileRecord.Status.skippedSize.rawValue {
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
        // Each download asks for a fresh URL first (one request, more when it must retry).
        guard await affordable(toDownload.count, "\(toDownload.count) download(s)", roomID: roomID, result: &result) else { return }
        let before = await client.statistics.requests

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
        result.requests["downloads", default: 0] += await client.statistics.requests - before
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
                if let rec {
                    try record(roomID, .file(rec))
                } else if let known = toDownload.first(where: { $0.0 == id })?.1, statuses[id] == nil {
                    // Recorded as failed so that the next run asks for the file list again (failed_files).
                    try record(roomID, .file(FileRecord(file: known, status: .failed, error: error)))
                }
                result.files.failed += 1
                result.failures.append(.init(roomID: roomID, item: "file \(id)", error: error))
                log("room \(roomID): file \(id) failed: \(error)")
            }
        }
    }
}
