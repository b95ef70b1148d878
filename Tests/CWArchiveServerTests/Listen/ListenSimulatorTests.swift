import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
@testable import CWArchiveServer

/// The whole path over loopback: the simulator posts signed deliveries as Chatwork does, the
/// listener takes them, and `archive` runs before and after see one archive.
@Suite(.serialized) struct ListenSimulatorTests {
    static let busyRoom = 2000006
    static let token = "demo-token-0000"

    private func archiveRun(_ sim: ChatworkSimulator, _ archiveURL: URL) async throws -> RunSummary {
        let store = try ArchiveStore.open(at: archiveURL, create: true)
        var config = ChatworkClientConfiguration(baseURL: sim.baseURL)
        config.backoffBase = 0.01
        config.backoffMaximum = 0.05
        let client = ChatworkClient(credential: .apiToken(Self.token), configuration: config)
        do {
            let s = try await Archiver(store: store, client: client, options: ArchiveOptions()).run()
            try await client.shutdown()
            return s
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func messagesPostedBetweenTwoRunsAreAllArchivedThroughTheListener() async throws {
        guard let dir = ChatworkSimulator.sampleWorkspaceDirectory() else { Issue.record("no sample workspace"); return }
        let sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: dir))
        try await sim.start(port: 0)
        let f = try ListenFixture(rooms: [Self.busyRoom])
        defer { f.cleanUp() }
        let hooks = SimWebhookSender(simulator: sim)
        do {
            _ = try await archiveRun(sim, f.archiveURL)
            try await f.start()
            try hooks.addRoomWebhook(roomId: Self.busyRoom, url: f.url, token: f.tokens[Self.busyRoom] ?? "")
            let author = try #require(sim.workspace.room(Self.busyRoom)?.messages.last?.accountId)
            var ids: [String] = []
            for n in 1...150 {
                // Some deliveries arrive twice, as Chatwork may send them.
                hooks.mode = n % 10 == 0 ? .twice : .normal
                ids.append(try await hooks.postMessage(roomId: Self.busyRoom, accountId: author, body: "live \(n)"))
            }
            hooks.mode = .normal
            try await hooks.editMessage(roomId: Self.busyRoom, messageId: ids[0], body: "live 1 (edited)")
            // A delivery with a bad signature is refused and stores nothing.
            hooks.mode = .badSignature
            let forged = try await hooks.postMessage(roomId: Self.busyRoom, accountId: author, body: "forged delivery")
            hooks.mode = .normal
            #expect(hooks.deliveries.filter { $0.status == 200 }.count == 150 + 15 + 1)
            #expect(hooks.deliveries.last?.status == 401)

            // The next nightly run commits the spool itself, while the listener keeps running.
            let summary = try await archiveRun(sim, f.archiveURL)
            #expect(summary.gaps.isEmpty)
            try await f.stop()
            try await hooks.shutdown()
            await sim.stop()

            for (n, id) in ids.enumerated() {
                let archived = try f.archived(room: Self.busyRoom, messageID: id)
                #expect(archived?.body == (n == 0 ? "live 1 (edited)" : "live \(n + 1)"))
            }
            // The forged one reached the archive only through the API (the nightly run), not the listener.
            #expect(!(try f.messageRecords(runPrefix: "listen-")).contains { $0.messageID == forged })
            let versions = try f.messageRecords().filter { ids.contains($0.messageID) }.map { $0.messageID + $0.body }
            #expect(versions.count == Set(versions).count, "a version was stored twice")
            #expect(try ArchiveVerifier(store: f.store()).verify().isIntact)
        } catch {
            try? await f.stop()
            try? await hooks.shutdown()
            await sim.stop()
            throw error
        }
    }

    @Test func aGapWhileTheListenerWasUpIsCoveredAndAMentionIsFetchedById() async throws {
        guard let dir = ChatworkSimulator.sampleWorkspaceDirectory() else { Issue.record("no sample workspace"); return }
        let sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: dir))
        try await sim.start(port: 0)
        let f = try ListenFixture(rooms: [Self.busyRoom])
        defer { f.cleanUp() }
        let hooks = SimWebhookSender(simulator: sim)
        do {
            try await f.start()
            try hooks.addRoomWebhook(roomId: Self.busyRoom, url: f.url, token: f.tokens[Self.busyRoom] ?? "")
            let author = try #require(sim.workspace.room(Self.busyRoom)?.messages.last?.accountId)
            try await hooks.postMessage(roomId: Self.busyRoom, accountId: author, body: "captured live")
            _ = try await archiveRun(sim, f.archiveURL)
            // 150 messages whose deliveries never arrive (a listener cannot tell).
            hooks.mode = .never
            for n in 1...150 { try await hooks.postMessage(roomId: Self.busyRoom, accountId: author, body: "lost \(n)") }
            hooks.mode = .normal
            try await f.stop()   // the stop records the uptime up to now

            // A mention of an old message the archive lacks (outside every window it saw).
            let candidates = sim.workspace.room(Self.busyRoom)?.messages.filter { !$0.deleted } ?? []
            let old = try #require(try candidates.first { try f.archived(room: Self.busyRoom, messageID: $0.messageId) == nil })
            let mention = Data(#"{"webhook_setting_id":"7","webhook_event_type":"mention_to_me","webhook_event_time":1,"webhook_event":{"from_account_id":\#(old.accountId),"to_account_id":1,"room_id":\#(Self.busyRoom),"message_id":"\#(old.messageId)","body":"x","send_time":\#(old.sendTime),"update_time":0}}"#.utf8)
            let spool = try WebhookSpool(store: f.store())
            #expect(try spool.add(mention, receivedAt: Date()) == .stored)

            let summary = try await archiveRun(sim, f.archiveURL)
            #expect(summary.gaps.count == 1)
            #expect(summary.gaps.first?.coveredByWebhook == true)
            #expect(summary.exitCode == 0)
            let status = try StatusReport.load(store: f.store())
            let room = try #require(status.rooms.first { $0.roomID == Self.busyRoom })
            #expect(room.gaps.last?.coveredByWebhook == true)
            #expect(status.text.contains("An undelivered webhook cannot be detected"))
            let json = String(decoding: try JSONEncoder().encode(status), as: UTF8.self)
            #expect(json.contains("\"covered_by_webhook\":true"))
            #expect(try f.archived(room: Self.busyRoom, messageID: old.messageId)?.body == old.body)
            try await hooks.shutdown()
            await sim.stop()
        } catch {
            try? await f.stop()
            try? await hooks.shutdown()
            await sim.stop()
            throw error
        }
    }
}
