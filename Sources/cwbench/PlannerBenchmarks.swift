import ChatworkAPI
import ChatworkSimulator
import CWArchiveCore
import Foundation

/// The run planner's targets (issue 14) on the simulator: requests of the sample workspace's
/// second stage against today's every-part behaviour (`--refresh-days 0`), and a run cut at
/// `--max-requests 100` on 1,000 changed rooms of which 20 are about to overflow the window.
enum PlannerBenchmarks {
    static func run(rooms: Int, work: URL, table: inout ResultTable) async throws {
        try await secondStage(work: work, table: &table)
        try await budget(rooms: rooms, work: work, table: &table)
    }

    /// Two direct chats get a plain message, the busy room 20, the group chat a new file
    /// (the same stage as `PlannerSimulatorTests`).
    static func applySecondStage(_ sim: ChatworkSimulator) throws {
        let past = Int(Date().timeIntervalSince1970) - 60
        try sim.updateWorkspace { ws in
            try ws.addMessage(roomId: 2000002, accountId: 1000002, body: "明日の会議、10時からでお願いします", at: past)
            try ws.addMessage(roomId: 2000003, accountId: 1000003, body: "Thanks, see you tomorrow", at: past)
            _ = try ws.addMessages(roomId: 2000006, accountId: 1000002, count: 20, prefix: "busy", at: past)
            _ = try ws.addFile(roomId: 2000004, accountId: 1000002, filename: "議事録.txt", size: 300, at: past)
        }
    }

    static func secondStageRequests(refreshDays: Int, work: URL) async throws -> Int {
        guard let dir = ChatworkSimulator.sampleWorkspaceDirectory() else { throw CocoaError(.fileNoSuchFile) }
        let sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: dir))
        try await sim.start(port: 0)
        let root = work.appendingPathComponent("planner-stage-\(refreshDays)")
        try? FileManager.default.removeItem(at: root)
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try await SimulatorBenchmarks.archive(sim, into: root, token: "demo-token-0000")
            try applySecondStage(sim)
            sim.resetRequestLog()
            var options = ArchiveOptions()
            options.refreshDays = refreshDays
            _ = try await SimulatorBenchmarks.archive(sim, into: root, options: options, token: "demo-token-0000")
            let n = sim.requestCount
            await sim.stop()
            return n
        } catch {
            await sim.stop()
            throw error
        }
    }

    static func secondStage(work: URL, table: inout ResultTable) async throws {
        let planned = try await secondStageRequests(refreshDays: 7, work: work)
        let before = try await secondStageRequests(refreshDays: 0, work: work)
        let target = 6 + 4 + 2
        print("planner: sample workspace second stage \(planned) requests (every part: \(before))")
        table.add("sample workspace, second stage (4 changed rooms, requests)",
                  ours: "\(planned) requests", reference: "every part of each changed room (--refresh-days 0, before issue 14): \(before)",
                  ratio: "\(fmt(Double(before) / Double(max(planned, 1)), 1))× fewer",
                  target: "≤ 6 + 4 + 2 (a file list and a download URL for the new file) = \(target)", met: planned <= target)
    }

    static func budget(rooms: Int, work: URL, table: inout ResultTable) async throws {
        let sim = ChatworkSimulator(workspace: SimulatorBenchmarks.workspace(rooms: rooms, extras: false),
                                    configuration: SimulatorConfiguration(rateLimit: 1_000_000, rateWindow: 300))
        try await sim.start(port: 0)
        let root = work.appendingPathComponent("planner-budget")
        try? FileManager.default.removeItem(at: root)
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try await SimulatorBenchmarks.archive(sim, into: root)
            let first = SimulatorBenchmarks.firstRoom
            let atRisk = (0..<20).map { first + ($0 * rooms / 20) + 3 }
            let past = Int(Date().timeIntervalSince1970) - 3_600
            try sim.updateWorkspace { ws in
                for i in 0..<rooms { try ws.addMessage(roomId: first + i, accountId: 4, body: "本日の予定", at: past) }
                for id in atRisk { _ = try ws.addMessages(roomId: id, accountId: 5, count: 90, prefix: "至急", at: past) }
            }
            var options = ArchiveOptions()
            options.maxRequests = 100
            sim.resetRequestLog()
            let (summary, _) = try await SimulatorBenchmarks.archive(sim, into: root, options: options)
            let left = Set(summary.roomsLeft)
            let taken = atRisk.filter { !left.contains($0) }.count
            print("planner: --max-requests 100: \(summary.rooms.changed) rooms archived in \(sim.requestCount) requests; \(taken) of 20 at risk taken")
            table.add("run cut at --max-requests 100 on \(rooms) changed rooms, 20 grew by ≥ 90",
                      ours: "\(taken) of 20 at-risk rooms archived (\(summary.rooms.changed) rooms, \(sim.requestCount) requests, exit \(summary.exitCode))",
                      reference: "—", ratio: "—", target: "all 20 at-risk rooms archived",
                      met: taken == 20 && sim.requestCount <= 100 && summary.gaps.isEmpty)
            await sim.stop()
        } catch {
            await sim.stop()
            throw error
        }
    }
}
