import Foundation
import Testing
@testable import ChatworkSimulator

/// Loading the sample workspace, and changing a workspace while the simulator runs.
@Suite struct WorkspaceTests {
    @Test func sampleWorkspaceLoadsWithEveryCase() throws {
        let folder = try #require(ChatworkSimulator.sampleWorkspaceDirectory())
        let ws = try ChatworkSimulator.loadWorkspace(from: folder)
        let me = try #require(ws.tokens["demo-token-0000"])
        let mine = ws.rooms(of: me)
        #expect(Set(mine.map(\.type)) == [.my, .direct, .group])
        #expect(Set(mine.compactMap { $0.role(of: me) }) == [.admin, .member, .readonly])
        #expect(mine.contains { $0.messages.count > 100 })
        #expect(mine.contains { $0.messageLimitation != nil })
        let bodies = ws.rooms.flatMap(\.messages).map(\.body).joined(separator: "\n")
        for tag in ["[To:", "[toall]", "[rp aid=", "[qt][qtmeta aid=", "[info][title]", "[code]", "[hr]", "[picon:", "[pname:",
                    "[piconname:", "[download:", "[preview id=", "[task aid=", "[dtext:", "[deleted]", "(handshake)", "<script>"] {
            #expect(bodies.contains(tag), "\(tag)")
        }
        #expect(ws.rooms.flatMap(\.messages).contains { $0.updateTime > 0 && !$0.deleted })
        #expect(ws.rooms.flatMap(\.messages).contains { $0.deleted })
        let files = ws.rooms.flatMap(\.files)
        #expect(files.contains { $0.filename == "../../etc/passwd" })
        for ext in ["png", "pdf", "txt", "csv"] {
            #expect(files.contains { $0.filename.hasSuffix(".\(ext)") }, "\(ext)")
        }
        #expect(files.allSatisfy { $0.filesize >= 0 })
        #expect(ws.rooms.flatMap(\.tasks).contains { $0.status == .done })
        #expect(ws.rooms.flatMap(\.tasks).contains { $0.status == .open })
        #expect(!ws.contacts.isEmpty && !ws.incomingRequests.isEmpty)
        let ids = ws.rooms.flatMap(\.messages).map(\.messageId)
        #expect(Set(ids).count == ids.count)
    }

    @Test func missingStoredFileIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sim-ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rooms"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"accounts":[{"account_id":1,"name":"A"}],"tokens":{"t":1}}"#.utf8).write(to: folder.appendingPathComponent("workspace.json"))
        let room = #"{"room_id":9,"name":"R","type":"group","members":[{"account_id":1,"role":"admin"}],"files":[{"file_id":1,"account_id":1,"filename":"x","upload_time":0,"content":{"path":"nope.bin"}}]}"#
        try Data(room.utf8).write(to: folder.appendingPathComponent("rooms/9.json"))
        #expect(throws: SimulatorError.self) { try ChatworkSimulator.loadWorkspace(from: folder) }
        do {
            _ = try ChatworkSimulator.loadWorkspace(from: folder)
        } catch let error as SimulatorError {
            #expect(error.description.contains("nope.bin"))
        }
    }

    @Test func brokenJSONIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sim-ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{ not json".utf8).write(to: folder.appendingPathComponent("workspace.json"))
        #expect(throws: SimulatorError.self) { try ChatworkSimulator.loadWorkspace(from: folder) }
    }

    @Test func mutationsBumpLastUpdateTimeStrictly() throws {
        var ws = Fixture.workspace()
        let room = Fixture.emptyRoom
        let t0 = try #require(ws.room(room)?.lastUpdateTime)
        let id = try ws.addMessage(roomId: room, accountId: Fixture.me, body: "x", at: t0)
        let t1 = try #require(ws.room(room)?.lastUpdateTime)
        #expect(t1 > t0)
        try ws.editMessage(roomId: room, messageId: id, body: "y", at: t0)
        let t2 = try #require(ws.room(room)?.lastUpdateTime)
        #expect(t2 > t1)
        try ws.deleteMessage(roomId: room, messageId: id, at: t0)
        try ws.addFile(roomId: room, accountId: Fixture.me, filename: "f", size: 3, at: t0)
        try ws.setMember(roomId: room, accountId: Fixture.bob, role: .member, at: t0)
        let t3 = try #require(ws.room(room)?.lastUpdateTime)
        #expect(t3 >= t2 + 3)
        try ws.setLastUpdateTime(roomId: room, 5)
        #expect(ws.room(room)?.lastUpdateTime == 5)
        #expect(throws: SimulatorError.unknownRoom(404)) { try ws.addMessage(roomId: 404, accountId: 1, body: "") }
        #expect(UInt64(try ws.addMessage(roomId: room, accountId: 1, body: "n")) ?? 0 > UInt64(id) ?? .max)
    }

    @Test func changesShowOverHTTPAndRoomsComeAndGo() async throws {
        try await Fixture.with { sim async throws in
            try sim.updateWorkspace { ws in
                try ws.addRoom(SimRoom(roomId: 77, name: "New", type: .group, members: [SimMember(accountId: Fixture.me, role: .member)]))
                try ws.addTask(roomId: 77, assignee: Fixture.me, assignedBy: Fixture.bob, body: "do it")
            }
            let info = try await HTTP.get(sim.url("/rooms/77"), token: Fixture.token).object()
            #expect(info["task_num"] as? Int == 1)
            #expect(info["message_num"] as? Int == 1)
            #expect(try await HTTP.get(sim.url("/my/tasks"), token: Fixture.token).array().count == 2)
            try sim.updateWorkspace { try $0.removeRoom(77) }
            #expect(try await HTTP.get(sim.url("/rooms/77"), token: Fixture.token).status == 404)
            try sim.updateWorkspace { try $0.removeMember(roomId: Fixture.direct, accountId: Fixture.me) }
            #expect(try await HTTP.get(sim.url("/rooms/\(Fixture.direct)"), token: Fixture.token).status == 403)
        }
    }
}
