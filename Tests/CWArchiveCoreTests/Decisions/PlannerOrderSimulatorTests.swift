import ChatworkAPI
import ChatworkSimulator
@testable import CWArchiveCore
import Foundation
import Testing

/// The planner's order (gap risk first), budget (`--max-requests`, `--max-duration`) and
/// forecast (`status`'s `gap_risk`) over the simulator and loopback HTTP.
@Suite("Planner order, budget and forecast over the simulator", .serialized)
struct PlannerOrderSimulatorTests {
    typealias Rig = PlannerSimulatorRig

    /// After the first run, four rooms grow: the busy room by 90 (close to the window), the
    /// project by 40, John's direct chat by 5 and Hanako's by 1 (plain messages).
    static func grow(_ rig: Rig) throws {
        try rig.change { ws, t in
            _ = try ws.addMessages(roomId: Rig.hanakoDM, accountId: Rig.hanako, count: 1, prefix: "dm", at: t)
            _ = try ws.addMessages(roomId: Rig.johnDM, accountId: 1_000_003, count: 5, prefix: "john", at: t)
            _ = try ws.addMessages(roomId: Rig.busy, accountId: Rig.hanako, count: 90, prefix: "busy", at: t)
            _ = try ws.addMessages(roomId: Rig.project, accountId: Rig.hanako, count: 40, prefix: "project", at: t)
        }
    }

    static let riskOrder = [Rig.busy, Rig.project, Rig.johnDM, Rig.hanakoDM]

    @Test("changed rooms are read by gap risk: the largest message_num growth first")
    func busiestFirst() async throws {
        try await Rig.with { rig in
            try Self.grow(rig)
            let r = try await rig.archive()
            #expect(rig.messageOrder == Self.riskOrder, "\(rig.sim.requestLog())")
            #expect(r.messages.new == 136)
            #expect(r.gaps.isEmpty)
            #expect(r.exitCode == 0, "\(r.failures)")
        }
    }

    @Test("--max-requests: no room starts that would not fit; the riskiest are taken, the rest listed (exit 3) and first next run")
    func maxRequests() async throws {
        try await Rig.with { rig in
            try Self.grow(rig)
            // 6 account/list requests + 1 per room: 8 fits the two riskiest rooms.
            let cut = try await rig.archive { $0.maxRequests = 8 }
            #expect(rig.messageOrder == [Rig.busy, Rig.project], "\(rig.sim.requestLog())")
            #expect(cut.requests == 8)
            #expect(rig.sim.requestCount == 8)
            #expect(cut.roomsLeft == [Rig.johnDM, Rig.hanakoDM])
            #expect(cut.stoppedBy == "max_requests")
            #expect(cut.exitCode == 3)
            #expect(cut.failures.isEmpty)
            #expect(cut.messages.new == 130)
            // The busy room grows again, more than the rooms left: they still go first.
            try rig.change { ws, t in _ = try ws.addMessages(roomId: Rig.busy, accountId: Rig.hanako, count: 30, prefix: "later", at: t) }
            let next = try await rig.archive()
            #expect(rig.messageOrder == [Rig.johnDM, Rig.hanakoDM, Rig.busy], "\(rig.sim.requestLog())")
            #expect(next.roomsLeft.isEmpty)
            #expect(next.exitCode == 0, "\(next.failures)")
            #expect(next.messages.new == 36)
        }
    }

    @Test("--max-duration: no room starts once the next would pass the time limit")
    func maxDuration() async throws {
        try await Rig.with { rig in
            try Self.grow(rig)
            // Each room takes 600 s on the timeline: after two rooms, a third would end past 1,300 s.
            let clock = rig.clock
            let cut = try await rig.archive({ $0.maxDuration = 1_300 }, tick: { clock.advance(by: 600) })
            #expect(rig.messageOrder == [Rig.busy, Rig.project], "\(rig.sim.requestLog())")
            #expect(cut.stoppedBy == "max_duration")
            #expect(cut.roomsLeft == [Rig.johnDM, Rig.hanakoDM])
            #expect(cut.exitCode == 3)
            let next = try await rig.archive()
            #expect(rig.messageOrder == [Rig.johnDM, Rig.hanakoDM])
            #expect(next.exitCode == 0, "\(next.failures)")
        }
    }

    @Test("status forecast: a new busy room at daily runs is at risk, with the safe interval and the listen hint; a quiet one is not")
    func forecast() async throws {
        let busy = 2_000_101, quiet = 2_000_102
        try await Rig.with(firstRun: false) { rig in
            try rig.change { ws, t in
                for (id, name) in [(busy, "Busy sales"), (quiet, "Quiet corner")] {
                    try ws.addRoom(SimRoom(roomId: id, name: name, type: .group, lastUpdateTime: t,
                                           members: [SimMember(accountId: Rig.me, role: .member), SimMember(accountId: Rig.hanako, role: .member)]))
                }
            }
            try await rig.archive()
            for _ in 0..<2 {
                // One day: 90 messages in the busy room, 9 in the quiet one, then the nightly run.
                for k in 0..<90 {
                    rig.clock.advance(by: 960)
                    try rig.change { ws, t in
                        try ws.addMessage(roomId: busy, accountId: Rig.hanako, body: "deal \(k)", at: t)
                        if k % 10 == 0 { try ws.addMessage(roomId: quiet, accountId: Rig.hanako, body: "note \(k)", at: t) }
                    }
                }
                let run = try await rig.archive()
                #expect(run.gaps.isEmpty)
                #expect(run.messages.new >= 99)
            }
            let status = try StatusReport.load(store: try ArchiveStore.open(at: rig.h.archiveURL, create: false, clock: rig.clock))
            #expect(status.runIntervalObserved)
            let risk = try #require(status.rooms.first { $0.roomID == busy }?.gapRisk)
            #expect(risk.atRisk, "\(risk)")
            #expect((85...95).contains(risk.messagesPerDay), "\(risk)")
            #expect((17...20).contains(risk.safeIntervalHours ?? 0), "\(risk)")
            let calm = try #require(status.rooms.first { $0.roomID == quiet }?.gapRisk)
            #expect(!calm.atRisk, "\(calm)")
            #expect(status.text.contains("At risk of gaps"))
            #expect(status.text.contains("Busy sales"))
            #expect(status.text.contains("cwarchive listen"))
            #expect(!status.text.split(separator: "\n").contains { $0.contains("Quiet corner") && $0.contains("listen") })
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(status)) as? [String: Any]
            let rooms = json?["rooms"] as? [[String: Any]]
            let encoded = rooms?.first { ($0["room_id"] as? Int) == busy }?["gap_risk"] as? [String: Any]
            #expect(encoded?["at_risk"] as? Bool == true)
            #expect(encoded?["messages_per_day"] is Double)
            #expect(encoded?["safe_interval_hours"] is Double)
        }
    }
}
