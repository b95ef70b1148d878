import ChatworkSimulator
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import CWArchiveCore
@testable import CWArchiveServer

/// What a stop at a bad moment leaves: every delivery answered 200 is in the archive after the
/// next start, once, and `verify` passes; a locked archive makes the listener wait, not drop.
@Suite(.serialized) struct ListenDurabilityTests {
    @Test func anAbruptStopAfter200LosesNothingAfterARestart() async throws {
        let f = try ListenFixture()
        defer { f.cleanUp() }
        let poster = SimWebhookPoster()
        // A listener that never commits (a kill before the first commit).
        try await f.start(commitOnStop: false)
        var ids: [String] = []
        for n in 0..<20 {
            let id = String(9_100_000_000_000_000_000 + n)
            ids.append(id)
            let body = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: id, body: "kept \(n)", sendTime: 1_700_000_000 + n)
            #expect(await poster.post(body, signature: WebhookSignature.sign(body, key: f.key(room: ListenFixture.roomA)), to: f.url) == 200)
        }
        try await f.stop()
        #expect(try f.store().manifests().isEmpty)
        // The next start commits the spool before it takes new deliveries.
        try await f.start()
        try await f.stop()
        try await poster.shutdown()
        for id in ids { #expect(try f.archived(room: ListenFixture.roomA, messageID: id) != nil) }
        let messages = try f.messageRecords()
        #expect(messages.count == 20)
        #expect(try ArchiveVerifier(store: f.store()).verify().isIntact)
    }

    @Test func aCommitKilledAfterItsManifestIsNotCommittedTwice() throws {
        let f = try ListenFixture()
        defer { f.cleanUp() }
        let store = try f.store()
        let spool = try WebhookSpool(store: store)
        let mention = Data(#"{"webhook_event_type":"mention_to_me","webhook_event":{"room_id":1001,"message_id":"5"}}"#.utf8)
        #expect(try spool.add(mention, receivedAt: Date(timeIntervalSince1970: 1_700_000_000)) == .stored)
        // Simulate the kill: the intent is written and the data file committed, but the spool is not cleared.
        let entries = spool.pending()
        let runID = "listen-20240101T000000Z-dead"
        let intent = WebhookSpoolCommitter.Intent(runID: runID, files: entries.map(\.name))
        try DurableFile.writeAtomically(try JSONEncoder().encode(intent), to: spool.intentURL, tmpDir: spool.tmpDirectory)
        let kept = WebhookEventRecord(eventType: "mention_to_me", messageID: "5", eventTime: nil, raw: mention)
        let segment = try store.newSegment(runID: runID)
        try segment.append(ArchiveRecord(run: runID, at: 1_700_000_000, roomID: 1001, payload: .webhookEvent(kept)))
        try store.commit(runID: runID, entries: [try segment.finish()], runComplete: true)

        let index = try ArchiveIndex.open(store: store)
        let result = try WebhookSpoolCommitter.commit(spool: spool, store: store, index: index)
        #expect(result.events == 0)
        #expect(spool.pending().isEmpty)
        let events = try f.keptEvents()
        #expect(events.count == 1)
        // And the same body delivered again is a duplicate.
        #expect(try spool.add(mention, receivedAt: Date()) == .duplicate)
    }

    @Test func aLockedArchiveMakesTheListenerWaitAndKeepTakingDeliveries() async throws {
        let f = try ListenFixture()
        defer { f.cleanUp() }
        let poster = SimWebhookPoster()
        try await f.start()
        let store = try f.store()
        let lock = try store.acquireLock()   // as a nightly `archive` run would
        let body = ListenFixture.messageBody(room: ListenFixture.roomB, messageID: "9200000000000000001", body: "during the run")
        #expect(await poster.post(body, signature: WebhookSignature.sign(body, key: f.key(room: ListenFixture.roomB)), to: f.url) == 200)
        let server = try #require(f.server)
        guard case .locked = try server.committer.commit() else { Issue.record("committed under another writer's lock"); return }
        #expect(server.spool.pending().count == 1)
        lock.release()
        guard case .committed(let r) = try server.committer.commit() else { Issue.record("not committed after the lock went"); return }
        #expect(r.messages == 1)
        try await f.stop()
        try await poster.shutdown()
        #expect(try f.archived(room: ListenFixture.roomB, messageID: "9200000000000000001")?.body == "during the run")
    }

    @Test func tokenFilesOthersCanReadAreRefusedWithoutShowingTheToken() throws {
        let f = try ListenFixture()
        defer { f.cleanUp() }
        let path = f.tokenPath(room: ListenFixture.roomA)
        chmod(path, 0o644)
        do {
            _ = try WebhookToken.read(path: path, flag: "--webhook \(ListenFixture.roomA)")
            Issue.record("a world-readable token file was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("chmod 600"))
            #expect(!text.contains(f.tokens[ListenFixture.roomA] ?? "?"))
        }
        chmod(path, 0o600)
        let token = try WebhookToken.read(path: path, flag: "--webhook")
        #expect(!"\(token)".contains(f.tokens[ListenFixture.roomA] ?? "?"))
        #expect(!String(reflecting: token).contains(f.tokens[ListenFixture.roomA] ?? "?"))
    }
}
