import ChatworkAPI
@testable import CWArchiveCore
import Foundation
import Testing

/// The run planner's rules (issue 14): a changed room costs its messages and only the other
/// requests its changes need. Fake API, manual clock, index in memory.
@Suite("Planner: requests a changed room needs (fake API)")
struct PlannerDecisionTests {
    let clock = ManualClock()
    let api: FakeChatworkAPI
    let tmp = TempDir("cwarchive-planner")
    let store: ArchiveStore
    let index: ArchiveIndex
    static let room = 12

    init() throws {
        api = FakeChatworkAPI(clock: clock)
        store = try ArchiveStore.open(at: tmp.path("archive"), create: true, clock: clock)
        index = try ArchiveIndex.inMemory()
        api.addRoom(Self.room)
    }

    /// One run a minute after the last change, with a fresh request log.
    @discardableResult
    func run(_ configure: (inout ArchiveOptions) -> Void = { _ in }) async throws -> RunSummary {
        clock.advance(by: 60)
        api.clearLog()
        var options = ArchiveOptions()
        configure(&options)
        return try await Archiver(store: store, client: api, options: options, clock: clock, index: index).run()
    }

    /// The room requests of the last run, without the account endpoints and /rooms.
    var roomRequests: [String] {
        api.log.filter { !["me", "my/status", "my/tasks", "contacts", "incoming_requests", "rooms"].contains($0) }
    }

    @Test("new plain messages cost one request: the messages")
    func plainMessagesCostOneRequest() async throws {
        api.post(Self.room, "first")
        let first = try await run()
        #expect(first.requestsByReason["details:first_sight"] == 1)
        #expect(first.requestsByReason["members:first_sight"] == 1)
        api.post(Self.room, "just talk")
        api.post(Self.room, "more talk")
        let second = try await run()
        #expect(roomRequests == ["messages \(Self.room)"], "\(api.log)")
        #expect(second.messages.new == 2)
        #expect(second.requests == 7)
        #expect(second.requestsByReason == ["account": 5, "room_list": 1, "messages": 1])
        #expect(second.exitCode == 0)
        // The counters of /rooms are recorded from /rooms itself.
        #expect(try index.serverMessageNum(roomID: Self.room) == 3)
    }

    @Test("a member added: the members are fetched again, nothing else")
    func memberAdded() async throws {
        api.post(Self.room)
        try await run()
        api.addMember(Self.room, accountID: 7, name: "Carol")
        let r = try await run()
        #expect(roomRequests == ["messages \(Self.room)", "members \(Self.room)"], "\(api.log)")
        #expect(r.requestsByReason["members:system_text"] == 1)
        #expect(try index.membersJSON(roomID: Self.room).contains { $0.contains("Carol") })
    }

    @Test("a description changed: the details are fetched again and the new description archived")
    func descriptionChanged() async throws {
        api.post(Self.room)
        try await run()
        api.setDescription(Self.room, "The new purpose of this room")
        let r = try await run()
        #expect(roomRequests == ["messages \(Self.room)", "room \(Self.room)"], "\(api.log)")
        #expect(r.requestsByReason["details:system_text"] == 1)
        #expect(try index.plannerRows()[Self.room]?.description == "The new purpose of this room")
        // Later plain messages keep the description (the room is recorded from /rooms, with the archive's description).
        api.post(Self.room, "chat")
        try await run()
        #expect(roomRequests == ["messages \(Self.room)"])
        #expect(try index.plannerRows()[Self.room]?.description == "The new purpose of this room")
    }

    @Test("a task added then done: the task lists are fetched, and the task is archived as done")
    func taskDone() async throws {
        api.post(Self.room)
        try await run()
        let task = api.addTask(Self.room, body: "Send the quote")
        let added = try await run()
        #expect(added.requestsByReason["tasks:task_num"] == 2, "\(added.requestsByReason)")
        #expect(try index.openTaskCount(roomID: Self.room) == 1)
        api.post(Self.room, "talk")
        try await run()
        #expect(roomRequests == ["messages \(Self.room)"], "an open task alone is no reason: \(api.log)")
        api.completeTask(Self.room, task)
        let done = try await run()
        #expect(roomRequests.filter { $0.hasPrefix("tasks") }.count == 2, "\(api.log)")
        #expect(done.requestsByReason.keys.contains { $0.hasPrefix("tasks:") })
        #expect(try index.openTaskCount(roomID: Self.room) == 0)
        #expect(try index.tasksJSON(roomID: Self.room).contains { $0.contains("\"done\"") })
    }

    @Test("a file uploaded: the file list and the file's download URL, and the file is stored")
    func fileUploaded() async throws {
        api.post(Self.room)
        try await run()
        let file = api.upload(Self.room, name: "report.pdf")
        let r = try await run()
        #expect(roomRequests == ["messages \(Self.room)", "files \(Self.room)", "file \(Self.room)-\(file)"], "\(api.log)")
        #expect(r.requestsByReason["files:file_num"] == 1)
        #expect(r.requestsByReason["downloads"] == 1)
        #expect(r.files.downloaded == 1)
        #expect(try index.fileStatuses(roomID: Self.room)[file] == "stored")
    }

    @Test("a role change in /rooms: details and members; becoming admin also reads the invite link")
    func roleChange() async throws {
        api.post(Self.room)
        try await run()
        api.setRole(Self.room, .admin)
        let r = try await run()
        #expect(Set(roomRequests) == ["messages \(Self.room)", "room \(Self.room)", "members \(Self.room)", "link \(Self.room)"], "\(api.log)")
        #expect(r.requestsByReason["details:role_change"] == 1)
        #expect(r.requestsByReason["members:role_change"] == 1)
        #expect(r.requestsByReason["link:role_change"] == 1, "\(r.requestsByReason)")
        api.post(Self.room, "chat")
        try await run()
        #expect(roomRequests == ["messages \(Self.room)"], "the link only at the refresh: \(api.log)")
    }

    @Test("a refresh is due after --refresh-days: every part again; 0 refreshes every run")
    func refreshDue() async throws {
        api.addRoom(13, role: .admin)
        api.post(Self.room)
        api.post(13)
        try await run()
        clock.advance(by: 6 * 86_400)
        api.post(Self.room)
        try await run()
        #expect(roomRequests == ["messages \(Self.room)"], "six days: not due yet: \(api.log)")
        clock.advance(by: 86_400)
        api.post(Self.room)
        api.post(13)
        let due = try await run()
        #expect(Set(roomRequests) == ["messages \(Self.room)", "room \(Self.room)", "members \(Self.room)",
                                      "messages 13", "room 13", "members 13", "link 13"], "\(api.log)")
        #expect(due.requestsByReason["details:refresh"] == 2)
        #expect(due.requestsByReason["link:refresh"] == 1)
        api.post(Self.room)
        try await run { $0.refreshDays = 0 }
        #expect(Set(roomRequests) == ["messages \(Self.room)", "room \(Self.room)", "members \(Self.room)"], "\(api.log)")
        api.post(Self.room)
        try await run { $0.refreshDays = 3 }
        #expect(roomRequests == ["messages \(Self.room)"])
    }

    @Test("a failed part is asked again next run even though the messages that pointed at it are archived")
    func failedPartIsRetried() async throws {
        api.post(Self.room)
        try await run()
        api.addMember(Self.room, accountID: 8, name: "Dave")
        api.setFailing("members \(Self.room)")
        let failed = try await run()
        #expect(failed.exitCode == 3)
        api.setFailing("members \(Self.room)", false)
        let retried = try await run()
        #expect(roomRequests == ["messages \(Self.room)", "members \(Self.room)"], "\(api.log)")
        #expect(retried.exitCode == 0)
        #expect(try index.membersJSON(roomID: Self.room).contains { $0.contains("Dave") })
    }
}
