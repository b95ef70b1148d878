import ChatworkAPI
import Foundation
import GRDB
@testable import CWArchiveCore

/// A small archive built through the real store and index, for the search tests.
///
/// Times: `t0` is 2024-04-30T18:00:00Z (2024-05-01 03:00 in Tokyo); message n is sent at t0 + 100·n
/// except 1010, three days later. Rooms: 10 企画室, 20 Dev Team. Message 1008 was edited in run 2,
/// message 1009 deleted in run 2.
struct SearchFixture {
    static let t0 = 1_714_500_000
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    let dir: TempDir
    let store: ArchiveStore
    let index: ArchiveIndex
    var engine: SearchEngine { SearchEngine(index: index) }

    static let bodies: [(id: String, room: Int, account: Int, time: Int, body: String)] = [
        ("1001", 10, 1, t0 + 100, "明日の会議は会議室Aで行います"),
        ("1002", 10, 2, t0 + 200, "稟議書を提出しました"),
        ("1003", 20, 1, t0 + 300, "Meeting notes: the Swift build is green"),
        ("1004", 20, 2, t0 + 400, "ＡＢＣ株式会社との打ち合わせ"),
        ("1005", 20, 1, t0 + 500, "ｶﾀｶﾅのテスト"),
        ("1006", 10, 3, t0 + 600, "社会人として"),
        ("1007", 20, 2, t0 + 700, "We will meet tomorrow"),
        ("1008", 10, 1, t0 + 800, "予算案の初稿"),
        ("1009", 10, 2, t0 + 900, "誤送信メッセージ"),
        ("1010", 10, 1, t0 + 3 * 86_400, "3月末の会議"),
        ("1011", 20, 3, t0 + 1_100, "[To:1]田中さん\n請求書 \u{1B}[31mred\u{1B}[0m =SUM(A1), \"quoted\""),
        ("1012", 20, 2, t0 + 1_200, "ｶﾞｲﾄﾞのﾊﾟｽ"),
    ]

    init() throws {
        dir = TempDir("cwarchive-search")
        store = try ArchiveStore.open(at: dir.path("archive"), create: true)

        let run1 = try store.newSegment(runID: "r1")
        for (id, name) in [(10, "企画室"), (20, "Dev Team")] {
            try run1.append(ArchiveRecord(run: "r1", at: Self.t0, roomID: id,
                                          payload: .room(Room(roomID: id, name: name, type: .group, role: .admin))))
        }
        for m in Self.bodies {
            try run1.append(ArchiveRecord(run: "r1", at: Self.t0 + 5_000, roomID: m.room,
                                          payload: .message(makeMessage(m.id, body: m.body, time: m.time, account: m.account))))
        }
        try store.commit(runID: "r1", entries: [try run1.finish()], runComplete: true)

        let run2 = try store.newSegment(runID: "r2")
        try run2.append(ArchiveRecord(run: "r2", at: Self.t0 + 9_000, roomID: 10,
                                      payload: .message(makeMessage("1008", body: "予算案の最終稿", time: Self.t0 + 800,
                                                                    update: Self.t0 + 8_000, account: 1))))
        try run2.append(ArchiveRecord(run: "r2", at: Self.t0 + 9_000, roomID: 10,
                                      payload: .messageDeleted(MessageDeletion(messageID: "1009", windowFrom: Self.t0, windowTo: Self.t0 + 9_000))))
        try store.commit(runID: "r2", entries: [try run2.finish()], runComplete: true)

        index = try ArchiveIndex.open(store: store)
    }

    /// Rewrites the full-text table as an ingestor that adds room and author tokens would
    /// (``SearchText/columns(forBody:roomID:accountID:)``).
    func addFilterTokens() throws {
        try index.dbPool.write { db in
            try db.execute(sql: "INSERT INTO message_fts(message_fts) VALUES('delete-all')")
            try db.execute(sql: "INSERT INTO message_chars(message_chars) VALUES('delete-all')")
            for row in try Row.fetchAll(db, sql: "SELECT id, room_id, account_id, body FROM messages") {
                let c = SearchText.columns(forBody: row["body"], roomID: row["room_id"], accountID: row["account_id"])
                try db.execute(sql: "INSERT INTO message_fts (rowid, terms) VALUES (?, ?)", arguments: [row["id"] as Int64, c.terms])
                try db.execute(sql: "INSERT INTO message_chars (rowid, chars) VALUES (?, ?)", arguments: [row["id"] as Int64, c.chars])
            }
        }
    }

    /// The message IDs found for `query`, in result order.
    func ids(_ query: String, _ filter: SearchFilter = SearchFilter(), sort: SearchSort = .newest, limit: Int = 0) throws -> [String] {
        try engine.search(SearchQuery.parse(query), filter: filter, sort: sort, limit: limit).map(\.messageID)
    }

    /// Runs the command as the CLI does; returns the exit code, standard output and error lines.
    func command(_ request: SearchRequest, highlight: Bool = false) -> (code: Int32, out: String, err: [String]) {
        var out = ""
        var err: [String] = []
        let code = SearchCommand.run(request, timeZone: Self.tokyo, highlight: highlight,
                                     openStore: { try ArchiveStore.open(at: store.root, create: false) },
                                     out: { out += $0 }, err: { err.append($0) })
        return (code, out, err)
    }
}
