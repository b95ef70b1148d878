import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// The export's cursor gives a room's rows in `ORDER BY send_time, length(message_id),
/// message_id, version` although SQLite only sorts them by send time: the rows of one second are
/// ordered by the cursor.
@Suite("Export: message order within a second")
struct ExportOrderTests {
    @Test func rowsOfOneSecondComeInMessageIDThenVersionOrder() throws {
        let tmp = TempDir("export-order")
        defer { withExtendedLifetime(tmp) {} }
        var b = try ExportArchiveBuilder(at: tmp.path("archive"))
        let t = b.clock
        b.room(1, "Order")
        b.message(1, "99", "a", at: t)
        b.message(1, "100", "b", at: t)
        b.message(1, "5", "c", at: t)
        b.message(1, "1000", "d", at: t)
        b.message(1, "7", "e", at: t + 1)
        b.message(1, "6", "f", at: t - 1)
        b.message(1, "100", "b edited", at: t, updated: t + 50)
        b.message(1, "42", "g", at: t + 1)
        let index = try b.commit()

        let order = "ORDER BY send_time, length(message_id), message_id, version"
        let expected = try index.dbPool.read { db in
            try Row.fetchAll(db, sql: "SELECT message_id, version FROM messages WHERE room_id = 1 \(order)")
                .map { "\($0["message_id"] as String) v\($0["version"] as Int)" }
        }
        #expect(expected == ["6 v1", "5 v1", "99 v1", "100 v1", "100 v2", "1000 v1", "7 v1", "42 v1"])
        let exported = try index.readForExport { q in
            let cursor = try q.messages(roomID: 1, range: ExportRange(), history: true)
            var ids: [String] = []
            while let m = try cursor.next() { ids.append("\(m.messageID) v\(m.version)") }
            return ids
        }
        #expect(exported == expected)
    }

    @Test func lengthCountsCharactersBeforeANULAsSQLiteDoes() {
        #expect(ExportMessageCursor.sqlLength("12345") == 5)
        #expect(ExportMessageCursor.sqlLength("日本") == 2)
        #expect(ExportMessageCursor.sqlLength("ab\u{0}cd") == 2)
    }
}
