import ChatworkAPI
@testable import CWArchiveCore
import Foundation
import Testing

/// The targets at the scale of a large account, in process (fake API, index in memory).
@Suite("Planner: targets on 1,000 rooms (fake API)")
struct PlannerScaleTests {
    @Test("1,000 rooms, 50 changed with 10 plain messages each: at most 1 + 5 + 50 requests; a run cut at 100 requests takes the 20 rooms at risk")
    func largeAccount() async throws {
        let clock = ManualClock()
        let api = FakeChatworkAPI(clock: clock)
        let tmp = TempDir("cwarchive-scale")
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true, clock: clock)
        let index = try ArchiveIndex.inMemory()
        func run(_ configure: (inout ArchiveOptions) -> Void = { _ in }) async throws -> RunSummary {
            clock.advance(by: 60)
            api.clearLog()
            var options = ArchiveOptions()
            options.commitEveryRooms = 200
            configure(&options)
            return try await Archiver(store: store, client: api, options: options, clock: clock, index: index).run()
        }
        let rooms = 1_000
        for id in 1...rooms { api.addRoom(id); api.post(id, "hello \(id)") }
        let first = try await run()
        #expect(first.rooms.changed == rooms)

        let changed = stride(from: 7, through: rooms, by: 20).prefix(50).map { $0 }
        for id in changed { for k in 0..<10 { api.post(id, "plain \(k)") } }
        let nightly = try await run()
        #expect(nightly.rooms.changed == 50)
        #expect(nightly.messages.new == 500)
        #expect(nightly.requests <= 1 + 5 + 50, "\(nightly.requestsByReason)")
        print("1,000 rooms, 50 changed: \(nightly.requests) requests (target ≤ 56)")

        // Every room changes; 20 of them by 95 messages (the window is about to slide past them).
        let atRisk = Set(stride(from: 13, through: rooms, by: 50).map { $0 })
        #expect(atRisk.count == 20)
        for id in 1...rooms { api.post(id, "tick") }
        for id in atRisk { for k in 0..<94 { api.post(id, "rush \(k)") } }
        let cut = try await run { $0.maxRequests = 100 }
        #expect(cut.requests <= 100)
        #expect(cut.stoppedBy == "max_requests")
        #expect(cut.exitCode == 3)
        #expect(cut.gaps.isEmpty)
        let archivedFirst = Set(api.log.compactMap { $0.hasPrefix("messages ") ? Int($0.dropFirst(9)) : nil }.prefix(20))
        #expect(archivedFirst == atRisk)
        #expect(Set(cut.roomsLeft).isDisjoint(with: atRisk))
        #expect(cut.roomsLeft.count == rooms - cut.rooms.changed)
        let rows = try index.plannerRows()
        for id in atRisk { #expect(rows[id]?.syncedUpdateTime != nil && rows[id]?.lastSeenMessageNum == 1 + 10 * (changed.contains(id) ? 1 : 0) + 1 + 94) }
        print("1,000 changed rooms, 20 at risk, --max-requests 100: \(cut.rooms.changed) rooms archived in \(cut.requests) requests, all 20 at risk among them")
    }
}
