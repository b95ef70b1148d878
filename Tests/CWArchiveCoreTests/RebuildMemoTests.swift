import ChatworkAPI
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// A rebuild remembers inserted messages and row ids instead of asking SQLite (``RebuildMemo``).
/// Whatever the records (the same message seen again, edited, deleted and seen again, many
/// messages in one second), it must give exactly the index that applying them one manifest at a
/// time gives, and so must a rebuild whose memo switches itself off halfway.
@Suite("Index: a rebuild with its memo equals ingestion manifest by manifest")
struct RebuildMemoTests {
    static func dump(_ index: ArchiveIndex) throws -> [String] {
        try index.dbPool.read { db in
            var out = try Row.fetchAll(db, sql: """
                SELECT id, room_id, message_id, version, account_id, body, status, send_time, update_time, observed_at, deleted_at
                FROM messages ORDER BY id
                """).map { $0.description }
            for token in ["会議", "予約", "edited", "\u{E000}r10", "\u{E000}r20", "\u{E000}a2"] {
                let ids = try Int64.fetchAll(db, sql: "SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid",
                                             arguments: ["\"\(token)\""])
                out.append("fts \(token) \(ids)")
            }
            for token in ["会", "予", "\u{E000}r10", "\u{E000}a2"] {
                let ids = try Int64.fetchAll(db, sql: "SELECT rowid FROM message_chars WHERE message_chars MATCH ? ORDER BY rowid",
                                             arguments: ["\"\(token)\""])
                out.append("chars \(token) \(ids)")
            }
            return out
        }
    }

    @Test(arguments: [1, 2, 3])
    func rebuildsEqualIncrementalIngestion(seed: UInt64) throws {
        let dir = TempDir("cwarchive-memo")
        let store = try ArchiveStore.open(at: dir.path("archive"), create: true)
        var rng = SeededGenerator(seed: seed)
        let t0 = 1_700_000_000
        let bodies = ["会議室を予約", "edited body", "予約の確認", "plain text", "会議は延期", ""]
        let incremental = try ArchiveIndex.open(store: store)
        for run in 1...4 {
            let runID = "r\(run)"
            let segment = try store.newSegment(runID: runID)
            for _ in 0..<150 {
                let room = [10, 20][Int(rng.next() % 2)]
                let id = String(1_000 + rng.next() % 60)
                let at = t0 + run * 10_000
                if rng.next() % 10 == 0 {
                    try segment.append(ArchiveRecord(run: runID, at: at, roomID: room,
                                                     payload: .messageDeleted(MessageDeletion(messageID: id, windowFrom: t0, windowTo: at))))
                    continue
                }
                // Few distinct seconds: many messages share one, so row ids need their n.
                let time = t0 + Int(rng.next() % 5)
                let update = rng.next() % 3 == 0 ? time + Int(rng.next() % 3) : 0
                let body = bodies[Int(rng.next() % UInt64(bodies.count))]
                try segment.append(ArchiveRecord(run: runID, at: at, roomID: room,
                                                 payload: .message(makeMessage(id, body: body, time: time, update: update,
                                                                               account: 1 + Int(rng.next() % 3)))))
            }
            try store.commit(runID: runID, entries: [try segment.finish()], runComplete: true)
            try incremental.catchUp(store: store)
        }
        let expected = try Self.dump(incremental)
        #expect(expected.count > 20)

        try FileManager.default.removeItem(at: store.indexURL)
        let rebuilt = try ArchiveIndex.rebuild(store: store)
        #expect(try Self.dump(rebuilt) == expected)

        let memo = RebuildMemo(limit: 20) // distinct messages: about 120
        let switchedOff = try ArchiveIndex.rebuild(store: store, memo: memo, progress: nil)
        #expect(!memo.isActive)
        #expect(try Self.dump(switchedOff) == expected)
    }
}
