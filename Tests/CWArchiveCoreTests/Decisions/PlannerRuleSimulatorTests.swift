import ChatworkAPI
import ChatworkSimulator
@testable import CWArchiveCore
import Foundation
import GRDB
import Testing

/// The planner's rules (issue 14) over the simulator and loopback HTTP: after a first run of the
/// sample workspace, one change as Chatwork's web client makes it (with its system message),
/// then a second run. Each test checks the exact requests made for the room, that the archive
/// now holds the change, and the report's `requests_by_reason`.
@Suite("Planner rules over the simulator", .serialized)
struct PlannerRuleSimulatorTests {
    typealias Rig = PlannerSimulatorRig
    static let room = Rig.project
    /// What every second run costs before the rooms: the 5 account endpoints and `/rooms`.
    static let fixed = ["account": 5, "room_list": 1]

    static func reasons(_ extra: [String: Int]) -> [String: Int] { fixed.merging(extra) { a, _ in a } }

    @Test("a member added: the messages and the members, nothing else; the new member is archived")
    func memberAdded() async throws {
        try await Rig.with { rig in
            try rig.change { ws, t in try ws.addMemberAnnounced(roomId: Self.room, accountId: 1_000_005, by: Rig.me, at: t) }
            let r = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room), "/rooms/\(Self.room)/members"], "\(rig.sim.requestLog())")
            #expect(r.requestsByReason == Self.reasons(["messages": 1, "members:system_text": 1]), "\(r.requestsByReason)")
            #expect(r.requests == rig.sim.requestCount)
            #expect(r.exitCode == 0, "\(r.failures)")
            let members = try rig.index().membersJSON(roomID: Self.room)
            #expect(members.count == 5)
            #expect(members.contains { $0.contains("1000005") })
        }
    }

    @Test("a member left: the members again, and the archive no longer lists them")
    func memberLeft() async throws {
        try await Rig.with { rig in
            try rig.change { ws, t in try ws.leaveRoomAnnounced(roomId: Self.room, accountId: 1_000_003, at: t) }
            let r = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room), "/rooms/\(Self.room)/members"], "\(rig.sim.requestLog())")
            #expect(r.requestsByReason["members:system_text"] == 1)
            #expect(!(try rig.index().membersJSON(roomID: Self.room)).contains { $0.contains("1000003") })
        }
    }

    @Test("a description changed: the room details, and the new description archived and kept")
    func descriptionChanged() async throws {
        try await Rig.with { rig in
            try rig.change { ws, t in try ws.setDescriptionAnnounced(roomId: Self.room, "第2期の開発用チャットです。", by: Rig.me, at: t) }
            let r = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room), "/rooms/\(Self.room)"], "\(rig.sim.requestLog())")
            #expect(r.requestsByReason == Self.reasons(["messages": 1, "details:system_text": 1]), "\(r.requestsByReason)")
            #expect(try rig.index().plannerRows()[Self.room]?.description == "第2期の開発用チャットです。")
            // A plain message later: the messages only, and the description stays.
            try rig.change { ws, t in try ws.addMessage(roomId: Self.room, accountId: Rig.hanako, body: "了解です", at: t) }
            let plain = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room)], "\(rig.sim.requestLog())")
            #expect(plain.requestsByReason == Self.reasons(["messages": 1]))
            #expect(try rig.index().plannerRows()[Self.room]?.description == "第2期の開発用チャットです。")
        }
    }

    @Test("a room renamed: the details (the name in /rooms differs too); the new name archived")
    func renamed() async throws {
        try await Rig.with { rig in
            try rig.change { ws, t in try ws.renameRoomAnnounced(roomId: Self.room, "プロジェクトA 保守チーム", by: Rig.me, at: t) }
            let r = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room), "/rooms/\(Self.room)"], "\(rig.sim.requestLog())")
            #expect(r.requestsByReason == Self.reasons(["messages": 1, "details:room_list": 1]), "\(r.requestsByReason)")
            #expect(try rig.index().plannerRows()[Self.room]?.name == "プロジェクトA 保守チーム")
        }
    }

    @Test("a task done: both task lists, and the task archived as done")
    func taskDone() async throws {
        try await Rig.with { rig in
            let open = try #require(rig.sim.workspace.room(Self.room)?.tasks.first { $0.status == .open })
            let openBefore = try rig.index().openTaskCount(roomID: Self.room)
            try rig.change { ws, t in try ws.completeTaskAnnounced(roomId: Self.room, taskId: open.taskId, by: open.accountId, at: t) }
            let r = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room), "/rooms/\(Self.room)/tasks?status=open", "/rooms/\(Self.room)/tasks?status=done"],
                    "\(rig.sim.requestLog())")
            // task_num counts every task, open or done: the system text is the reason.
            #expect(r.requestsByReason == Self.reasons(["messages": 1, "tasks:system_text": 2]), "\(r.requestsByReason)")
            #expect(try rig.index().openTaskCount(roomID: Self.room) == openBefore - 1)
            let archived = try rig.index().tasksJSON(roomID: Self.room).first { $0.contains("\"task_id\":\(open.taskId)") }
            #expect(archived?.contains("\"status\":\"done\"") == true, "\(archived ?? "no such task")")
        }
    }

    @Test("a task added: both task lists (task_num moved), the new task archived open")
    func taskAdded() async throws {
        try await Rig.with { rig in
            let id = try rig.change { ws, t in try ws.addTask(roomId: Self.room, assignee: Rig.me, assignedBy: Rig.hanako, body: "議事録の確認", at: t) }
            let r = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room), "/rooms/\(Self.room)/tasks?status=open", "/rooms/\(Self.room)/tasks?status=done"],
                    "\(rig.sim.requestLog())")
            #expect(r.requestsByReason == Self.reasons(["messages": 1, "tasks:task_num": 2]), "\(r.requestsByReason)")
            #expect(try rig.index().tasksJSON(roomID: Self.room).contains { $0.contains("\"task_id\":\(id)") && $0.contains("\"open\"") })
        }
    }

    @Test("a file uploaded: the file list and the file's download URL; the blob holds the file's bytes")
    func fileUploaded() async throws {
        try await Rig.with { rig in
            let (fileID, _) = try rig.change { ws, t in try ws.addFile(roomId: Self.room, accountId: Rig.hanako, filename: "議事録.txt", size: 4_321, at: t) }
            let r = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room), "/rooms/\(Self.room)/files", "/rooms/\(Self.room)/files/\(fileID)?create_download_url=1"],
                    "\(rig.sim.requestLog())")
            #expect(r.requestsByReason == Self.reasons(["messages": 1, "files:file_num": 1, "downloads": 1]), "\(r.requestsByReason)")
            #expect(r.files.downloaded == 1)
            #expect(rig.sim.downloadCount == 1)
            #expect(try rig.index().fileStatuses(roomID: Self.room)[fileID] == "stored")
            let sha = try rig.h.read { db in
                try String.fetchOne(db, sql: "SELECT sha256 FROM files WHERE room_id = ? AND file_id = ?", arguments: [Self.room, fileID])
            }
            let store = try ArchiveStore.open(at: rig.h.archiveURL, create: false)
            let blob = try Data(contentsOf: store.blobURL(sha256: try #require(sha)))
            #expect(blob == rig.sim.expectedBytes(roomId: Self.room, fileId: fileID))
        }
    }

    @Test("a role change in /rooms: details and members; becoming admin also reads the invite link; then the link waits for the refresh")
    func roleChange() async throws {
        let room = Rig.announcements
        try await Rig.with { rig in
            #expect(try rig.index().plannerRows()[room]?.role == "readonly")
            try rig.change { ws, t in try ws.setMember(roomId: room, accountId: Rig.me, role: .admin, at: t) }
            let r = try await rig.archive()
            #expect(Set(rig.requests(room: room)) == [Rig.messages(room), "/rooms/\(room)", "/rooms/\(room)/members", "/rooms/\(room)/link"],
                    "\(rig.sim.requestLog())")
            #expect(rig.requests(room: room).count == 4)
            #expect(r.requestsByReason == Self.reasons(["messages": 1, "details:role_change": 1, "members:role_change": 1, "link:role_change": 1]),
                    "\(r.requestsByReason)")
            #expect(try rig.index().plannerRows()[room]?.role == "admin")
            #expect(try rig.index().membersJSON(roomID: room).contains { $0.contains("1000001") && $0.contains("\"admin\"") })
            try rig.change { ws, t in try ws.addMessage(roomId: room, accountId: Rig.hanako, body: "お知らせです", at: t) }
            try await rig.archive()
            #expect(rig.requests(room: room) == [Rig.messages(room)], "\(rig.sim.requestLog())")
        }
    }

    @Test("a refresh is due after --refresh-days: every part of a changed room again; not before; 0 refreshes every run")
    func refreshDue() async throws {
        let plain = { (rig: Rig) throws in
            try rig.change { ws, t in
                try ws.addMessage(roomId: Self.room, accountId: Rig.hanako, body: "進捗どうですか", at: t)
                try ws.addMessage(roomId: Rig.announcements, accountId: Rig.hanako, body: "お知らせ", at: t)
            }
        }
        try await Rig.with { rig in
            rig.clock.advance(by: 6 * 86_400)
            try plain(rig)
            let early = try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room)], "six days: not due: \(rig.sim.requestLog())")
            #expect(early.requestsByReason == Self.reasons(["messages": 2]))
            rig.clock.advance(by: 86_400)
            try plain(rig)
            let due = try await rig.archive()
            let project = rig.requests(room: Self.room)
            #expect(Set(project) == [Rig.messages(Self.room), "/rooms/\(Self.room)", "/rooms/\(Self.room)/members", "/rooms/\(Self.room)/tasks?status=open",
                                     "/rooms/\(Self.room)/tasks?status=done", "/rooms/\(Self.room)/files", "/rooms/\(Self.room)/link"], "\(project)")
            #expect(project.count == 7)
            // The announcements: no task, no file, not an administrator: details and members only.
            #expect(Set(rig.requests(room: Rig.announcements)) == [Rig.messages(Rig.announcements), "/rooms/\(Rig.announcements)", "/rooms/\(Rig.announcements)/members"])
            #expect(due.requestsByReason == Self.reasons(["messages": 2, "details:refresh": 2, "members:refresh": 2, "tasks:refresh": 2,
                                                          "files:refresh": 1, "link:refresh": 1]), "\(due.requestsByReason)")
            #expect(due.files.downloaded == 0, "stored files are not downloaded again")
            // Right after the refresh: not due again; with --refresh-days 0 every run refreshes.
            try plain(rig)
            try await rig.archive()
            #expect(rig.requests(room: Self.room) == [Rig.messages(Self.room)])
            try plain(rig)
            let every = try await rig.archive { $0.refreshDays = 0 }
            #expect(rig.requests(room: Self.room).count == 7)
            #expect(every.requestsByReason["details:refresh"] == 2)
        }
    }
}
