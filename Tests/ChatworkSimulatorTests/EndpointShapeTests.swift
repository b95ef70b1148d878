import Foundation
import Testing
@testable import ChatworkSimulator

/// Every endpoint answers the API's JSON shape, field for field.
@Suite struct EndpointShapeTests {
    static let accountKeys: Set<String> = ["account_id", "name", "avatar_image_url"]
    static let personKeys: Set<String> = [
        "account_id", "name", "chatwork_id", "organization_id", "organization_name", "department", "avatar_image_url",
    ]

    @Test func meHasEveryProfileFieldAndMyChatRoom() async throws {
        try await Fixture.with { sim async throws in
            let me = try await HTTP.get(sim.url("/me"), token: Fixture.token).object()
            #expect(Set(me.keys) == [
                "account_id", "room_id", "name", "chatwork_id", "organization_id", "organization_name", "department", "title",
                "url", "introduction", "mail", "tel_organization", "tel_extension", "tel_mobile", "skype", "facebook",
                "twitter", "avatar_image_url", "login_mail",
            ])
            #expect(me["account_id"] as? Int == Fixture.me)
            #expect(me["room_id"] as? Int == Fixture.myRoom)
            #expect(me["name"] as? String == "Me Myself")
        }
    }

    @Test func myStatusCountsUnreadMentionsAndTasks() async throws {
        try await Fixture.with { sim async throws in
            let status = try await HTTP.get(sim.url("/my/status"), token: Fixture.token).object()
            #expect(status["unread_num"] as? Int == 2)
            #expect(status["unread_room_num"] as? Int == 1)
            #expect(status["mention_num"] as? Int == 1)
            #expect(status["mention_room_num"] as? Int == 1)
            #expect(status["mytask_num"] as? Int == 1)
            #expect(status["mytask_room_num"] as? Int == 1)
        }
    }

    @Test func myTasksHaveRoomAndFilters() async throws {
        try await Fixture.with { sim async throws in
            let tasks = try await HTTP.get(sim.url("/my/tasks"), token: Fixture.token).array()
            #expect(tasks.count == 1)
            let task = try #require(tasks.first)
            #expect(Set(task.keys) == ["task_id", "room", "assigned_by_account", "message_id", "body", "limit_time", "status", "limit_type"])
            #expect(keys(task["room"]) == ["room_id", "name", "icon_path"])
            #expect(keys(task["assigned_by_account"]) == Self.accountKeys)
            #expect(task["message_id"] is String)
            #expect(try await HTTP.get(sim.url("/my/tasks?status=done"), token: Fixture.token).status == 204)
            #expect(try await HTTP.get(sim.url("/my/tasks?assigned_by_account_id=\(Fixture.bob)"), token: Fixture.token).array().count == 1)
            #expect(try await HTTP.get(sim.url("/my/tasks?assigned_by_account_id=\(Fixture.carol)"), token: Fixture.token).status == 204)
        }
    }

    @Test func contactsAndIncomingRequests() async throws {
        try await Fixture.with { sim async throws in
            let contacts = try await HTTP.get(sim.url("/contacts"), token: Fixture.token).array()
            #expect(contacts.count == 1)
            #expect(Set(contacts[0].keys) == Self.personKeys.union(["room_id"]))
            #expect(contacts[0]["room_id"] as? Int == Fixture.direct)
            let requests = try await HTTP.get(sim.url("/incoming_requests"), token: Fixture.token).array()
            #expect(requests.count == 1)
            #expect(Set(requests[0].keys) == Self.personKeys.union(["request_id", "message"]))
            #expect(requests[0]["message"] as? String == "よろしく")
            // Bob has neither.
            #expect(try await HTTP.get(sim.url("/contacts"), token: Fixture.bobToken).status == 204)
            #expect(try await HTTP.get(sim.url("/incoming_requests"), token: Fixture.bobToken).status == 204)
        }
    }

    @Test func roomsListAndRoomInfo() async throws {
        try await Fixture.with { sim async throws in
            let rooms = try await HTTP.get(sim.url("/rooms"), token: Fixture.token).array()
            #expect(rooms.compactMap { $0["room_id"] as? Int }.sorted() == [1, 2, 3, 4, 6, 7])
            let listKeys: Set<String> = [
                "room_id", "name", "type", "role", "sticky", "unread_num", "mention_num", "mytask_num", "message_num",
                "file_num", "task_num", "icon_path", "last_update_time",
            ]
            #expect(rooms.allSatisfy { Set($0.keys) == listKeys })
            let roles = Dictionary(uniqueKeysWithValues: rooms.map { ($0["room_id"] as? Int ?? 0, $0["role"] as? String ?? "") })
            #expect(roles[Fixture.adminGroup] == "admin")
            #expect(roles[Fixture.readonlyGroup] == "readonly")
            #expect(roles[Fixture.direct] == "member")

            let info = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)"), token: Fixture.token).object()
            #expect(Set(info.keys) == listKeys.union(["description"]))
            #expect(info["type"] as? String == "group")
            // 250 + 2 task messages + 1 upload message
            #expect(info["message_num"] as? Int == 253)
            #expect(info["file_num"] as? Int == 1)
            #expect(info["task_num"] as? Int == 2)
            #expect(info["mytask_num"] as? Int == 1)
            #expect(info["last_update_time"] as? Int == Fixture.base + 100_000 - 200)
        }
    }

    @Test func membersWithRoles() async throws {
        try await Fixture.with { sim async throws in
            let members = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/members"), token: Fixture.token).array()
            #expect(members.count == 3)
            #expect(members.allSatisfy { Set($0.keys) == Self.personKeys.union(["role"]) })
            #expect(members.compactMap { $0["role"] as? String } == ["admin", "member", "readonly"])
        }
    }

    @Test func messageShapeHasStringIdAndAccountObject() async throws {
        try await Fixture.with { sim async throws in
            let messages = try await HTTP.get(sim.url("/rooms/\(Fixture.direct)/messages?force=1"), token: Fixture.token).array()
            let m = try #require(messages.first)
            #expect(Set(m.keys) == ["message_id", "account", "body", "send_time", "update_time"])
            #expect(m["message_id"] is String)
            #expect(keys(m["account"]) == Self.accountKeys)
            #expect(m["update_time"] as? Int == 0)
            let id = try #require(m["message_id"] as? String)
            let one = try await HTTP.get(sim.url("/rooms/\(Fixture.direct)/messages/\(id)"), token: Fixture.token).object()
            #expect(one["body"] as? String == "[To:101]Me Myself hello")
            #expect(one["send_time"] as? Int == Fixture.base + 100_000 - 500)
        }
    }

    @Test func tasksWithFiltersAndOneTask() async throws {
        try await Fixture.with { sim async throws in
            let path = "/rooms/\(Fixture.adminGroup)/tasks"
            let tasks = try await HTTP.get(sim.url(path), token: Fixture.token).array()
            #expect(tasks.count == 2)
            let keys: Set<String> = ["task_id", "account", "assigned_by_account", "message_id", "body", "limit_time", "status", "limit_type"]
            #expect(tasks.allSatisfy { Set($0.keys) == keys })
            #expect(try await HTTP.get(sim.url(path + "?account_id=\(Fixture.me)"), token: Fixture.token).array().count == 1)
            #expect(try await HTTP.get(sim.url(path + "?assigned_by_account_id=\(Fixture.me)"), token: Fixture.token).array().count == 1)
            #expect(try await HTTP.get(sim.url(path + "?status=open"), token: Fixture.token).array().count == 2)
            #expect(try await HTTP.get(sim.url(path + "?status=done"), token: Fixture.token).status == 204)
            let id = try #require(tasks.first?["task_id"] as? Int)
            let one = try await HTTP.get(sim.url(path + "/\(id)"), token: Fixture.token).object()
            #expect(one["body"] as? String == "review")
            #expect(one["limit_type"] as? String == "none")
        }
    }

    @Test func filesListAndFileInfo() async throws {
        try await Fixture.with { sim async throws in
            let path = "/rooms/\(Fixture.adminGroup)/files"
            let files = try await HTTP.get(sim.url(path), token: Fixture.token).array()
            #expect(files.count == 1)
            let f = try #require(files.first)
            #expect(Set(f.keys) == ["file_id", "account", "message_id", "filename", "filesize", "upload_time"])
            #expect(f["filename"] as? String == "../../etc/passwd")
            #expect(f["filesize"] as? Int == 1000)
            #expect(try await HTTP.get(sim.url(path + "?account_id=\(Fixture.me)"), token: Fixture.token).status == 204)
            let id = try #require(f["file_id"] as? Int)
            let plain = try await HTTP.get(sim.url(path + "/\(id)"), token: Fixture.token).object()
            #expect(plain["download_url"] == nil)
            let withURL = try await HTTP.get(sim.url(path + "/\(id)?create_download_url=1"), token: Fixture.token).object()
            let url = try #require(withURL["download_url"] as? String)
            #expect(url.hasPrefix("http://127.0.0.1:\(sim.port ?? 0)/download/"))
        }
    }

    @Test func filesListShowsAtMost100() async throws {
        var ws = Fixture.workspace()
        for n in 0..<120 {
            try ws.addFile(roomId: Fixture.emptyRoom, accountId: Fixture.me, filename: "f\(n).bin", size: 10)
        }
        try await Fixture.with(workspace: ws) { sim async throws in
            let files = try await HTTP.get(sim.url("/rooms/\(Fixture.emptyRoom)/files"), token: Fixture.token).array()
            #expect(files.count == 100)
            #expect(files.last?["filename"] as? String == "f119.bin")
        }
    }

    @Test func linkForAdminAndPrivateLink() async throws {
        try await Fixture.with { sim async throws in
            let link = try await HTTP.get(sim.url("/rooms/\(Fixture.adminGroup)/link"), token: Fixture.token).object()
            #expect(link["public"] as? Bool == true)
            #expect(link["url"] as? String == "https://www.chatwork.com/g/admins")
            #expect(link["need_acceptance"] as? Bool == true)
            #expect(link["description"] as? String == "join")
            let none = try await HTTP.get(sim.url("/rooms/\(Fixture.myRoom)/link"), token: Fixture.token).object()
            #expect(none.count == 1)
            #expect(none["public"] as? Bool == false)
        }
    }
}
