import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
@testable import CWArchiveServer

/// The simulator sends its own webhooks, as Chatwork does, for messages posted through its HTTP
/// API; the listener takes them beside `archive` runs, over loopback.
@Suite(.serialized) struct ListenSideBySideTests {
    static let busy = SideBySide.busy
    static let project = SideBySide.project

    /// What a test collects from inside an `archive` run.
    actor Notes {
        var posted: [String] = []
        var statuses: [Int?] = []
        var lockedCommits = 0
        var otherCommits: [String] = []
        var stopped = false
        func add(_ id: String) { posted.append(id) }
        func add(statuses s: [Int?]) { statuses += s }
        func commit(_ outcome: ListenCommitter.Outcome) {
            if case .locked = outcome { lockedCommits += 1 } else { otherCommits.append("\(outcome)") }
        }
        func stop() { stopped = true }
    }

    /// The messages of `rooms` older than the first run's window (out of the API's reach since before the test).
    static func outOfReach(_ s: SideBySide, rooms: [Int]) -> Set<String> {
        Set(rooms.flatMap { s.serverMessages($0).dropLast(100).map(\.messageId) })
    }

    /// Every message of `rooms` in the simulator (but those out of reach before the test) is
    /// archived with its body, and no version of a message is stored twice.
    static func expectEveryMessageOnce(_ s: SideBySide, rooms: [Int], outOfReach: Set<String>) throws {
        for room in rooms {
            let server = s.serverMessages(room).filter { !outOfReach.contains($0.messageId) }
            let index = try ArchiveIndex.openForReading(store: try s.f.store())
            let archived = try index.latestVersions(roomID: room, messageIDs: Set(server.map(\.messageId)))
            let missing = server.filter { archived[$0.messageId]?.body != $0.body }
            #expect(missing.isEmpty, "room \(room): \(missing.count) of \(server.count) messages not archived as they are: \(missing.prefix(3).map(\.body))")
        }
        let versions = try s.f.messageRecords().map { "\($0.messageID) \($0.updateTime)" }
        #expect(versions.count == Set(versions).count, "a version was stored twice")
    }

    @Test func oneHundredFiftyMessagesPostedThroughTheAPIAreAllArchivedAndStatusShowsNoGap() async throws {
        try await SideBySide.with(rooms: [Self.busy]) { s in
            _ = try await s.archive()
            let old = Self.outOfReach(s, rooms: [Self.busy])
            try await s.f.start()
            _ = try s.addWebhooks([Self.busy])
            var ids: [String] = []
            for n in 1...150 { ids.append(try await s.writer.post(room: Self.busy, body: "live \(n) [To:1000001]")) }
            await s.sim.webhookDeliveriesSettled()
            let deliveries = s.sim.webhookDeliveries
            #expect(deliveries.map(\.messageID) == ids)
            #expect(deliveries.allSatisfy { $0.status == 200 && $0.eventType == "message_created" })
            // The API's window alone would give the newest 100 of them.
            let window = Set(s.serverMessages(Self.busy).suffix(100).map(\.messageId))
            #expect(ids.filter { !window.contains($0) }.count == 50)

            let second = try await s.archive()
            #expect(second.gaps.isEmpty, "\(second.gaps)")
            #expect(second.exitCode == 0, "\(second.failures)")
            try Self.expectEveryMessageOnce(s, rooms: [Self.busy], outOfReach: old)
            let listened = Set(try s.f.messageRecords(runPrefix: "listen-").map(\.messageID))
            #expect(ids.allSatisfy(listened.contains))
            let room = try #require(try s.status().rooms.first { $0.roomID == Self.busy })
            #expect(room.gaps.isEmpty, "\(room.gaps)")
            #expect(try ArchiveVerifier(store: s.f.store()).verify().isIntact)
        }
    }

    @Test func theListenerAndAnArchiveRunSideBySideNeitherBlocksTheOther() async throws {
        try await SideBySide.with(rooms: [Self.busy, Self.project]) { s in
            _ = try await s.archive()
            let old = Self.outOfReach(s, rooms: [Self.busy, Self.project])
            try await s.f.start()
            _ = try s.addWebhooks([Self.busy, Self.project])
            for n in 1...20 { try await s.writer.post(room: n % 4 == 0 ? Self.project : Self.busy, body: "before \(n)") }
            let notes = Notes()
            let committer = try #require(s.f.server?.committer)
            // Another member keeps posting during the whole run (at most 60 messages).
            let background = Task {
                for n in 1...60 where !(await notes.stopped) {
                    await notes.add(try await s.writer.post(room: n % 3 == 0 ? Self.project : Self.busy, body: "meanwhile \(n)"))
                }
            }
            // Before each room's window: while the run holds the lock, messages are posted into both
            // rooms (some after the other room's window was read), every delivery is answered 200,
            // and a commit of the listener finds the archive locked and leaves them in the spool.
            let summary = try await s.archive { room in
                let before = s.sim.webhookDeliveries.count
                for n in 1...10 { await notes.add(try await s.writer.post(room: n % 2 == 0 ? Self.project : Self.busy, body: "inside \(room) \(n)")) }
                await s.sim.webhookDeliveriesSettled()
                await notes.add(statuses: s.sim.webhookDeliveries.dropFirst(before).map(\.status))
                await notes.commit(try committer.commit())
            }
            await notes.stop()
            try await background.value
            await s.sim.webhookDeliveriesSettled()
            #expect(summary.exitCode == 0, "\(summary.failures) \(summary.gaps)")
            let locked = await notes.lockedCommits, other = await notes.otherCommits
            #expect(locked >= 2)
            #expect(other.isEmpty, "\(other)")
            let inside = await notes.statuses
            #expect(inside.count >= 20)
            #expect(inside.allSatisfy { $0 == 200 }, "\(inside)")
            #expect(s.sim.webhookDeliveries.allSatisfy { $0.status == 200 })
            #expect(!(s.f.server?.spool.pending().isEmpty ?? true), "what came after the windows waits in the spool")

            try await s.f.stop()   // the final commit takes the rest of the spool
            #expect(s.f.server?.spool.pending().isEmpty == true)
            try Self.expectEveryMessageOnce(s, rooms: [Self.busy, Self.project], outOfReach: old)
            let posted = await notes.posted
            #expect(posted.count >= 20)
            #expect(try ArchiveVerifier(store: s.f.store()).verify().isIntact)
            // A later run finds nothing new and no gap.
            let after = try await s.archive()
            #expect(after.messages.new == 0)
            #expect(after.gaps.isEmpty)
            try Self.expectEveryMessageOnce(s, rooms: [Self.busy, Self.project], outOfReach: old)
        }
    }

    @Test func aSettingThatDeliversTwiceAddsNothingTheSecondTime() async throws {
        try await SideBySide.with(rooms: [Self.project]) { s in
            _ = try await s.archive()
            try await s.f.start()
            _ = try s.addWebhooks([Self.project], delivery: .twice)
            var ids: [String] = []
            for n in 1...5 { ids.append(try await s.writer.post(room: Self.project, body: "twice \(n)")) }
            await s.sim.webhookDeliveriesSettled()
            #expect(s.sim.webhookDeliveries.map(\.messageID) == ids.flatMap { [$0, $0] })
            #expect(s.sim.webhookDeliveries.allSatisfy { $0.status == 200 })
            guard case .committed(let r) = try #require(s.f.server?.committer).commit() else { Issue.record("not committed"); return }
            #expect(r.messages == 5, "\(r)")
            let records = try s.f.messageRecords().filter { ids.contains($0.messageID) }
            #expect(records.count == 5)
            // The nightly run sees the same five: nothing new.
            let run = try await s.archive()
            #expect(run.messages.new == 0)
            #expect(try s.f.messageRecords().filter { ids.contains($0.messageID) }.count == 5)
        }
    }

    @Test func aSettingThatDropsLeavesAGapTheNextRunFillsFromTheWindowOrNames() async throws {
        try await SideBySide.with(rooms: [Self.busy]) { s in
            _ = try await s.archive()
            let old = Self.outOfReach(s, rooms: [Self.busy])
            try await s.f.start()
            let setting = try #require(try s.addWebhooks([Self.busy])[Self.busy])
            func post(_ n: Int, _ prefix: String) async throws -> [String] {
                var ids: [String] = []
                for k in 1...n { ids.append(try await s.writer.post(room: Self.busy, body: "\(prefix) \(k)")) }
                await s.sim.webhookDeliveriesSettled()
                return ids
            }
            // 30 dropped between captured ones: the window still shows them.
            _ = try await post(10, "heard")
            s.sim.setWebhookDelivery(.never, settingID: setting.id)
            let dropped = try await post(30, "dropped")
            s.sim.setWebhookDelivery(.normal, settingID: setting.id)
            _ = try await post(10, "heard again")
            #expect(s.sim.webhookDeliveries.filter(\.dropped).map(\.messageID) == dropped)
            let filled = try await s.archive()
            #expect(filled.gaps.isEmpty)
            #expect(filled.messages.new == 30, "the dropped ones, from the window")
            try Self.expectEveryMessageOnce(s, rooms: [Self.busy], outOfReach: old)

            // 150 dropped, then 5 captured: the oldest 55 are out of the window's reach. The run
            // names the gap before the window (the listener was up: covered, and status says an
            // undelivered webhook cannot be detected).
            let lastKnown = try #require(s.serverMessages(Self.busy).last?.messageId)
            s.sim.setWebhookDelivery(.never, settingID: setting.id)
            let lost = try await post(150, "lost")
            s.sim.setWebhookDelivery(.normal, settingID: setting.id)
            _ = try await post(5, "heard at last")
            try await s.f.stop()
            let named = try await s.archive()
            let gap = try #require(named.gaps.first { $0.roomID == Self.busy }, "the gap is not named: \(named.gaps)")
            #expect(gap.afterMessageID == lastKnown)
            #expect(gap.beforeMessageID == lost[55])
            #expect(gap.estimatedMissing == 55)
            #expect(gap.coveredByWebhook == true)
            let status = try s.status()
            #expect(try #require(status.rooms.first { $0.roomID == Self.busy }).gaps.contains { $0.beforeMessageID == lost[55] })
            #expect(status.text.contains("An undelivered webhook cannot be detected"))
            let archived = try ArchiveIndex.openForReading(store: try s.f.store()).latestVersions(roomID: Self.busy, messageIDs: Set(lost))
            #expect(archived.count == 95)
        }
    }
}
