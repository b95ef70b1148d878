import ChatworkAPI
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// An archive made by the version before the index format 4 keeps working: the first command
/// that needs the index rebuilds it from the data files, under the archive's lock, with a
/// one-line notice, and answers the same; nothing archived changes.
@Suite("Index upgrade: an index of the previous format is rebuilt automatically")
struct IndexUpgradeTests {
    /// Turns the fixture's index into what the previous version wrote: format 3, its FTS5
    /// table (`unicode61`) filled by its tokenizer (``OldTokenizer``).
    static func downgrade(_ index: ArchiveIndex) throws {
        try index.dbPool.write { db in
            try db.execute(sql: "DROP TABLE message_fts")
            try db.execute(sql: """
                CREATE VIRTUAL TABLE message_fts USING fts5(
                    terms, chars, content='', columnsize=0, detail=full,
                    tokenize='unicode61 remove_diacritics 0 tokenchars ''_''')
                """)
            for row in try Row.fetchAll(db, sql: "SELECT id, room_id, account_id, body FROM messages") {
                let c = OldTokenizer.columns(SearchText.stripTags(row["body"]))
                let terms = c.terms + " " + SearchText.filterToken(room: row["room_id"]) + " " + SearchText.filterToken(account: row["account_id"])
                try db.execute(sql: "INSERT INTO message_fts (rowid, terms, chars) VALUES (?, ?, ?)", arguments: [row["id"] as Int64, terms, c.chars])
            }
            try db.execute(sql: "UPDATE meta SET value = '3' WHERE key = 'derivation'")
        }
    }

    /// Every message row (versions, statuses, whole bodies), to show a rebuild keeps them.
    static func rows(_ index: ArchiveIndex) throws -> [String] {
        try index.dbPool.read { db in
            try Row.fetchAll(db, sql: "SELECT room_id, message_id, version, status, hex(body) AS b FROM messages ORDER BY id").map { "\($0)" }
        }
    }

    @Test func theFirstSearchRebuildsAnOldIndexWithANoticeAndFindsEverything() throws {
        let f = try SearchFixture()
        // Messages the old tokenizer could not find.
        try Self.addMessages(f, ["寿司🍣", "C++で", "課題#1234"])
        let before = try Self.rows(f.index)
        try Self.downgrade(f.index)
        #expect(try f.index.derivationVersion() == 3)
        let expected = ["会議": ["1010", "1001"], "meeting": ["1003"], "3月": ["1010"]]

        let first = f.command(SearchRequest(query: "🍣", format: .json))
        #expect(first.code == SearchCommand.found)
        #expect(first.err.count == 1)
        let notice = first.err.first ?? ""
        #expect(notice.contains("index format 3, now \(IndexSchema.derivationVersion)") && notice.contains("rebuilding"), "\(notice)")
        #expect(!notice.contains("\n"))
        #expect(first.out.contains("寿司🍣"))

        let reopened = try ArchiveIndex.openForReading(store: f.store, notice: { Issue.record("second notice: \($0)") })
        #expect(try reopened.derivationVersion() == IndexSchema.derivationVersion)
        #expect(try Self.rows(reopened) == before)
        let engine = SearchEngine(index: reopened)
        for (q, ids) in expected {
            #expect(try engine.search(SearchQuery.parse(q), limit: 0).map(\.messageID) == ids, "\(q)")
        }
        for q in ["C++", "#1234", "🍣"] {
            #expect(try engine.search(SearchQuery.parse(q), limit: 0).count == 1, "\(q)")
        }
        let again = f.command(SearchRequest(query: "C++"))
        #expect(again.code == SearchCommand.found)
        #expect(again.err.isEmpty)
    }

    @Test func whileARunHoldsTheLockTheOldIndexServesExportButSearchSaysWhatToDo() throws {
        let f = try SearchFixture()
        try Self.downgrade(f.index)
        let lock = try f.store.acquireLock()
        let r = f.command(SearchRequest(query: "会議"))
        #expect(r.code == SearchCommand.failed)
        #expect(r.err.count == 1)
        #expect((r.err.first ?? "").contains("cwarchive reindex"))
        #expect(try f.index.derivationVersion() == 3) // not rebuilt without the lock
        let status = try StatusReport.load(store: f.store)
        #expect(status.rooms.count == 2)
        lock.release()
        // Once the lock is free, the next command rebuilds it.
        var notices: [String] = []
        let index = try ArchiveIndex.openForReading(store: f.store, notice: { notices.append($0) })
        #expect(notices.count == 1)
        #expect(try SearchEngine(index: index).search(SearchQuery.parse("会議"), limit: 0).map(\.messageID) == ["1010", "1001"])
    }

    @Test func aRunRebuildsAnOldIndexWithANotice() throws {
        let f = try SearchFixture()
        try Self.addMessages(f, ["寿司🍣"])
        try Self.downgrade(f.index)
        var notices: [String] = []
        let index = try ArchiveIndex.open(store: f.store, notice: { notices.append($0) })
        #expect(notices.count == 1)
        #expect(try index.derivationVersion() == IndexSchema.derivationVersion)
        #expect(try SearchEngine(index: index).search(SearchQuery.parse("🍣")).count == 1)
    }

    /// A third run with these bodies in room 10.
    static func addMessages(_ f: SearchFixture, _ bodies: [String]) throws {
        let run = try f.store.newSegment(runID: "r3")
        for (n, body) in bodies.enumerated() {
            try run.append(ArchiveRecord(run: "r3", at: SearchFixture.t0 + 20_000, roomID: 10,
                                         payload: .message(makeMessage(String(3000 + n), body: body, time: SearchFixture.t0 + 10_000 + n))))
        }
        try f.store.commit(runID: "r3", entries: [try run.finish()], runComplete: true)
        try f.index.catchUp(store: f.store)
    }
}

/// The tokenizer of index format 3, kept to build an index as the previous version did: CJK
/// bigrams and lone CJK characters, words of letters and digits, everything else a separator.
enum OldTokenizer {
    static func isCJK(_ v: UInt32) -> Bool {
        switch v {
        case 0x30FB: return false
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,
             0x20000...0x3134F, 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F, 0x3005, 0x3006, 0x3007, 0x303B: return true
        default: return false
        }
    }

    static func isWord(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        if s.isASCII { return s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" }
        return p.isAlphabetic || p.numericType != nil || s == "_" || p.generalCategory == .nonspacingMark
    }

    static func columns(_ text: String) -> (terms: String, chars: String) {
        var terms: [String] = [], chars: [String] = []
        var run: [Unicode.Scalar] = [], runIsCJK = false, word = ""
        func flush() {
            if !word.isEmpty { terms.append(word); word = "" }
            if runIsCJK, !run.isEmpty {
                if run.count == 1 { terms.append(String(run[0])) }
                for i in 0..<max(0, run.count - 1) { terms.append(String(run[i]) + String(run[i + 1])) }
                run = []
            }
        }
        for s in SearchText.normalize(text).unicodeScalars {
            if isCJK(s.value) {
                if !runIsCJK { flush(); runIsCJK = true }
                run.append(s); chars.append(String(s))
            } else if isWord(s) {
                if runIsCJK { flush(); runIsCJK = false }
                word.unicodeScalars.append(s)
            } else {
                flush(); runIsCJK = false
            }
        }
        flush()
        return (terms.joined(separator: " "), chars.joined(separator: " "))
    }
}
