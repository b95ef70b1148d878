import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing

@Suite("Endpoints against the simulator")
struct EndpointTests {
    typealias H = SimulatorHarness

    @Test("every read endpoint decodes what the simulator serves")
    func everyEndpoint() async throws {
        try await H.run { sim, client async throws in
            let me = try await client.me()
            #expect(me.accountID == H.alice)
            #expect(me.name == "Alice")
            #expect(me.roomID == H.myRoom)
            #expect(me.organizationName == "ACME")

            let status = try await client.myStatus()
            #expect(status.mytaskNum == 1)

            let myTasks = try await client.myTasks()
            #expect(myTasks.map(\.taskID) == [301])
            #expect(myTasks.first?.room.roomID == H.groupRoom)
            #expect(myTasks.first?.assignedByAccount.accountID == H.bob)
            #expect(try await client.myTasks(assignedBy: H.bob, status: "open").count == 1)
            #expect(try await client.myTasks(status: "done").isEmpty)

            let contacts = try await client.contacts()
            #expect(contacts.map(\.accountID) == [H.bob])
            #expect(contacts.first?.roomID == H.directRoom)

            let requests = try await client.incomingRequests()
            #expect(requests.map(\.requestID) == [900])
            #expect(requests.first?.name == "山田 花子")
            #expect(requests.first?.message == "よろしく")

            let rooms = try await client.rooms()
            #expect(Set(rooms.map(\.roomID)) == [H.myRoom, H.directRoom, H.groupRoom, H.readonlyRoom, H.emptyRoom, H.limitedRoom])
            #expect(rooms.first { $0.roomID == H.myRoom }?.type == .my)
            #expect(rooms.first { $0.roomID == H.readonlyRoom }?.role == .readonly)

            let room = try await client.room(H.groupRoom)
            #expect(room.name == "開発チーム")
            #expect(room.description == "The team room")
            #expect(room.messageNum == 3)
            #expect(room.fileNum == 2)
            #expect(room.taskNum == 2)
            #expect(room.role == .admin)

            let members = try await client.members(roomID: H.groupRoom)
            #expect(members.count == 3)
            #expect(members.first { $0.accountID == H.carol }?.role == .readonly)

            let page = try await client.messages(roomID: H.groupRoom, force: true)
            #expect(page.messages.map(\.messageID) == ["1600000000000000001", "1600000000000000002", "1600000000000000003"])
            #expect(page.messages[1].updateTime > 0)
            #expect(page.messages[0].body.contains("こんにちは"))
            #expect(page.limitation == nil)

            let one = try await client.message(roomID: H.groupRoom, messageID: "1600000000000000002")
            #expect(one == page.messages[1])

            let tasks = try await client.tasks(roomID: H.groupRoom)
            #expect(tasks.map(\.taskID).sorted() == [301, 302])
            #expect(try await client.tasks(roomID: H.groupRoom, accountID: H.bob).map(\.taskID) == [302])
            #expect(try await client.tasks(roomID: H.groupRoom, assignedBy: H.bob, status: "open").map(\.taskID) == [301])
            let task = try await client.task(roomID: H.groupRoom, taskID: 302)
            #expect(task.status == .done)
            #expect(task.account.accountID == H.bob)
            #expect(task.assignedByAccount.accountID == H.alice)

            let files = try await client.files(roomID: H.groupRoom)
            #expect(files.map(\.fileID).sorted() == [H.smallFileID, H.bigFileID])
            #expect(files.allSatisfy { $0.downloadURL == nil })
            #expect(try await client.files(roomID: H.groupRoom, accountID: H.carol).map(\.fileID) == [H.smallFileID])
            let file = try await client.file(roomID: H.groupRoom, fileID: H.bigFileID, createDownloadURL: false)
            #expect(file.filename == "../../big video.mp4")
            #expect(file.filesize == H.bigFileSize)
            #expect(file.downloadURL == nil)
            let withURL = try await client.file(roomID: H.groupRoom, fileID: H.smallFileID, createDownloadURL: true)
            #expect(withURL.downloadURL?.isEmpty == false)

            let link = try await client.link(roomID: H.groupRoom)
            #expect(link == RoomLink(isPublic: true, url: "https://www.chatwork.com/g/abc", needAcceptance: true, description: "Join us"))

            // The client asked exactly what it should have, and never met a 429.
            let log = sim.requestLog()
            #expect(log.contains { $0.hasPrefix("GET /v2/rooms/\(H.groupRoom)/messages?force=1 200") })
            #expect(log.contains { $0.contains("create_download_url=1") })
            #expect(log.contains { $0.contains("/my/tasks?assigned_by_account_id=\(H.bob)&status=open") })
            #expect(H.count(status: 429, in: log) == 0)
            let stats = await client.statistics
            #expect(stats.requests == sim.requestCount)
            #expect(stats.retries == 0)
            #expect(stats.lastRateLimit?.limit == H.generousLimit)
        }
    }

    @Test("204 answers are empty lists, not errors")
    func noContent() async throws {
        try await H.run(credential: .apiToken(H.bobToken)) { sim, client async throws in
            #expect(try await client.contacts().isEmpty)
            #expect(try await client.incomingRequests().isEmpty)
            #expect(try await client.myTasks(status: "open").isEmpty)
            let log = sim.requestLog()
            #expect(H.count(status: 204, in: log) == 3)
        }
        try await H.run { sim, client async throws in
            let page = try await client.messages(roomID: H.emptyRoom, force: true)
            #expect(page.messages.isEmpty)
            #expect(page.limitation == nil)
            #expect(try await client.tasks(roomID: H.emptyRoom).isEmpty)
            #expect(try await client.files(roomID: H.emptyRoom).isEmpty)
            #expect(H.count(status: 204, in: sim.requestLog()) == 3)
        }
    }

    @Test("force=0 only returns messages not fetched yet; the next call answers 204")
    func messageCursor() async throws {
        try await H.run { sim, client async throws in
            #expect(try await client.messages(roomID: H.groupRoom, force: false).messages.count == 3)
            #expect(try await client.messages(roomID: H.groupRoom, force: false).messages.isEmpty)
            sim.updateWorkspace { ws in
                _ = try? ws.addMessage(roomId: H.groupRoom, accountId: H.bob, body: "new one")
            }
            #expect(try await client.messages(roomID: H.groupRoom, force: false).messages.map(\.body) == ["new one"])
            #expect(try await client.messages(roomID: H.groupRoom, force: true).messages.count == 4)
        }
    }

    @Test("the free-plan limitation headers are recorded, also on an empty page")
    func messageLimitation() async throws {
        try await H.run { sim, client async throws in
            let page = try await client.messages(roomID: H.limitedRoom, force: true)
            #expect(page.limitation == MessageLimitation(limited: true, summary: "Free plan: 40 days"))
            #expect(page.messages.map(\.body) == ["recent"])
            let next = try await client.messages(roomID: H.limitedRoom, force: false)
            #expect(next.messages.isEmpty)
            #expect(next.limitation?.limited == true)
        }
    }

    @Test("an OAuth access token is sent as a Bearer token")
    func oauth() async throws {
        try await H.run(credential: .oauthAccessToken(H.aliceToken)) { _, client async throws in
            #expect(try await client.me().accountID == H.alice)
        }
    }
}
