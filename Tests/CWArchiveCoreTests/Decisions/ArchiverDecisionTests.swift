import ChatworkAPI
@testable import CWArchiveCore
import Foundation
import Testing

/// The archiver's decisions, run in process: a ``FakeChatworkAPI``, a ``ManualClock``, an index
/// in memory and a store in a temporary folder. No HTTP, no real time.
@Suite("Archiver decisions (fake API, manual clock)")
struct ArchiverDecisionTests {
    let clock = ManualClock()
    let api: FakeChatworkAPI
    let tmp = TempDir("cwarchive-decisions")
    let store: ArchiveStore
    let index: ArchiveIndex
    static let room = 12

    init() throws {
        api = FakeChatworkAPI(clock: clock)
        store = try ArchiveStore.open(at: tmp.path("archive"), create: true, clock: clock)
        index = try ArchiveIndex.inMemory()
        api.addRoom(Self.room)
    }

    /// One run, a minute after the last change (past the archiver's sync margin), with a fresh request log.
    @discardableResult
    func run() async throws -> RunSummary {
        clock.advance(by: 60)
        api.clearLog()
        return try await Archiver(store: store, client: api, options: ArchiveOptions(), clock: clock, index: index).run()
    }

    @Test("an unchanged room is skipped: no message request on the next run")
    func unchangedRoomsAreSkipped() async throws {
        api.post(Self.room)
        let first = try await run()
        #expect(first.rooms.changed == 1)
        #expect(first.messages.new == 1)
        let second = try await run()
        #expect(second.rooms.skipped == 1)
        #expect(second.rooms.changed == 0)
        #expect(api.count("messages") == 0, "\(api.log)")
        #expect(api.count("room ") == 0)
    }

    @Test("new, edited and deleted messages are told apart")
    func newEditedDeleted() async throws {
        let a = api.post(Self.room, "one")
        let b = api.post(Self.room, "two")
        api.post(Self.room, "three")
        #expect(try await run().messages.new == 3)
        api.edit(Self.room, a, body: "one, edited")
        api.delete(Self.room, b)
        api.post(Self.room, "four")
        let r = try await run()
        #expect(r.messages.new == 1)
        #expect(r.messages.edited == 1)
        #expect(r.messages.deleted == 1)
        #expect(r.gaps.isEmpty)
        #expect(r.exitCode == 0)
    }

    @Test("the first window is the horizon, not a gap; later more than 100 new messages are a gap")
    func gapsAndHorizon() async throws {
        for i in 0..<150 { api.post(Self.room, "m\(i)") }
        let first = try await run()
        #expect(first.messages.new == 100)
        #expect(first.gaps.isEmpty, "the first window is the horizon")
        #expect(first.exitCode == 0)
        for i in 0..<120 { api.post(Self.room, "n\(i)") }
        let second = try await run()
        #expect(second.gaps.count == 1)
        #expect(second.gaps.first?.roomID == Self.room)
        #expect(second.gaps.first?.estimatedMissing == 20)
        #expect(second.exitCode == 3)
    }

    @Test("a reply to a message the archive lacks fetches it by id")
    func replyBackfill() async throws {
        let old = api.post(Self.room, "an old message")
        for i in 0..<100 { api.post(Self.room, "filler \(i)") }
        let first = try await run()
        #expect(first.messages.new == 100, "the old message is outside the window")
        api.post(Self.room, "[rp aid=2 to=\(Self.room)-\(old)]Bob\nreplying")
        let second = try await run()
        #expect(second.messages.new == 1)
        #expect(second.messages.fetchedByReference == 1)
        #expect(api.count("message \(Self.room)-\(old)") == 1)
        #expect(try index.messageExists(roomID: Self.room, messageID: old))
    }

    @Test("a room whose step failed is fetched again on the next run, then skipped")
    func failedRoomsAreRetried() async throws {
        api.post(Self.room)
        api.setFailing("members \(Self.room)")
        let first = try await run()
        #expect(first.rooms.failed == 1)
        #expect(first.failures.first?.item == "members")
        #expect(first.exitCode == 3)
        api.setFailing("members \(Self.room)", false)
        let second = try await run()
        #expect(second.rooms.changed == 1, "the room did not change, but its last run was incomplete")
        #expect(api.count("messages \(Self.room)") == 1)
        #expect(second.exitCode == 0)
        let third = try await run()
        #expect(third.rooms.skipped == 1)
        #expect(api.count("messages") == 0)
    }

    @Test("the message-limitation headers are recorded when they appear and when they go")
    func limitationHeaders() async throws {
        api.post(Self.room)
        try await run()
        #expect(try index.limitation(roomID: Self.room) == nil, "no header, nothing recorded")
        api.setLimitation(Self.room, MessageLimitation(limited: true, summary: "40 days"))
        try await run()
        #expect(try index.limitation(roomID: Self.room) == MessageLimitation(limited: true, summary: "40 days"))
        api.setLimitation(Self.room, nil)
        try await run()
        #expect(try index.limitation(roomID: Self.room)?.limited == false)
    }

    @Test("records, manifests and the run id carry the injected clock's time")
    func injectedTime() async throws {
        api.post(Self.room)
        let r = try await run()
        let expected = Int(clock.now().timeIntervalSince1970)
        #expect(r.startedAt == expected)
        #expect(r.finishedAt == expected)
        #expect(r.runID.hasPrefix("20231114T2214"))
        #expect(try store.lastManifest()?.manifest.createdAt == expected)
    }
}
