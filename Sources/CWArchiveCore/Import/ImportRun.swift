import ChatworkAPI
import Foundation

/// The state of one import while it reads its files: the report, the rooms' spans, the
/// source list for the manifest.
struct ImportRun {
    let options: ImportOptions
    let runID: String
    let index: ArchiveIndex
    /// nil for a dry run.
    let batcher: CommitBatcher?
    let store: ArchiveStore
    let clock: any NowProvider
    let badRow: @Sendable (String) -> Void
    let log: @Sendable (String) -> Void
    var report = ImportReport(runID: "", format: "", dryRun: false, started: "", finished: "")
    var sources: [ManifestSource] = []
    var context: ImportContext
    var wroteAnything = false
    /// Shows where the run is (every 10,000 rows of a big file, and per file).
    var progress: @Sendable (ArchiveProgress) -> Void = { _ in }
    var fileIndex = 0, fileCount = 0
    private var currentFile = ""
    private var rooms: [Int: RoomSpan] = [:]
    private var roomOrder: [Int] = []
    private let matcher: ImportMatcher
    private var appendedSinceCheck = 0
    /// The room of each file id a body shows as `[download:<file_id>]` (for attachments whose path does not name the room).
    private var fileRooms: [Int: Int] = [:]

    /// What the run saw of a room, to place it against the archive's history.
    struct RoomSpan {
        var counts: ImportReport.Room
        var oldest: (id: String, time: Int)?
        var newest: (id: String, time: Int)?
        var sharesAPIMessage = false
        var apiOldest: (messageID: String, time: Int)?
        var horizon: (messageID: String, time: Int)?
        var serverMessageNum: Int?
        var importGaps: [String: Int] = [:]
        /// The room's oldest message before this run (any source).
        var archiveOldest: (messageID: String, time: Int)?
    }

    init(options: ImportOptions, runID: String, index: ArchiveIndex, batcher: CommitBatcher?, store: ArchiveStore,
         clock: any NowProvider, badRow: @escaping @Sendable (String) -> Void, log: @escaping @Sendable (String) -> Void) {
        self.options = options; self.runID = runID; self.index = index; self.batcher = batcher; self.store = store
        self.clock = clock; self.badRow = badRow; self.log = log
        context = ImportContext(timeZone: options.timeZone)
        matcher = ImportMatcher(index: index)
    }

    private var now: Int { Int(clock.now().timeIntervalSince1970) }

    /// Reads one source file and records what the archive lacks.
    mutating func read(_ file: ImportSourceFile) throws {
        currentFile = file.relativePath
        showProgress()
        let (sha, size) = try Hashing.sha256(fileAt: file.url)
        report.files.append(ImportReport.File(path: file.relativePath, format: options.format.rawValue, sha256: sha, size: size, rows: 0, badRows: 0))
        var rowsInFile = 0
        matcher.startFile()
        let provenance = ImportProvenance(format: options.format.rawValue, file: file.relativePath, sha256: sha, row: 0)
        func handle(_ result: ImportRowResult, _ run: inout ImportRun) throws {
            rowsInFile += 1
            switch result {
            case .bad(let line, let reason): run.bad(file, line: line, reason: reason, roomID: nil)
            case .row(let row): try run.take(row, provenance: provenance)
            }
        }
        switch file.kind {
        case .byechaConf:
            if case .failure(let e) = try ByechaReader.readConf(file, into: &context) { bad(file, line: 1, reason: e.reason, roomID: nil) }
            rowsInFile = 1
        case .attachment(let roomID, let fileID, let filename):
            // byecha's `file/<file_id>/` does not name the room: the message that shows the file does.
            let room = roomID ?? fileID.flatMap { fileRooms[$0] }
            try storeAttachment(file, roomID: room ?? 0, fileID: room == nil ? nil : fileID, filename: filename, sha: sha, size: size)
        case .messages(let roomID, let roomName):
            var me = self
            defer { self = me }
            switch options.format {
            case .goodbyeChatwork:
                try GoodbyeChatworkReader.read(file, roomID: roomID ?? 0, roomName: roomName, context: me.context) { try handle($0, &me) }
            case .chatworkLogExporter:
                try LogExporterReader.read(file, roomID: roomID ?? 0, context: me.context) { try handle($0, &me) }
            case .byecha:
                try ByechaReader.read(file, roomID: roomID ?? 0, context: me.context) { try handle($0, &me) }
            case .cwarchiveCSV:
                try CWArchiveCSVReader.read(file, context: me.context, roomName: roomName) { try handle($0, &me) }
            }
        }
        if let last = report.files.indices.last {
            report.files[last].rows = rowsInFile
        }
        sources.append(ManifestSource(path: file.relativePath, format: options.format.rawValue, sha256: sha, size: size, rows: rowsInFile))
        try checkpoint()
    }

    /// Commits when the batch is big enough; what it committed is then the index's to know.
    private func checkpoint() throws {
        guard let batcher else { return }
        let before = batcher.commits
        try batcher.roomDone()
        if batcher.commits != before { matcher.committed() }
    }

    /// `[file/files] N rows read · file · M new messages`: a re-import, where every row is matched, moves too.
    private func showProgress() {
        let read = report.messages.read > 0 ? "\(report.messages.read) rows read · " : ""
        progress(ArchiveProgress(roomIndex: fileIndex, roomCount: fileCount, roomName: read + currentFile,
                                 messages: report.messages.new + report.messages.newVersions, bytes: report.attachments.bytes))
    }

    private mutating func bad(_ file: ImportSourceFile, line: Int, reason: String, roomID: Int?) {
        report.messages.badRows += 1
        if let last = report.files.indices.last { report.files[last].badRows += 1 }
        if let roomID { rooms[roomID]?.counts.badRows += 1 }
        let location = "\(file.relativePath):\(line)"
        if report.errors.count < ImportReport.maxListedBadRows {
            report.errors.append(ImportReport.BadRow(location: location, file: file.relativePath, line: line, error: "this row " + reason))
        }
        badRow("\(location): this row \(reason)")
    }

    private mutating func span(_ roomID: Int, name: String?) throws -> RoomSpan {
        if let s = rooms[roomID] { return s }
        let state = try matcher.state(roomID: roomID)
        let s = RoomSpan(counts: ImportReport.Room(roomID: roomID, name: name), apiOldest: state.apiOldest, horizon: state.horizon,
                         serverMessageNum: state.serverMessageNum, importGaps: state.importGaps, archiveOldest: state.oldest)
        rooms[roomID] = s
        roomOrder.append(roomID)
        return s
    }

    private mutating func take(_ row: ImportRow, provenance: ImportProvenance) throws {
        guard row.roomID > 0 else { return }
        var s = try span(row.roomID, name: row.roomName)
        let d = try matcher.decide(row)
        s.counts.read += 1
        report.messages.read += 1
        switch d.outcome {
        case .matched: s.counts.matched += 1; report.messages.matched += 1
        case .new: s.counts.new += 1; report.messages.new += 1
        case .newVersion: s.counts.newVersions += 1; report.messages.newVersions += 1
        }
        if report.messages.read % 10_000 == 0 { showProgress() }
        if d.sharesAPIMessage { s.sharesAPIMessage = true }
        let t = d.message.sendTime, id = d.message.messageID
        if s.oldest.map({ t < $0.time }) ?? true { s.oldest = (id, t) }
        if s.newest.map({ t > $0.time }) ?? true { s.newest = (id, t) }
        s.counts.oldestTime = s.oldest?.time
        s.counts.newestTime = s.newest?.time
        if s.counts.name == nil { s.counts.name = row.roomName }
        rooms[row.roomID] = s
        if row.body.contains("[download:") {
            for id in Self.downloadIDs(row.body) where fileRooms[id] == nil { fileRooms[id] = row.roomID }
        }
        guard d.outcome != .matched, let batcher else { return }
        var p = provenance
        p.row = row.row
        let imported = ImportedMessage(message: d.message, hasChatworkID: d.hasChatworkID, deleted: row.deleted, roomName: row.roomName, provenance: p)
        try batcher.append(ArchiveRecord(run: runID, at: now, roomID: row.roomID, payload: .importedMessage(imported)))
        wroteAnything = true
        appendedSinceCheck += 1
        if appendedSinceCheck >= 1000 {
            appendedSinceCheck = 0
            try checkpoint()
        }
    }

    /// The file ids of the `[download:<file_id>]` tags in a body.
    static func downloadIDs(_ body: String) -> [Int] {
        var out: [Int] = []
        var rest = body[...]
        while let r = rest.range(of: "[download:") {
            rest = rest[r.upperBound...]
            let digits = rest.prefix(while: \.isASCIIDigit)
            if !digits.isEmpty, digits.count <= 18, rest.dropFirst(digits.count).first == "]", let id = Int(digits), id > 0 { out.append(id) }
        }
        return out
    }

    /// Places each room's imported history against the archive's: the horizon moves back when
    /// they meet, otherwise the space between them is recorded as a gap.
    mutating func finishRooms() throws {
        for roomID in roomOrder {
            guard var s = rooms[roomID] else { continue }
            defer { report.rooms.append(s.counts) }
            // The archive's history starts at the room's horizon (its first window, or where an
            // earlier import reached back to); messages fetched one by one through replies before
            // it do not make it whole.
            guard s.apiOldest != nil, let horizon = s.horizon, let oldest = s.oldest, let newest = s.newest else { continue }
            if newest.time >= horizon.time {
                // This run reaches the archive. Earlier imports' gaps it covers close; when none is
                // left, the history is whole back to the room's oldest message.
                var reach: (id: String, time: Int) = oldest
                if !s.importGaps.values.contains(where: { $0 < oldest.time }), let o = s.archiveOldest, o.time < reach.time { reach = (o.messageID, o.time) }
                guard reach.time < horizon.time else { continue }
                s.counts.horizonMoved = true
                try batcher?.append(ArchiveRecord(run: runID, at: now, roomID: roomID, payload: .horizon(
                    HorizonRecord(oldestMessageID: reach.id, oldestTime: reach.time, serverMessageNum: s.serverMessageNum ?? 0))))
            } else {
                s.counts.gap = ImportReport.Gap(afterMessageID: newest.id, afterTime: newest.time, beforeMessageID: horizon.messageID, beforeTime: horizon.time)
                if s.importGaps["\(newest.id)|\(horizon.messageID)"] != nil { continue }
                try batcher?.append(ArchiveRecord(run: runID, at: now, roomID: roomID, payload: .gap(
                    GapRecord(afterMessageID: newest.id, afterTime: newest.time, beforeMessageID: horizon.messageID,
                              beforeTime: horizon.time, estimatedMissing: nil))))
            }
            if batcher != nil { wroteAnything = true }
        }
    }
}
