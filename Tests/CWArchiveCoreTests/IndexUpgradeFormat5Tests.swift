import ChatworkAPI
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// An archive made by the version of index format 5 (row ids with 21 bits a second, the
/// unigrams in the same full-text table as the bigrams) keeps working: the first search rebuilds
/// the index into format 6 with one notice and answers as before.
@Suite("Index upgrade: a format-5 index is rebuilt into format 6 and answers the same")
struct IndexUpgradeFormat5Tests {
    /// Turns the fixture's index into what format 5 wrote.
    static func downgradeToFormat5(_ index: ArchiveIndex) throws {
        try index.dbPool.write { db in
            try db.execute(sql: "UPDATE messages SET id = ((id >> 3) << 21) + (id & 7)")
            try db.execute(sql: "DROP TABLE message_fts")
            try db.execute(sql: "DROP TABLE message_chars")
            try db.execute(sql: "CREATE INDEX messages_account ON messages (account_id, send_time)")
            try db.execute(sql: """
                CREATE VIRTUAL TABLE message_fts USING fts5(
                    terms, chars, content='', columnsize=0, detail=full, tokenize='\(IndexSchema.ftsTokenizer)')
                """)
            for row in try Row.fetchAll(db, sql: "SELECT id, room_id, account_id, body FROM messages") {
                let c = SearchText.columns(forBody: row["body"], roomID: row["room_id"], accountID: row["account_id"])
                let chars = SearchText.columns(forBody: row["body"]).chars
                try db.execute(sql: "INSERT INTO message_fts (rowid, terms, chars) VALUES (?, ?, ?)",
                               arguments: [row["id"] as Int64, c.terms, chars])
            }
            try db.execute(sql: "UPDATE meta SET value = '5' WHERE key = 'derivation'")
        }
    }

    static let queries = ["会", "稟", "会議", "3月", "meeting", "🍣", "C++", "会 -明日", "会 会議", "請求書"]

    static func answers(_ engine: SearchEngine) throws -> [String] {
        try queries.map { q in
            let ids = try engine.search(SearchQuery.parse(q), limit: 0).map(\.messageID)
            let since = try engine.search(SearchQuery.parse(q), filter: SearchFilter(since: SearchFixture.t0 + 450), limit: 0).map(\.messageID)
            return "\(q): \(ids) since: \(since)"
        }
    }

    @Test func theFirstSearchRebuildsAFormat5IndexAndAnswersTheSame() throws {
        let f = try SearchFixture()
        try IndexUpgradeTests.addMessages(f, ["寿司🍣", "C++で", "課題#1234"])
        let expected = try Self.answers(f.engine)
        let rows = try IndexUpgradeTests.rows(f.index)
        try Self.downgradeToFormat5(f.index)
        #expect(try f.index.derivationVersion() == 5)

        let first = f.command(SearchRequest(query: "稟", format: .json))
        #expect(first.code == SearchCommand.found)
        #expect(first.err.count == 1)
        let notice = first.err.first ?? ""
        #expect(notice.contains("index format 5, now \(IndexSchema.derivationVersion)") && notice.contains("rebuilding"), "\(notice)")
        #expect(first.out.contains("稟議書"))

        let reopened = try ArchiveIndex.openForReading(store: f.store, notice: { Issue.record("second notice: \($0)") })
        #expect(try reopened.derivationVersion() == 6)
        #expect(try IndexUpgradeTests.rows(reopened) == rows)
        #expect(try Self.answers(SearchEngine(index: reopened)) == expected)
        let layout = try reopened.dbPool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name IN ('message_chars', 'messages_account') ORDER BY name")
        }
        #expect(layout == ["message_chars"])
    }
}
