import ChatworkAPI
import Foundation

/// Runs `cwarchive archive`: takes everything the token can read and adds what changed to the archive.
///
/// A run: takes the archive's lock; adopts what an interrupted run left; brings the index up to
/// date; reads the account endpoints and `/rooms`; archives every room whose `last_update_time`
/// moved since its last complete run (zero requests for the others), busiest first
/// (``RoomOrder``), each with only the requests its changes need (``RoomPlanner``), within the
/// run's budget (``RunBudget``); commits in batches; ends with a commit that marks the run complete.
public final class Archiver: Sendable {
    public let store: ArchiveStore
    public let client: any ChatworkReading
    public let options: ArchiveOptions
    /// The time of records, run ids and the summary, and the sleeps between download attempts.
    public let clock: any RateLimitClock
    /// The index to use instead of opening the store's file (tests: `ArchiveIndex.inMemory()`).
    private let givenIndex: ArchiveIndex?
    private let log: @Sendable (String) -> Void
    private let progress: @Sendable (ArchiveProgress) -> Void
    /// Test hook: called after each commit with its number.
    private let afterCommit: (@Sendable (Int) -> Void)?

    /// - Parameters:
    ///   - client: the API (a ``ChatworkClient``, or a fake in tests).
    ///   - clock: wall time and sleeping; give the store, the client and the archiver one clock.
    ///   - index: an index to keep up to date instead of the store's `index.sqlite`; it is caught
    ///     up with the store at the start of each run.
    public init(store: ArchiveStore, client: any ChatworkReading, options: ArchiveOptions,
                clock: any RateLimitClock = SystemClock(), index: ArchiveIndex? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in },
                progress: @escaping @Sendable (ArchiveProgress) -> Void = { _ in },
                afterCommit: (@Sendable (Int) -> Void)? = nil) {
        self.store = store
        self.client = client
        self.options = options
        self.clock = clock
        self.givenIndex = index
        self.log = log
        self.progress = progress
        self.afterCommit = afterCommit
    }

    /// A new run id: sortable by time, unique.
    static func makeRunID(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// Runs once. Throws for fatal errors (lock held, authentication, storage); everything else
    /// is in the summary (exit code 3 when something is missing).
    public func run() async throws -> RunSummary {
        let started = clock.now()
        let runID = Archiver.makeRunID(started)
        var summary = RunSummary(runID: runID, startedAt: Int(started.timeIntervalSince1970))
        // A commit of `cwarchive listen` holds the lock for a moment: wait it out rather than fail.
        let lock = try await store.acquireLock(waitingOutListenCommits: clock)
        defer { lock.release() }

        let recovery = try ArchiveRecovery.recover(store: store, runID: runID)
        if !recovery.adopted.isEmpty { log("adopted \(recovery.adopted.count) file(s) left by an interrupted run") }
        if !recovery.quarantined.isEmpty { log("moved \(recovery.quarantined.count) unreadable file(s) to quarantine/: \(recovery.quarantined.joined(separator: ", "))") }
        let index: ArchiveIndex
        if let givenIndex {
            try givenIndex.catchUp(store: store)
            index = givenIndex
        } else {
            index = try ArchiveIndex.open(store: store)
        }
        // Webhook deliveries `cwarchive listen` spooled and has not committed yet (it waits while we hold the lock).
        if let spool = WebhookSpool.existing(in: store) {
            let captured = try WebhookSpoolCommitter.commit(spool: spool, store: store, index: index)
            if captured.events > 0 { log("committed \(captured.events) webhook deliveries from the listener's spool") }
        }
        let state: any ArchiveState = index
        let batcher = CommitBatcher(store: store, index: index, runID: runID, options: options)
        batcher.afterCommit = afterCommit
        let now = { [clock] in Int(clock.now().timeIntervalSince1970) }

        // The account endpoints: every run, written only when they changed.
        func account<T: Encodable & Sendable>(_ kind: String, _ what: String, _ fetch: () async throws -> T, _ wrap: (T) -> ArchiveRecord.Payload) async throws {
            do {
                let value = try await fetch()
                if try state.snapshotJSON(kind) != state.json(value) {
                    try batcher.append(ArchiveRecord(run: runID, at: now(), payload: wrap(value)))
                }
            } catch let error as ChatworkAPIError {
                if case .unauthorized = error { throw error }
                summary.failures.append(.init(roomID: nil, item: what, error: error.description))
                log("\(what) failed: \(error.description)")
            }
        }
        let requestsAtStart = await client.statistics.requests
        // /me first: it checks the address and the token. If it cannot be read, nothing else can.
        let me = try await client.me()
        if try state.snapshotJSON("me") != state.json(me) {
            try batcher.append(ArchiveRecord(run: runID, at: now(), payload: .me(me)))
        }
        try await account("my_status", "/my/status", { try await client.myStatus() }, { .myStatus($0) })
        try await account("my_tasks", "/my/tasks", { try await client.myTasks(assignedBy: nil, status: nil) }, { .myTasks($0) })
        try await account("contacts", "/contacts", { try await client.contacts() }, { .contacts($0) })
        try await account("incoming_requests", "/incoming_requests", { try await client.incomingRequests() }, { .incomingRequests($0) })
        let afterAccount = await client.statistics.requests
        summary.requestsByReason["account"] = afterAccount - requestsAtStart

        let rooms = try await client.rooms()
        summary.requestsByReason["room_list"] = await client.statistics.requests - afterAccount
        let selected = rooms.filter { (options.rooms.isEmpty || options.rooms.contains($0.roomID)) && !options.excludedRooms.contains($0.roomID) }
        for missing in options.rooms.subtracting(rooms.map(\.roomID)).sorted() {
            summary.failures.append(.init(roomID: missing, item: "room", error: "room \(missing) is not among the rooms this token can see"))
        }
        summary.rooms.seen = selected.count
        let budget = RunBudget(client: client, clock: clock, maxRequests: options.maxRequests, maxDuration: options.maxDuration, started: started)
        let archiver = RoomArchiver(client: client, clock: clock, state: state, batcher: batcher, store: store, options: options,
                                    runID: runID, accessibleRooms: Set(rooms.map(\.roomID)), budget: budget, log: log)
        let rows = try state.plannerRows()

        // The rooms that changed (zero requests for the others), busiest first.
        var changed: [Room] = []
        for room in selected {
            let row = rows[room.roomID]
            if let synced = row?.syncedUpdateTime, synced == room.lastUpdateTime {
                summary.rooms.skipped += 1
                continue
            }
            if let row, let since = row.noAccessSince, row.attemptOutcome == .noAccess, row.attemptUpdateTime == room.lastUpdateTime {
                // Refused before and nothing moved since: listed, not asked again, not a failure.
                summary.rooms.skipped += 1
                summary.noAccess.append(.init(roomID: room.roomID, name: room.name, since: since, new: false))
                continue
            }
            changed.append(room)
        }
        let ordered = RoomOrder.sorted(changed, rows: rows, leftLastRun: try state.roomsLeftByLastRun())
        let planner = RoomPlanner(refreshDays: options.refreshDays, now: now())
        var referenceBudget = options.maxReferenceFetches
        let roomsStarted = clock.now()
        var roomsDone = 0
        for (i, room) in ordered.enumerated() {
            let row = rows[room.roomID]
            let estimate = row?.noAccessSince != nil ? 1 : RoomPlanner.estimate(planner.initialPlan(listed: room, row: row))
            let perRoom = roomsDone == 0 ? 0 : clock.now().timeIntervalSince(roomsStarted) / Double(roomsDone)
            if let reason = await budget.stopReason(cost: estimate, seconds: perRoom) {
                summary.stoppedBy = reason
                summary.roomsLeft += ordered[i...].map(\.roomID)
                log("stopping (\(reason == "max_duration" ? "--max-duration" : "--max-requests")): \(ordered.count - i) changed room(s) left for the next run")
                break
            }
            summary.rooms.changed += 1
            progress(ArchiveProgress(roomIndex: i + 1, roomCount: ordered.count, roomName: room.name,
                                     messages: summary.messages.new, bytes: summary.files.bytes))
            let r = try await archiver.archive(listed: room, row: row, referenceBudget: &referenceBudget)
            roomsDone += 1
            summary.messages.new += r.messages.new
            summary.messages.edited += r.messages.edited
            summary.messages.deleted += r.messages.deleted
            summary.messages.fetchedByReference += r.messages.fetchedByReference
            summary.files.downloaded += r.files.downloaded
            summary.files.failed += r.files.failed
            summary.files.skipped += r.files.skipped
            summary.files.missing += r.files.missing
            summary.files.bytes += r.files.bytes
            summary.failures += r.failures
            for (reason, n) in r.requests where n > 0 { summary.requestsByReason[reason, default: 0] += n }
            if let g = r.gap { summary.gaps.append(g) }
            if let n = r.noAccess { summary.noAccess.append(n) }
            if !r.failures.isEmpty { summary.rooms.failed += 1 }
            if r.deferred && r.failures.isEmpty {
                summary.stoppedBy = summary.stoppedBy ?? "max_requests"
                summary.roomsLeft.append(room.roomID)
            }
        }
        summary.noAccess.sort { $0.roomID < $1.roomID }

        // Messages the listener was told mention the user (`mention_to_me`) and the archive lacks.
        summary.messages.fetchedByReference += try await MentionBackfill.run(
            client: client, index: index, batcher: batcher, runID: runID, now: now,
            accessibleRooms: Set(rooms.map(\.roomID)), budget: &referenceBudget, log: log)

        // Rooms the token no longer sees: their archive is kept, and marked.
        if options.rooms.isEmpty {
            let listedIDs = Set(rooms.map(\.roomID))
            for gone in try state.liveRoomIDs().subtracting(listedIDs).sorted() {
                try batcher.append(ArchiveRecord(run: runID, at: now(), roomID: gone, payload: .roomGone(RoomGone(reason: "no longer listed by /rooms"))))
            }
        }

        let stats = await client.statistics
        summary.requests = stats.requests
        summary.rateLimited = stats.rateLimitedResponses
        summary.retries = stats.retries
        summary.finishedAt = now()
        summary.finished = RunSummary.iso(summary.finishedAt)
        // A gap inside a period when `listen` was up for the room is covered by live capture.
        for i in summary.gaps.indices {
            let g = summary.gaps[i]
            summary.gaps[i].coveredByWebhook = try index.listenerCovers(roomID: g.roomID, from: g.afterTime ?? 0, to: g.beforeTime)
        }
        summary.exitCode = (summary.failures.isEmpty && summary.gaps.allSatisfy { $0.coveredByWebhook == true } && summary.roomsLeft.isEmpty) ? 0 : 3
        try batcher.append(ArchiveRecord(run: runID, at: now(), payload: .runFinished(summary)))
        try batcher.commit(runComplete: true)
        summary.manifestHash = batcher.lastManifestHash
        return summary
    }
}

/// Where a run is, for a progress display.
public struct ArchiveProgress: Sendable {
    public var roomIndex: Int
    public var roomCount: Int
    public var roomName: String
    public var messages: Int
    public var bytes: Int
}
