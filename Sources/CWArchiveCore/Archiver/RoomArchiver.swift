import ChatworkAPI
import ChatworkMarkup
import Foundation

/// What archiving one room gave.
struct RoomResult: Sendable {
    var messages = RunSummary.Messages()
    var files = RunSummary.Files()
    var failures: [RunSummary.Failure] = []
    var gap: RunSummary.Gap?
    /// Requests made for this room, by reason (see ``RunSummary/requestsByReason``).
    var requests: [String: Int] = [:]
    /// The parts fetched successfully.
    var refreshed: Set<RoomAttempt.Part> = []
    /// `--max-requests` left something of the room for the next run.
    var deferred = false
    /// The room answered 403.
    var noAccess: RunSummary.NoAccess?
    /// Every part of the room was archived: it can be skipped until its `last_update_time` moves.
    var complete: Bool { failures.isEmpty && !deferred }
}

/// Archives one room whose `last_update_time` moved: the newest-100 window (new, edited and
/// deleted messages, gaps), messages that replies point at, and only the other parts (details,
/// members, tasks, files, invite link) the changes need (``RoomPlanner``).
struct RoomArchiver {
    /// Seconds a room's last change must precede the read of its messages to count as synced.
    static let syncMarginSeconds = 2
    let client: any ChatworkReading
    let clock: any RateLimitClock
    let state: any ArchiveState
    let batcher: CommitBatcher
    let store: ArchiveStore
    let options: ArchiveOptions
    let runID: String
    let accessibleRooms: Set<Int>
    let budget: RunBudget
    let log: @Sendable (String) -> Void

    var now: Int { Int(clock.now().timeIntervalSince1970) }

    func record(_ roomID: Int, _ payload: ArchiveRecord.Payload) throws {
        try batcher.append(ArchiveRecord(run: runID, at: now, roomID: roomID, payload: payload))
    }

    /// Runs `body`, adding the requests it made to `reason`.
    func counted<T: Sendable>(_ reason: String, result: inout RoomResult, _ body: () async throws -> T) async throws -> T {
        let before = await client.statistics.requests
        do {
            let value = try await body()
            result.requests[reason, default: 0] += await client.statistics.requests - before
            return value
        } catch {
            result.requests[reason, default: 0] += await client.statistics.requests - before
            throw error
        }
    }

    /// Runs one API step; a failure is recorded and the room goes on, except a 401, which stops the run.
    func step<T: Sendable>(_ what: String, reason: String, roomID: Int, result: inout RoomResult, _ body: () async throws -> T) async throws -> T? {
        do {
            return try await counted(reason, result: &result, body)
        } catch let error as ChatworkAPIError {
            if case .unauthorized = error { throw error }
            result.failures.append(.init(roomID: roomID, item: what, error: error.description))
            log("room \(roomID): \(what) failed: \(error.description)")
            return nil
        }
    }

    /// Whether a part of `cost` requests fits the run's budget; when not, the room is deferred.
    func affordable(_ cost: Int, _ what: String, roomID: Int, result: inout RoomResult) async -> Bool {
        if await budget.allows(cost) { return true }
        if !result.deferred { log("room \(roomID): \(what) left for the next run (--max-requests reached)") }
        result.deferred = true
        return false
    }

    /// - Parameter row: what the archive holds about the room (nil: first sight).
    func archive(listed: Room, row: RoomPlanRow?, referenceBudget: inout Int) async throws -> RoomResult {
        var result = RoomResult()
        let roomID = listed.roomID
        let planner = RoomPlanner(refreshDays: options.refreshDays, now: now)
        var plan = planner.initialPlan(listed: listed, row: row)

        // A room seen for the first time gets its row first (as /rooms lists it): the horizon and
        // limitation records that come with its messages are about that row.
        if row == nil { try record(roomID, .room(listed)) }

        // Messages first: the newest 100, always (force=1). A 403 here: the room cannot be read.
        let readAt = now
        var windowMessages: [Message] = []
        var page: MessagesPage?
        do {
            page = try await counted(row?.noAccessSince != nil ? "no_access:retry" : "messages", result: &result) {
                try await client.messages(roomID: roomID, force: true)
            }
        } catch let error as ChatworkAPIError {
            if case .unauthorized = error { throw error }
            if case .forbidden = error { return try refused(listed: listed, row: row, error: error, result: result) }
            result.failures.append(.init(roomID: roomID, item: "messages", error: error.description))
            log("room \(roomID): messages failed: \(error.description)")
        }
        if let since = row?.noAccessSince, page != nil {
            log("room \(roomID) is readable again (refused since \(RunSummary.iso(since))): archived normally")
        }
        if let page {
            windowMessages = page.messages
            let previous = try state.limitation(roomID: roomID)
            let current = page.limitation ?? MessageLimitation(limited: false, summary: nil)
            if page.limitation != nil || (previous?.limited ?? false) {
                if previous != current { try record(roomID, .limitation(current)) }
            }
            let known = try state.knownMessages(roomID: roomID)
            let diff = WindowDiff.compute(window: page.messages, known: known, limited: current.limited,
                                            serverMessageNum: listed.messageNum, previousServerMessageNum: row?.lastSeenMessageNum,
                                            hadWindow: try state.hadWindow(roomID: roomID),
                                            sync: row.flatMap { r in r.syncedUpdateTime.flatMap { t in r.syncedMessageNum.map { (t, $0) } } })
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

            // What the messages since the last complete sync say changed beside them (those of
            // an incomplete run again: their reasons stand until a run completes the room). A
            // message of the synced second itself was in the window then, or is new now.
            let freshIDs = Set((diff.new + diff.edited).map(\.messageID))
            let sinceSync = page.messages.filter { m in
                guard let synced = row?.syncedUpdateTime else { return true }
                return freshIDs.contains(m.messageID) || m.sendTime > synced || m.updateTime > synced
            }
            plan = planner.messagePlan(plan, signals: MessageSignals.scan(sinceSync), listed: listed, row: row,
                                       fileStatuses: try state.fileStatuses(roomID: roomID), gap: diff.gap != nil)
            try await fetchReferences(from: diff.new + diff.edited, window: page.messages, known: known, roomID: roomID,
                                      referenceBudget: &referenceBudget, result: &result)
        }

        try await archiveParts(plan, listed: listed, row: row, window: windowMessages, result: &result)

        // last_update_time has a resolution of one second: a message posted in the second the
        // window was read may be missing from it without moving last_update_time later. Mark the
        // room as synced only when its last change is safely older than the read.
        if result.complete && listed.lastUpdateTime < readAt - RoomArchiver.syncMarginSeconds {
            try record(roomID, .roomSynced(RoomSynced(lastUpdateTime: listed.lastUpdateTime)))
        }
        let outcome: RoomAttempt.Outcome = !result.failures.isEmpty ? .incomplete : (result.deferred ? .deferred : .complete)
        try record(roomID, .roomAttempt(RoomAttempt(lastUpdateTime: listed.lastUpdateTime, outcome: outcome, refreshed: result.refreshed.sorted(),
                                                    messageNum: listed.messageNum, fileNum: listed.fileNum, taskNum: listed.taskNum)))
        try batcher.roomDone()
        return result
    }

    /// A room `/rooms` lists but that answers 403: recorded as `no_access` with the date it was
    /// first refused. The first time it is a failure (the run exits 3); later it is only listed.
    private func refused(listed: Room, row: RoomPlanRow?, error: ChatworkAPIError, result: RoomResult) throws -> RoomResult {
        var result = result
        let roomID = listed.roomID
        let since = row?.noAccessSince ?? now
        let isNew = row?.noAccessSince == nil
        if isNew {
            result.failures.append(.init(roomID: roomID, item: "no_access", error: error.description
                + " Recorded as no_access since \(RunSummary.iso(since)): later runs list it without counting it as a failure, and try it again (one request) when its last_update_time moves."))
            log("room \(roomID): no access (HTTP 403): recorded as no_access")
        }
        result.noAccess = RunSummary.NoAccess(roomID: roomID, name: listed.name, since: since, new: isNew)
        try record(roomID, .roomAttempt(RoomAttempt(lastUpdateTime: listed.lastUpdateTime, outcome: .noAccess, refreshed: [],
                                                    messageNum: listed.messageNum, fileNum: listed.fileNum, taskNum: listed.taskNum,
                                                    noAccessSince: since)))
        try batcher.roomDone()
        return result
    }

    /// Messages that replies point at and the archive lacks: fetched one by one.
    private func fetchReferences(from fresh: [Message], window: [Message], known: [String: KnownMessage], roomID: Int,
                                 referenceBudget: inout Int, result: inout RoomResult) async throws {
        var wanted: [(Int, String)] = []
        var seen = Set<String>()
        for m in fresh {
            for ref in MarkupParser.referencedMessages(in: m.body) {
                let key = "\(ref.roomID)-\(ref.messageID)"
                guard !seen.contains(key), accessibleRooms.contains(ref.roomID) else { continue }
                seen.insert(key)
                if ref.roomID == roomID && (known[ref.messageID] != nil || window.contains { $0.messageID == ref.messageID }) { continue }
                if try state.messageExists(roomID: ref.roomID, messageID: ref.messageID) { continue }
                wanted.append((ref.roomID, ref.messageID))
            }
        }
        for (refRoom, refID) in wanted where referenceBudget > 0 {
            guard await budget.allows(1) else {
                log("room \(roomID): referenced message \(refRoom)-\(refID) not fetched: --max-requests reached")
                break
            }
            referenceBudget -= 1
            do {
                let m = try await counted("replies", result: &result) { try await client.message(roomID: refRoom, messageID: refID) }
                try batcher.append(ArchiveRecord(run: runID, at: now, roomID: refRoom, payload: .message(m)))
                result.messages.fetchedByReference += 1
            } catch let error as ChatworkAPIError {
                if case .unauthorized = error { throw error }
                // A reply to a message deleted since, or in a room we cannot read: not a failure of the archive.
                log("room \(roomID): referenced message \(refRoom)-\(refID) not fetched: \(error.description)")
            }
        }
    }
}
