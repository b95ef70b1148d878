import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import ChatworkSimulator

/// `POST /rooms/{id}/messages` and `PUT /rooms/{id}/messages/{message_id}` as the reference
/// describes them, and the webhook deliveries that follow every message posted or edited.
@Suite struct PostingTests {
    static func write(_ sim: ChatworkSimulator, _ method: String, _ path: String, form: String, token: String = Fixture.token) async throws -> HTTPResult {
        var request = URLRequest(url: sim.url(path))
        request.httpMethod = method
        request.setValue(token, forHTTPHeaderField: "X-ChatWorkToken")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(form.utf8)
        return try await HTTP.send(request)
    }

    @Test func aPostedMessageIsListedAndMovesTheRoom() async throws {
        try await Fixture.with { sim async throws in
            let before = try #require(sim.workspace.room(Fixture.direct)?.lastUpdateTime)
            let posted = try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "body=hello+there%21%0A%E4%BC%9A%E8%AD%B0&self_unread=1")
            #expect(posted.status == 200, "\(posted.text)")
            #expect(posted.headers["x-ratelimit-remaining"] != nil)
            let id = try #require(try posted.object()["message_id"] as? String)
            let list = try await HTTP.get(sim.url("/rooms/\(Fixture.direct)/messages?force=1"), token: Fixture.token).array()
            let last = try #require(list.last)
            #expect(last["message_id"] as? String == id)
            #expect(last["body"] as? String == "hello there!\n会議")
            #expect((last["account"] as? [String: Any])?["account_id"] as? Int == Fixture.me)
            #expect(last["send_time"] as? Int == Fixture.base + 100_000)
            #expect(try #require(sim.workspace.room(Fixture.direct)?.lastUpdateTime) > before)
        }
    }

    @Test func postsAreCheckedAsTheReferenceSays() async throws {
        try await Fixture.with { sim async throws in
            let missing = try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "self_unread=0")
            #expect(missing.status == 400)
            #expect(try missing.object()["errors"] != nil)
            #expect(try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "body=").status == 400)
            #expect(try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "body=" + String(repeating: "a", count: 65_536)).status == 400)
            #expect(try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "body=x&self_unread=2").status == 400)
            #expect(try await Self.write(sim, "POST", "/rooms/\(Fixture.readonlyGroup)/messages", form: "body=x").status == 403)
            #expect(try await Self.write(sim, "POST", "/rooms/\(Fixture.foreignRoom)/messages", form: "body=x").status == 403)
            #expect(try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "body=x", token: "wrong").status == 401)
            #expect(try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "body=" + String(repeating: "a", count: 65_535)).status == 200)
            #expect(sim.workspace.room(Fixture.direct)?.messages.count == 2)
        }
    }

    @Test func onlyTheAuthorEditsAndNotASystemMessage() async throws {
        try await Fixture.with { sim async throws in
            let id = try #require(try await Self.write(sim, "POST", "/rooms/\(Fixture.adminGroup)/messages", form: "body=draft").object()["message_id"] as? String)
            let edited = try await Self.write(sim, "PUT", "/rooms/\(Fixture.adminGroup)/messages/\(id)", form: "body=final")
            #expect(edited.status == 200)
            #expect(try edited.object()["message_id"] as? String == id)
            let m = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/messages/\(id)"), token: Fixture.token).object()
            #expect(m["body"] as? String == "final")
            #expect(m["update_time"] as? Int == Fixture.base + 100_000)

            let bobs = try #require(sim.workspace.room(Fixture.adminGroup)?.messages.first { $0.accountId == Fixture.bob && !$0.body.contains("[dtext:") })
            #expect(try await Self.write(sim, "PUT", "/rooms/\(Fixture.adminGroup)/messages/\(bobs.messageId)", form: "body=mine now").status == 403)
            let system = try await Self.write(sim, "PUT", "/rooms/\(Fixture.adminGroup)/messages/\(bobs.messageId)", form: "body=x", token: Fixture.bobToken)
            #expect(system.status == 200, "bob may edit his own plain message")
            let task = try #require(sim.workspace.room(Fixture.adminGroup)?.messages.first { $0.body.contains("[dtext:task_added]") && $0.accountId == Fixture.me })
            #expect(try await Self.write(sim, "PUT", "/rooms/\(Fixture.adminGroup)/messages/\(task.messageId)", form: "body=x").status == 403)
            #expect(try await Self.write(sim, "PUT", "/rooms/\(Fixture.adminGroup)/messages/999", form: "body=x").status == 404)
            #expect(try await Self.write(sim, "PUT", "/rooms/\(Fixture.adminGroup)/messages/\(id)", form: "nobody=1").status == 400)
        }
    }

    @Test func everyPostOrEditIsQueuedForTheWebhooksThatSeeIt() async throws {
        try await Fixture.with { sim async throws in
            // The simulator itself receives them (405: it takes no webhooks): made, answered, in order.
            let nowhere = sim.url("/hook")
            let direct = try sim.addRoomWebhook(roomId: Fixture.direct, url: nowhere)
            let twice = try sim.addRoomWebhook(roomId: Fixture.adminGroup, url: nowhere, delivery: .twice)
            let mentions = try sim.addAccountWebhook(accountId: Fixture.bob, url: nowhere, delivery: .never)
            let posted = try #require(try await Self.write(sim, "POST", "/rooms/\(Fixture.direct)/messages", form: "body=%5BTo%3A102%5DBob+hi").object()["message_id"] as? String)
            #expect(try await Self.write(sim, "PUT", "/rooms/\(Fixture.direct)/messages/\(posted)", form: "body=edited").status == 200)
            let group = try sim.updateWorkspace { try $0.addMessage(roomId: Fixture.adminGroup, accountId: Fixture.bob, body: "in code") }
            try sim.updateWorkspace { ws in try ws.deleteMessage(roomId: Fixture.adminGroup, messageId: group) }
            _ = try sim.updateWorkspace { try $0.addMessage(roomId: Fixture.myRoom, accountId: Fixture.me, body: "nobody watches") }
            await sim.webhookDeliveriesSettled()
            let d = sim.webhookDeliveries
            #expect(d.map(\.settingID) == [direct.id, mentions.id, direct.id, twice.id, twice.id], "\(d)")
            #expect(d.map(\.eventType) == ["message_created", "mention_to_me", "message_updated", "message_created", "message_created"])
            #expect(d.map(\.messageID) == [posted, posted, posted, group, group])
            #expect(d.map(\.dropped) == [false, true, false, false, false])
            #expect(d.map(\.status) == [405, nil, 405, 405, 405])
            #expect(sim.requestLog().filter { $0.hasPrefix("POST /v2/hook") }.count == 4)
            #expect(sim.webhookSettings.count == 3)
        }
    }

    @Test func changesAreFoundByComparingTheWorkspace() throws {
        var before = Fixture.workspace()
        let edited = try #require(before.room(Fixture.adminGroup)?.messages.first?.messageId)
        var after = before
        let added = try after.addMessage(roomId: Fixture.adminGroup, accountId: Fixture.bob, body: "new")
        try after.editMessage(roomId: Fixture.adminGroup, messageId: edited, body: "changed")
        let changes = SimWebhookChanges.changes(from: before, to: after, rooms: [Fixture.adminGroup])
        #expect(changes.map(\.eventType) == ["message_updated", "message_created"])
        #expect(changes.map(\.message.messageId) == [edited, added])
        #expect(SimWebhookChanges.changes(from: before, to: after, rooms: [Fixture.direct]).isEmpty)
        before = after
        #expect(SimWebhookChanges.changes(from: before, to: after, rooms: nil).isEmpty)
    }
}
