import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
@testable import CWArchiveServer

/// Real HTTP deliveries, signed like Chatwork's, to a listener on 127.0.0.1 port 0.
@Suite(.serialized) struct ListenDeliveryTests {
    let poster = SimWebhookPoster()

    private func withListener(_ body: (ListenFixture) async throws -> Void) async throws {
        let f = try ListenFixture()
        try await f.start()
        do { try await body(f) } catch {
            try? await f.stop(); try? await poster.shutdown(); f.cleanUp(); throw error
        }
        try await f.stop()
        try await poster.shutdown()
        f.cleanUp()
    }

    private func signed(_ body: Data, _ key: [UInt8]) -> String { WebhookSignature.sign(body, key: key) }

    @Test func signedDeliveryIsAnswered200OnlyOnceSpooledAndThenCommitted() async throws {
        try await withListener { f in
            let body = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: "9000000000000000001", body: "hello [b]world[/b]")
            let status = await poster.post(body, signature: signed(body, f.key(room: ListenFixture.roomA)), to: f.url)
            #expect(status == 200)
            let spool = try #require(f.server?.spool)
            #expect(spool.pending().count == 1)
            #expect(spool.body(of: spool.pending()[0]) == body)
            let outcome = try #require(f.server?.committer).commit()
            guard case .committed(let r) = outcome else { Issue.record("not committed: \(outcome)"); return }
            #expect(r.messages == 1)
            #expect(spool.pending().isEmpty)
            let archived = try #require(try f.archived(room: ListenFixture.roomA, messageID: "9000000000000000001"))
            #expect(archived.body == "hello [b]world[/b]")
            #expect(try ArchiveVerifier(store: f.store()).verify().isIntact)
        }
    }

    @Test func signatureInTheQueryParameterIsAccepted() async throws {
        try await withListener { f in
            let body = ListenFixture.messageBody(room: ListenFixture.roomB, messageID: "9000000000000000002", body: "via query")
            let status = await poster.post(body, signature: signed(body, f.key(room: ListenFixture.roomB)), to: f.url, inQuery: true)
            #expect(status == 200)
            #expect(f.server?.spool.pending().count == 1)
        }
    }

    @Test func badSignaturesAreRefusedAndNeverWritten() async throws {
        try await withListener { f in
            let body = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: "9000000000000000003", body: "forged")
            // No signature, garbage, a signature of other bytes, the token of another room, the account token.
            #expect(await poster.post(body, signature: nil, to: f.url) == 401)
            #expect(await poster.post(body, signature: "not base64 !!", to: f.url) == 401)
            #expect(await poster.post(body, signature: signed(Data("other".utf8), f.key(room: ListenFixture.roomA)), to: f.url) == 401)
            #expect(await poster.post(body, signature: signed(body, f.key(room: ListenFixture.roomB)), to: f.url) == 401)
            #expect(await poster.post(body, signature: signed(body, f.accountKey), to: f.url) == 401)
            // A room no --webhook is configured for.
            let other = ListenFixture.messageBody(room: 777, messageID: "9000000000000000004", body: "x")
            #expect(await poster.post(other, signature: signed(other, f.key(room: ListenFixture.roomA)), to: f.url) == 401)
            // A body changed after signing.
            var tampered = body
            tampered.append(0x20)
            #expect(await poster.post(tampered, signature: signed(body, f.key(room: ListenFixture.roomA)), to: f.url) == 401)
            let spool = try #require(f.server?.spool)
            #expect(spool.pending().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool.directory.path).filter { $0.hasSuffix(".body") }.isEmpty)
        }
    }

    @Test func methodsPathsAndSizesAreRefused() async throws {
        try await withListener { f in
            let body = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: "9000000000000000005", body: "x")
            let sig = signed(body, f.key(room: ListenFixture.roomA))
            #expect(await poster.post(body, signature: sig, to: f.url, method: "GET") == 405)
            #expect(await poster.post(body, signature: sig, to: f.url, method: "PUT") == 405)
            #expect(await poster.post(body, signature: sig, to: URL(string: "http://127.0.0.1:\(f.port)/other")!) == 404)
            #expect(await poster.post(body, signature: sig, to: URL(string: "http://127.0.0.1:\(f.port)/chatwork/webhook/x")!) == 404)
            let big = Data(repeating: 0x61, count: (1 << 20) + 1)
            let bigStatus = await poster.post(big, signature: signed(big, f.key(room: ListenFixture.roomA)), to: f.url)
            // 413, or the connection closed before the client read it: never a 200.
            #expect(bigStatus == 413 || bigStatus == nil)
            #expect(f.server?.spool.pending().isEmpty == true)
        }
    }

    @Test func aDuplicateDeliveryIsStoredOnce() async throws {
        try await withListener { f in
            let body = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: "9000000000000000006", body: "twice")
            let sig = signed(body, f.key(room: ListenFixture.roomA))
            #expect(await poster.post(body, signature: sig, to: f.url) == 200)
            #expect(await poster.post(body, signature: sig, to: f.url) == 200)
            let server = try #require(f.server)
            #expect(server.spool.pending().count == 1)
            _ = try server.committer.commit()
            let manifests = try f.store().manifests().count
            // Delivered again after its commit: answered 200, nothing added.
            #expect(await poster.post(body, signature: sig, to: f.url) == 200)
            _ = try server.committer.commit()
            #expect(try f.store().manifests().count == manifests)
            let messages = try f.messageRecords().filter { $0.messageID == "9000000000000000006" }
            #expect(messages.count == 1)
        }
    }

    @Test func anEditIsANewVersionAndAnOutOfOrderOldOneIsNot() async throws {
        try await withListener { f in
            let key = f.key(room: ListenFixture.roomA)
            let id = "9000000000000000007"
            let created = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: id, body: "first")
            let edited = ListenFixture.messageBody(type: "message_updated", room: ListenFixture.roomA, messageID: id, body: "second", updateTime: 1_700_000_100)
            #expect(await poster.post(edited, signature: signed(edited, key), to: f.url) == 200)
            #expect(await poster.post(created, signature: signed(created, key), to: f.url) == 200)
            _ = try #require(f.server).committer.commit()
            #expect(try f.archived(room: ListenFixture.roomA, messageID: id)?.body == "second")
            let versions = try f.messageRecords().filter { $0.messageID == id }.map(\.body)
            #expect(versions == ["first", "second"])
        }
    }

    @Test func signedBodiesOfAnUnexpectedShapeAndMentionsAreKeptAsReceived() async throws {
        try await withListener { f in
            let odd = Data(#"{"webhook_event_type":"message_created","webhook_event":{"room_id":1001,"message_id":12,"body":null}}"#.utf8)
            let notJSON = Data([0xFF, 0x00, 0x41])
            let mention = Data(#"{"webhook_setting_id":"9","webhook_event_type":"mention_to_me","webhook_event_time":1,"webhook_event":{"from_account_id":2,"to_account_id":1,"room_id":1001,"message_id":"5","body":"[To:1] hi","send_time":1,"update_time":0}}"#.utf8)
            #expect(await poster.post(odd, signature: signed(odd, f.key(room: ListenFixture.roomA)), to: f.url) == 200)
            #expect(await poster.post(notJSON, signature: signed(notJSON, f.key(room: ListenFixture.roomB)), to: f.url) == 200)
            #expect(await poster.post(mention, signature: signed(mention, f.accountKey), to: f.url) == 200)
            // A mention signed with a room token is not the account webhook's.
            let forged = Data(#"{"webhook_event_type":"mention_to_me","webhook_event":{"room_id":1001}}"#.utf8)
            #expect(await poster.post(forged, signature: signed(forged, f.key(room: ListenFixture.roomA)), to: f.url) == 401)
            _ = try #require(f.server).committer.commit()
            let kept = try f.keptEvents()
            #expect(kept.count == 3)
            #expect(Set(kept.compactMap(\.rawBody)) == [odd, notJSON, mention])
            #expect(kept.contains { $0.eventType == "mention_to_me" && $0.messageID == "5" })
            #expect(try ArchiveVerifier(store: f.store()).verify().isIntact)
        }
    }
}
