import ChatworkAPI
import ChatworkSimulator
import CWArchiveCore
import Foundation

/// API efficiency on the simulator: requests of a nightly run where 5 % of the rooms changed
/// (against every part of each changed room, as before the planner, and a naive full sweep), and the request rate of a run longer than one
/// rate-limit window (against the limit).
enum SimulatorBenchmarks {
    static let token = "bench-token-0000"
    static let me = 1
    static let firstRoom = 3_000_000

    /// A workspace of `rooms` group rooms with a few messages each, all in the past; every 10th room
    /// has a task, every 7th a small file, and the viewer is admin of every 5th (its invite link is readable).
    static func workspace(rooms: Int, messagesPerRoom: Int = 5, extras: Bool = true) -> SimWorkspace {
        let now = Int(Date().timeIntervalSince1970)
        let accounts = (1...20).map { SimAccount(accountId: $0, name: $0 == me ? "ベンチ 太郎" : "Member \($0)") }
        var list: [SimRoom] = []
        var nextID: UInt64 = 1_600_000_000_000_000_000
        var fileID = 5000
        var taskID = 1
        for i in 0..<rooms {
            let roomID = firstRoom + i
            let start = now - 3 * 86_400 + i * 10
            var messages: [SimMessage] = []
            for k in 0..<messagesPerRoom {
                nextID += 1
                messages.append(SimMessage(messageId: String(nextID), accountId: 2 + (i + k) % 19, body: "定例会議の資料を共有します \(i)-\(k)", sendTime: start + k))
            }
            var tasks: [SimTask] = []
            var files: [SimFile] = []
            if extras && i % 10 == 0, let m = messages.first {
                tasks.append(SimTask(taskId: taskID, accountId: me, assignedByAccountId: 2, messageId: m.messageId, body: "見積もりを確認する"))
                taskID += 1
            }
            if extras && i % 7 == 0 {
                fileID += 1
                nextID += 1
                let body = "[info][title][dtext:file_uploaded][/title][download:\(fileID)]資料_\(fileID).pdf (2 KB)[/download][/info]"
                messages.append(SimMessage(messageId: String(nextID), accountId: 3, body: body, sendTime: start + messagesPerRoom))
                files.append(SimFile(fileId: fileID, accountId: 3, messageId: String(nextID), filename: "資料_\(fileID).pdf",
                                     filesize: 2048, uploadTime: start + messagesPerRoom, content: .generated(seed: UInt64(fileID))))
            }
            let role: SimRole = extras && i % 5 == 0 ? .admin : .member
            list.append(SimRoom(roomId: roomID, name: "ベンチ部屋 \(i)", type: .group,
                                lastUpdateTime: messages.last?.sendTime ?? start,
                                members: [SimMember(accountId: me, role: role), SimMember(accountId: 2 + i % 19, role: .admin)],
                                messages: messages, tasks: tasks, files: files,
                                link: role == .admin ? SimLink(public: false) : nil))
        }
        return SimWorkspace(accounts: accounts, tokens: [token: me], rooms: list)
    }

    static func client(_ sim: ChatworkSimulator, token: String = SimulatorBenchmarks.token) -> ChatworkClient {
        var config = ChatworkClientConfiguration(baseURL: sim.baseURL)
        config.backoffBase = 0.01
        config.backoffMaximum = 0.05
        return ChatworkClient(credential: .apiToken(token), configuration: config)
    }

    /// One in-process archive run (as `cwarchive archive` does it); returns the run summary and the client's statistics.
    static func archive(_ sim: ChatworkSimulator, into root: URL, options: ArchiveOptions = ArchiveOptions(),
                        token: String = SimulatorBenchmarks.token) async throws -> (RunSummary, ClientStatistics) {
        let store = try ArchiveStore.open(at: root, create: true)
        let client = client(sim, token: token)
        let archiver = Archiver(store: store, client: client, options: options)
        do {
            let summary = try await archiver.run()
            let stats = await client.statistics
            try await client.shutdown()
            return (summary, stats)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Requests a changed room cost before the planner (issue 14): details, members, messages, plus
    /// tasks (open and done), the file list and the invite link whenever the room has them.
    static func minimumRequests(_ room: SimRoom) -> Int {
        var n = 3
        if !room.tasks.isEmpty { n += 2 }
        if !room.files.isEmpty { n += 1 }
        if room.type == .group && room.role(of: me) == .admin { n += 1 }
        return n
    }

    /// `/me`, `/my/status`, `/my/tasks`, `/contacts`, `/incoming_requests` and `/rooms`.
    static let accountRequests = 6
    /// Every endpoint of a room: details, members, messages, tasks open, tasks done, files, link.
    static let naiveRequestsPerRoom = 7

    static func nightly(rooms: Int, work: URL, table: inout ResultTable) async throws {
        let sim = ChatworkSimulator(workspace: workspace(rooms: rooms), configuration: SimulatorConfiguration(rateLimit: 1_000_000, rateWindow: 300))
        try await sim.start(port: 0)
        defer { Task { await sim.stop() } }
        let root = work.appendingPathComponent("nightly-archive")
        try? FileManager.default.removeItem(at: root)
        let (first, firstSeconds) = try await Measure.timeAsync { try await archive(sim, into: root) }
        print("nightly: first run \(sim.requestCount) requests in \(fmt(firstSeconds, 1)) s, exit code \(first.0.exitCode)")

        // 5 % of the rooms get a new message (in the past, so that the room counts as synced after the run).
        let changedCount = max(1, rooms / 20)
        let step = rooms / changedCount
        let changed = (0..<changedCount).map { firstRoom + $0 * step + step / 2 }
        let past = Int(Date().timeIntervalSince1970) - 3_600
        try sim.updateWorkspace { ws in
            for id in changed { try ws.addMessage(roomId: id, accountId: 4, body: "打ち合わせの日程を調整させてください", at: past) }
        }
        // Before the planner (issue 14) a changed room cost every part it has; now its messages,
        // and only what its changes need (here: nothing, the new messages are plain).
        let everyPart = accountRequests + changed.reduce(0) { n, id in n + (sim.workspace.room(id).map(minimumRequests) ?? 0) }
        let target = accountRequests + changedCount
        let naive = accountRequests + rooms * naiveRequestsPerRoom
        sim.resetRequestLog()
        let (second, secondSeconds) = try await Measure.timeAsync { try await archive(sim, into: root) }
        let requests = sim.requestCount
        print("nightly: second run \(requests) requests (\(second.0.rooms.changed) rooms changed, \(second.0.messages.new) new messages) in \(fmt(secondSeconds, 2)) s")
        if requests > target { print(sim.requestLog().joined(separator: "\n")) }
        table.add("nightly run: \(rooms) rooms, \(changedCount) (5 %) changed (requests)",
                  ours: "\(requests) requests (\(second.0.messages.new) new messages archived)",
                  reference: "every part of each changed room (before issue 14) \(everyPart); naive full sweep \(naive)",
                  ratio: "\(fmt(Double(everyPart) / Double(max(requests, 1)), 1))× fewer than before, \(fmt(Double(naive) / Double(max(requests, 1)), 0))× fewer than naive",
                  target: "≤ 1 + 5 + \(changedCount) = \(target)", met: requests <= target && second.0.messages.new == changedCount)
        await sim.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// A first run over enough rooms to need about three rate-limit windows.
    static func rate(limit: Int, window: Double, windows: Int, work: URL, table: inout ResultTable) async throws {
        let rooms = max(1, (limit * windows - accountRequests) / 3)
        let sim = ChatworkSimulator(workspace: workspace(rooms: rooms, extras: false),
                                    configuration: SimulatorConfiguration(rateLimit: limit, rateWindow: window))
        try await sim.start(port: 0)
        let root = work.appendingPathComponent("rate-archive")
        try? FileManager.default.removeItem(at: root)
        let ((summary, stats), seconds) = try await Measure.timeAsync { try await archive(sim, into: root) }
        let requests = sim.requestCount
        let simulator429 = sim.requestLog().filter { $0.hasSuffix(" 429") }.count
        let achieved = Double(requests) / seconds
        let allowed = Double(limit) / window
        print("rate: \(requests) requests in \(fmt(seconds, 1)) s, \(stats.rateLimitedResponses) 429s (client), \(simulator429) (simulator), waited \(fmt(stats.rateLimitWaitSeconds, 1)) s, exit code \(summary.exitCode)")
        table.add("run longer than one rate-limit window (\(requests) requests, limit \(limit) per \(Int(window)) s)",
                  ours: "\(fmt(achieved, 2)) requests/s over \(fmt(seconds, 1)) s; 429s: \(stats.rateLimitedResponses) (client), \(simulator429) (simulator)",
                  reference: "limit: \(fmt(allowed, 2)) requests/s",
                  ratio: fmt(achieved / allowed * 100, 1) + " % of the limit",
                  target: "≥ 90 %, zero 429s", met: achieved / allowed >= 0.9 && stats.rateLimitedResponses == 0 && simulator429 == 0)
        await sim.stop()
        try? FileManager.default.removeItem(at: root)
    }
}
