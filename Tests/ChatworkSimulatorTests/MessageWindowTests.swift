import Foundation
import Testing
@testable import ChatworkSimulator

/// The newest-100 window, the force=0 cursor, edits, deletions and the viewing limit.
@Suite struct MessageWindowTests {
    func bodies(_ sim: ChatworkSimulator, room: Int, force: Int?, token: String = Fixture.token) async throws -> [String]? {
        let query = force.map { "?force=\($0)" } ?? ""
        let result = try await HTTP.get(sim.url("/rooms/\(room)/messages\(query)"), token: token)
        if result.status == 204 { return nil }
        #expect(result.status == 200)
        return try result.array().compactMap { $0["body"] as? String }
    }

    @Test func listShowsNewest100InAscendingOrder() async throws {
        try await Fixture.with { sim async throws in
            let messages = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/messages?force=1"), token: Fixture.token).array()
            #expect(messages.count == 100)
            let times = messages.compactMap { $0["send_time"] as? Int }
            #expect(times == times.sorted())
            let ids = messages.compactMap { ($0["message_id"] as? String).flatMap(UInt64.init) }
            #expect(ids == ids.sorted())
            // The newest is the upload message; the oldest shown is message 250 - 96 = 154 of the 250.
            #expect((messages.last?["body"] as? String)?.contains("[download:") == true)
            #expect(messages.first?["body"] as? String == "msg 154")
        }
    }

    @Test func olderMessagesStayReachableById() async throws {
        try await Fixture.with { sim async throws in
            let first = try #require(sim.workspace.room(Fixture.adminGroup)?.messages.first)
            let result = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/messages/\(first.messageId)"), token: Fixture.token)
            #expect(try result.object()["body"] as? String == "msg 1")
        }
    }

    @Test func forceZeroOnlyReturnsWhatThisTokenHasNotFetched() async throws {
        try await Fixture.with { sim async throws in
            let room = Fixture.direct
            #expect(try await bodies(sim, room: room, force: nil)?.count == 1)
            #expect(try await bodies(sim, room: room, force: 0) == nil)
            // Another token of the same account has its own cursor.
            #expect(try await bodies(sim, room: room, force: 0, token: Fixture.otherToken)?.count == 1)
            try sim.updateWorkspace { try $0.addMessage(roomId: room, accountId: Fixture.bob, body: "new one") }
            #expect(try await bodies(sim, room: room, force: 0) == ["new one"])
            #expect(try await bodies(sim, room: room, force: 0) == nil)
            // force=1 shows everything again...
            #expect(try await bodies(sim, room: room, force: 1)?.count == 2)
        }
    }

    @Test func forceOneMovesTheCursorToo() async throws {
        try await Fixture.with { sim async throws in
            let room = Fixture.direct
            #expect(try await bodies(sim, room: room, force: 1)?.count == 1)
            #expect(try await bodies(sim, room: room, force: 0) == nil)
            sim.resetMessageCursors()
            #expect(try await bodies(sim, room: room, force: 0)?.count == 1)
        }
    }

    @Test func forceZeroAfterManyNewMessagesReturnsTheNewest100() async throws {
        try await Fixture.with { sim async throws in
            let room = Fixture.emptyRoom
            try sim.updateWorkspace { try $0.addMessages(roomId: room, accountId: Fixture.bob, count: 5, prefix: "a") }
            #expect(try await bodies(sim, room: room, force: 0)?.count == 5)
            try sim.updateWorkspace { try $0.addMessages(roomId: room, accountId: Fixture.bob, count: 150, prefix: "b") }
            let batch = try #require(try await bodies(sim, room: room, force: 0))
            #expect(batch.count == 100)
            #expect(batch.first == "b 51")
            #expect(batch.last == "b 150")
            #expect(try await bodies(sim, room: room, force: 0) == nil)
        }
    }

    @Test func editedMessagesCarryUpdateTime() async throws {
        try await Fixture.with { sim async throws in
            let room = Fixture.direct
            let id = try #require(sim.workspace.room(room)?.messages.first?.messageId)
            let before = try #require(sim.workspace.room(room)?.lastUpdateTime)
            try sim.updateWorkspace { try $0.editMessage(roomId: room, messageId: id, body: "edited", at: Fixture.base + 100_001) }
            let m = try await HTTP.get(sim.url("/rooms/\(room)/messages/\(id)"), token: Fixture.token).object()
            #expect(m["body"] as? String == "edited")
            #expect(m["update_time"] as? Int == Fixture.base + 100_001)
            let info = try await HTTP.get(sim.url("/rooms/\(room)"), token: Fixture.token).object()
            #expect((info["last_update_time"] as? Int ?? 0) > before)
        }
    }

    @Test func deletedMessagesLeaveListsAndShowDeletedBody() async throws {
        try await Fixture.with { sim async throws in
            let room = Fixture.direct
            let id = try #require(sim.workspace.room(room)?.messages.first?.messageId)
            try sim.updateWorkspace { try $0.deleteMessage(roomId: room, messageId: id) }
            #expect(try await bodies(sim, room: room, force: 1) == nil)
            let one = try await HTTP.get(sim.url("/rooms/\(room)/messages/\(id)"), token: Fixture.token)
            #expect(one.status == 200)
            #expect(try one.object()["body"] as? String == "[deleted]")
            let info = try await HTTP.get(sim.url("/rooms/\(room)"), token: Fixture.token).object()
            #expect(info["message_num"] as? Int == 0)
        }
    }

    @Test func deletedMessageLookupCanAnswer404() async throws {
        var ws = Fixture.workspace()
        let id = try #require(ws.room(Fixture.direct)?.messages.first?.messageId)
        try ws.deleteMessage(roomId: Fixture.direct, messageId: id)
        let sim = ChatworkSimulator(workspace: ws, configuration: .init(deletedMessageLookup: .notFound))
        try await sim.start()
        try await Fixture.running(sim) { sim async throws in
            #expect(try await HTTP.get(sim.url("/rooms/\(Fixture.direct)/messages/\(id)"), token: Fixture.token).status == 404)
        }
    }

    @Test func limitedRoomHidesOldMessagesAndSaysSo() async throws {
        try await Fixture.with { sim async throws in
            let list = try await HTTP.get(sim.url("/rooms/\(Fixture.limitedRoom)/messages?force=1"), token: Fixture.token)
            #expect(list.headers["chatwork-message-limitation"] == "true")
            #expect(list.headers["chatwork-message-limitation-summary"] == "free plan: 40 days")
            #expect(try list.array().compactMap { $0["body"] as? String } == ["recent"])
            let old = try #require(sim.workspace.room(Fixture.limitedRoom)?.messages.first)
            let hidden = try await HTTP.get(sim.url("/rooms/\(Fixture.limitedRoom)/messages/\(old.messageId)"), token: Fixture.token)
            #expect(hidden.status == 404)
            #expect(hidden.headers["chatwork-message-limitation"] == "true")
            // 35 days later the recent one is hidden too: 204, still with the headers.
            sim.clock.advance(by: 35 * 86_400)
            let later = try await HTTP.get(sim.url("/rooms/\(Fixture.limitedRoom)/messages?force=1"), token: Fixture.token)
            #expect(later.status == 204)
            #expect(later.headers["chatwork-message-limitation"] == "true")
            // Other rooms carry no limitation headers.
            let normal = try await HTTP.get(sim.url("/rooms/\(Fixture.direct)/messages?force=1"), token: Fixture.token)
            #expect(normal.headers["chatwork-message-limitation"] == nil)
        }
    }
}
