import ChatworkAPI
import ChatworkSimulator
@testable import CWArchiveCore
import Foundation
import Testing

/// A room listed by `/rooms` that answers 403, over the simulator and loopback HTTP: reported
/// once, then kept as `no_access` without failing every nightly run, retried with one request
/// when it changes, and back to normal when readable.
@Suite("No access over the simulator", .serialized)
struct NoAccessSimulatorTests {
    static let me = 1_000_001
    static let room = SimulatorHarness.groupRoom

    func access(_ h: SimulatorHarness) throws -> StatusReport.RoomStatus {
        let status = try StatusReport.load(store: try ArchiveStore.open(at: h.archiveURL, create: false))
        return try #require(status.rooms.first { $0.roomID == Self.room })
    }

    @Test("a 403 room: exit 3 once, then no_access without failing, one request when it moves, normal when readable")
    func noAccessCycle() async throws {
        try await SimulatorHarness.with { h async throws in
            try h.sim.updateWorkspace { ws in try ws.setRefused(roomId: Self.room, accountId: Self.me, true) }
            let first = try await h.archive()
            #expect(first.exitCode == 3, "the first refusal is reported")
            #expect(first.noAccess.contains { $0.roomID == Self.room && $0.new })
            #expect(first.failures.contains { $0.roomID == Self.room })
            #expect(try access(h).access == "no_access")
            #expect(try access(h).noAccessSince != nil)

            // Nothing changed: not a failure any more, and no request for the room.
            h.sim.resetRequestLog()
            let second = try await h.archive()
            #expect(second.exitCode == 0, "\(second.failures)")
            #expect(second.noAccess.contains { $0.roomID == Self.room && !$0.new })
            #expect(!h.sim.requestLog().contains { $0.contains("/rooms/\(Self.room)") }, "\(h.sim.requestLog())")
            #expect(try access(h).access == "no_access")

            // The room moves: one request, still refused, still not a failure.
            try h.sim.updateWorkspace { ws in try ws.touchRoom(Self.room) }
            h.sim.resetRequestLog()
            let third = try await h.archive()
            #expect(third.exitCode == 0, "\(third.failures)")
            #expect(h.sim.requestLog().filter { $0.contains("/rooms/\(Self.room)") }.count == 1, "\(h.sim.requestLog())")

            // Readable again: archived, and the access is back to ok.
            try h.sim.updateWorkspace { ws in
                try ws.setRefused(roomId: Self.room, accountId: Self.me, false)
                try ws.touchRoom(Self.room)
            }
            let fourth = try await h.archive()
            #expect(fourth.exitCode == 0, "\(fourth.failures)")
            #expect(try access(h).access == "ok")
            #expect(try access(h).archivedMessages > 0)
        }
    }
}
