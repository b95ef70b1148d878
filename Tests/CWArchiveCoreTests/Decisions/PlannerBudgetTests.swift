import ChatworkAPI
@testable import CWArchiveCore
import Foundation
import Testing

/// The order of the changed rooms (gap risk first), the run's budget (`--max-requests`,
/// `--max-duration`) and rooms that refuse to be read (403 → `no_access`). Fake API, manual clock.
@Suite("Planner: order, budget and no_access (fake API)")
struct PlannerBudgetTests {
    let clock = ManualClock()
    let api: FakeChatworkAPI
    let tmp = TempDir("cwarchive-budget")
    let store: ArchiveStore
    let index: ArchiveIndex

    init() throws {
        api = FakeChatworkAPI(clock: clock)
        store = try ArchiveStore.open(at: tmp.path("archive"), create: true, clock: clock)
        index = try ArchiveIndex.inMemory()
    }

    @discardableResult
    func run(_ configure: (inout ArchiveOptions) -> Void = { _ in }) async throws -> RunSummary {
        clock.advance(by: 60)
        api.clearLog()
        var options = ArchiveOptions()
        configure(&options)
        return try await Archiver(store: store, client: api, options: options, clock: clock, index: index).run()
    }

    /// The rooms whose messages the last run read, in order.
    var messageOrder: [Int] { api.log.compactMap { $0.hasPrefix("messages ") ? Int($0.dropFirst(9)) : nil } }

    /// Rooms 1...n, archived once, then room i gets `growth[i]` new messages.
    func rooms(growth: [Int]) async throws {
        for i in growth.indices { api.addRoom(i + 1); api.post(i + 1) }
        try await run()
        for (i, n) in growth.enumerated() { for k in 0..<n { api.post(i + 1, "m\(k)") } }
    }

    @Test("changed rooms are taken by gap risk: the largest message_num growth first")
    func busiestFirst() async throws {
        try await rooms(growth: [5, 90, 1, 40])
        let r = try await run()
        #expect(messageOrder == [2, 4, 1, 3])
        #expect(r.messages.new == 136)
        #expect(r.exitCode == 0)
    }

    @Test("--max-requests: no room starts that would not fit; the rooms left are listed, exit 3, and go first next run")
    func maxRequests() async throws {
        try await rooms(growth: [10, 95, 3, 92, 50])
        // 6 account/list requests + 1 per room: 9 fits the 3 riskiest rooms.
        let cut = try await run { $0.maxRequests = 9 }
        #expect(messageOrder == [2, 4, 5], "\(api.log)")
        #expect(cut.requests <= 9)
        #expect(cut.roomsLeft == [1, 3])
        #expect(cut.stoppedBy == "max_requests")
        #expect(cut.exitCode == 3)
        #expect(cut.failures.isEmpty)
        // The report (--report) carries them, and reads back the same.
        let report = try JSONSerialization.jsonObject(with: JSONEncoder().encode(cut)) as? [String: Any]
        #expect(report?["rooms_left"] as? [Int] == [1, 3])
        #expect(report?["stopped_by"] as? String == "max_requests")
        #expect((report?["requests_by_reason"] as? [String: Int])?["messages"] == 3)
        #expect(report?["no_access"] as? [Any] != nil)
        #expect(try JSONDecoder().decode(RunSummary.self, from: JSONEncoder().encode(cut)) == cut)
        #expect(cut.paragraph.contains("--max-requests"))
        // Room 3 now grows more than room 1, but the rooms left go first.
        for k in 0..<30 { api.post(3, "late \(k)") }
        for k in 0..<60 { api.post(5, "later \(k)") }
        let next = try await run()
        #expect(messageOrder == [3, 1, 5], "\(api.log)")
        #expect(next.roomsLeft.isEmpty)
        #expect(next.exitCode == 0)
    }

    @Test("--max-requests inside a room: its messages are taken, the extra part waits for the next run")
    func extraPartDeferred() async throws {
        try await rooms(growth: [0])
        api.addMember(1, accountID: 5, name: "Eve")
        let cut = try await run { $0.maxRequests = 7 }
        #expect(api.log.filter { $0.hasPrefix("members") }.isEmpty)
        #expect(cut.messages.new == 1)
        #expect(cut.roomsLeft == [1])
        #expect(cut.exitCode == 3)
        let next = try await run()
        #expect(api.log.contains("members 1"), "\(api.log)")
        #expect(next.exitCode == 0)
        #expect(try index.membersJSON(roomID: 1).contains { $0.contains("Eve") })
    }

    @Test("--max-duration: no room starts once the next would pass the time limit")
    func maxDuration() async throws {
        try await rooms(growth: [1, 2, 3, 4, 5, 6])
        api.secondsPerRequest = 10
        // 6 account/list requests take 60 s; each room 10 s more.
        let cut = try await run { $0.maxDuration = 95 }
        #expect(messageOrder == [6, 5, 4], "\(api.log)")
        #expect(cut.stoppedBy == "max_duration")
        #expect(cut.roomsLeft == [3, 2, 1])
        #expect(cut.exitCode == 3)
    }

    @Test("a room answering 403: no_access reported once (exit 3), then listed without failing, retried with one request, normal when readable")
    func noAccess() async throws {
        api.addRoom(1)
        api.addRoom(2)
        api.post(1)
        api.post(2)
        api.setForbidden(2)
        let first = try await run()
        #expect(first.exitCode == 3)
        #expect(first.failures.map(\.item) == ["no_access"])
        #expect(first.noAccess.map(\.roomID) == [2])
        #expect(first.noAccess.first?.new == true)
        let since = try #require(first.noAccess.first?.since)
        let status = try StatusReport.load(store: store, index: index)
        #expect(status.rooms.first { $0.roomID == 2 }?.access == "no_access")
        #expect(status.rooms.first { $0.roomID == 2 }?.noAccessSinceAt == since)
        #expect(status.rooms.first { $0.roomID == 1 }?.access == "ok")

        // Nothing moved: not asked again, listed, not a failure.
        let second = try await run()
        #expect(second.exitCode == 0)
        #expect(second.failures.isEmpty)
        #expect(second.noAccess.map(\.roomID) == [2])
        #expect(second.noAccess.first?.new == false)
        #expect(second.noAccess.first?.since == since)
        #expect(!api.log.contains { $0.hasSuffix(" 2") }, "\(api.log)")

        // Its last_update_time moved: one request, still refused, still not a failure.
        api.touchRoom(2)
        let third = try await run()
        #expect(api.log.filter { $0.hasSuffix(" 2") } == ["messages 2"])
        #expect(third.requestsByReason["no_access:retry"] == 1)
        #expect(third.exitCode == 0)
        #expect(third.noAccess.first?.since == since)

        // Readable again: archived as usual, no longer no_access.
        api.setForbidden(2, false)
        api.post(2, "back")
        let fourth = try await run()
        #expect(fourth.exitCode == 0)
        #expect(fourth.noAccess.isEmpty)
        #expect(fourth.messages.new == 2)
        let after = try StatusReport.load(store: store, index: index)
        #expect(after.rooms.first { $0.roomID == 2 }?.access == "ok")
        #expect(after.rooms.first { $0.roomID == 2 }?.noAccessSince == nil)
    }

    @Test("status shows when a room was last archived even if that run had a failed item, marked incomplete")
    func lastArchivedWhenIncomplete() async throws {
        api.addRoom(1)
        for k in 0..<57 { api.post(1, "m\(k)") }
        api.setFailing("members 1")
        let r = try await run()
        #expect(r.exitCode == 3)
        let status = try StatusReport.load(store: store, index: index)
        let room = try #require(status.rooms.first { $0.roomID == 1 })
        #expect(room.archivedMessages == 57)
        #expect(room.lastArchivedAt == r.finishedAt)
        #expect(room.incomplete)
        #expect(status.text.contains("incomplete"))
        #expect(!status.text.split(separator: "\n").contains { $0.hasPrefix("1 ") && $0.contains("never") })
        api.setFailing("members 1", false)
        try await run()
        let fixed = try StatusReport.load(store: store, index: index)
        #expect(fixed.rooms.first { $0.roomID == 1 }?.incomplete == false)
    }
}
