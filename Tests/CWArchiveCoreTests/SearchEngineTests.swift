import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Search engine: Japanese substrings, English words, operators, filters, history")
struct SearchEngineTests {
    let f: SearchFixture
    init() throws { f = try SearchFixture() }

    @Test func japaneseSubstringsOfAnyLength() throws {
        // 会 is in 会議 (1001, 1010), 株式会社 (1004) and 社会人 (1006).
        #expect(try f.ids("会") == ["1010", "1006", "1004", "1001"])
        #expect(try f.ids("会議") == ["1010", "1001"])
        #expect(try f.ids("会議室") == ["1001"])
        #expect(try f.ids("稟議") == ["1002"])
        #expect(try f.ids("議書を提出") == ["1002"])
        #expect(try f.ids("会議室B").isEmpty)
        #expect(try f.ids("議").count == 3) // 会議 twice, 稟議
    }

    @Test func englishWordsIgnoreCaseAndMatchWholeWords() throws {
        #expect(try f.ids("meeting") == ["1003"])
        #expect(try f.ids("MEETING") == ["1003"])
        #expect(try f.ids("Meet") == ["1007"])
        #expect(try f.ids("meetings").isEmpty)
        #expect(try f.ids("swift") == ["1003"])
    }

    @Test func fullWidthAndHalfWidthAreAlike() throws {
        #expect(try f.ids("abc") == ["1004"])
        #expect(try f.ids("ABC") == ["1004"])
        #expect(try f.ids("ＡＢＣ") == ["1004"])
        #expect(try f.ids("カタカナ") == ["1005"])
        #expect(try f.ids("ｶﾀｶﾅ") == ["1005"])
        #expect(try f.ids("ｶﾀ") == ["1005"])
        #expect(try f.ids("ガイド") == ["1012"]) // indexed from half-width ｶﾞｲﾄﾞ
        #expect(try f.ids("ｶﾞｲﾄﾞ") == ["1012"])
        #expect(try f.ids("パ") == ["1012"])
        #expect(try f.ids("ABC株式会社") == ["1004"]) // word then Japanese, one phrase
    }

    @Test func mixedTermEndingInOneKanjiIsAPrefix() throws {
        // 3月末 is indexed as "3 月末": "3月" must still find it.
        #expect(try f.ids("3月") == ["1010"])
        #expect(try f.ids("3月末") == ["1010"])
        #expect(try f.ids("4月").isEmpty)
    }

    @Test func operatorsAndPhraseOrAndExclude() throws {
        #expect(try f.ids("会議 明日") == ["1001"])
        #expect(try f.ids("会議　明日") == ["1001"]) // full-width space
        #expect(try f.ids("会議 meeting").isEmpty)
        #expect(try f.ids("\"swift build\"") == ["1003"])
        #expect(try f.ids("\"build swift\"").isEmpty)
        #expect(try f.ids("swift build") == ["1003"])
        #expect(try f.ids("稟議 OR カタカナ") == ["1005", "1002"])
        #expect(try f.ids("会議 -明日") == ["1010"])
        #expect(try f.ids("会 -会議") == ["1006", "1004"])
        #expect(try f.ids("会 -\"株式会社\"") == ["1010", "1006", "1001"])
        #expect(try f.ids("swift or").isEmpty) // lower-case "or" is a word
    }

    @Test func roomAccountAndDateFilters() throws {
        #expect(try f.ids("会", SearchFilter(roomIDs: [10])) == ["1010", "1006", "1001"])
        #expect(try f.ids("会", SearchFilter(roomIDs: [20])) == ["1004"])
        #expect(try f.ids("会", SearchFilter(roomIDs: [10, 20])).count == 4)
        #expect(try f.ids("会", SearchFilter(accountIDs: [3])) == ["1006"])
        #expect(try f.ids("会", SearchFilter(roomIDs: [10], accountIDs: [2])).isEmpty)

        let tz = SearchFixture.tokyo
        let untilMay1 = try DateArgument.parse("2024-05-01", as: .until, timeZone: tz)
        let sinceMay2 = try DateArgument.parse("2024-05-02", as: .since, timeZone: tz)
        #expect(try f.ids("会", SearchFilter(until: untilMay1)) == ["1006", "1004", "1001"])
        #expect(try f.ids("会", SearchFilter(since: sinceMay2)) == ["1010"])
        // Exact seconds: 1004 was sent at t0+400.
        let t = SearchFixture.t0
        #expect(try f.ids("会", SearchFilter(since: t + 400, until: t + 401)) == ["1004"])
        #expect(try f.ids("会", SearchFilter(since: t + 401, until: t + 600)).isEmpty)
    }

    @Test func historyAddsEarlierVersionsAndDeletedMessages() throws {
        let current = try f.engine.search(SearchQuery.parse("予算案"))
        #expect(current.map(\.status) == [.current])
        #expect(current.first?.version == 2)
        #expect(current.first?.body == "予算案の最終稿")
        #expect(try f.ids("初稿").isEmpty)

        let all = try f.engine.search(SearchQuery.parse("予算案"), filter: SearchFilter(includeHistory: true), limit: 0)
        #expect(all.map(\.version) == [2, 1])
        #expect(all.map(\.status) == [.current, .edited])
        #expect(try f.ids("初稿", SearchFilter(includeHistory: true)) == ["1008"])

        #expect(try f.ids("誤送信").isEmpty)
        let deleted = try f.engine.search(SearchQuery.parse("誤送信"), filter: SearchFilter(includeHistory: true))
        #expect(deleted.map(\.status) == [.deleted])
    }

    @Test func newestFirstLimitCountAndRelevance() throws {
        let hits = try f.engine.search(SearchQuery.parse("会"), limit: 2)
        #expect(hits.map(\.messageID) == ["1010", "1006"])
        #expect(hits[0].sendTime > hits[1].sendTime)
        #expect(try f.engine.count(SearchQuery.parse("会")) == 4)
        #expect(try f.engine.count(SearchQuery.parse("会"), filter: SearchFilter(roomIDs: [20])) == 1)
        #expect(try f.engine.count(SearchQuery.parse("nothinghere")) == 0)
        // 1001 has 会 three times, so it ranks first by relevance.
        #expect(try f.ids("会", sort: .relevance).first == "1001")
        #expect(Set(try f.ids("会", sort: .relevance)) == Set(try f.ids("会")))
    }

    @Test func hitsCarryRoomAuthorAndLink() throws {
        let hit = try #require(try f.engine.search(SearchQuery.parse("稟議")).first)
        #expect(hit.roomID == 10)
        #expect(hit.roomName == "企画室")
        #expect(hit.accountID == 2)
        #expect(hit.accountName == "User 2")
        #expect(hit.sendTime == SearchFixture.t0 + 200)
        #expect(hit.url == "https://www.chatwork.com/#!rid10-1002")
    }

    @Test func queryPlanIsDrivenByTheFullTextIndex() throws {
        let (plan, match) = try f.engine.queryPlan(SearchQuery.parse("会議"),
                                                   filter: SearchFilter(roomIDs: [10], accountIDs: [1], since: 1, until: 2_000_000_000))
        let text = plan.joined(separator: "\n")
        #expect(plan.first?.contains("VIRTUAL TABLE") == true, "\(text)")
        #expect(text.contains("m USING INTEGER PRIMARY KEY"), "\(text)")
        #expect(!text.contains("TEMP B-TREE"), "\(text)")
        #expect(!plan.contains { $0.hasPrefix("SCAN m") && !$0.contains("VIRTUAL TABLE") }, "\(text)")
        // The index carries room and author tokens: the filters are part of the full-text query.
        #expect(match.table == .terms)
        #expect(match.expression.contains("\u{E000}r10") && match.expression.contains("\u{E000}a1"))
    }

    @Test func roomAndAuthorTokensMoveFiltersIntoTheFullTextQuery() throws {
        let before = try [[10], [20], [10, 20]].map { try f.ids("会", SearchFilter(roomIDs: $0)) }
        let byAccount = try f.ids("会", SearchFilter(accountIDs: [3]))
        // The ingestor writes the tokens; adding them again changes nothing.
        #expect(try f.index.hasFilterTokens() == true)
        try f.addFilterTokens()
        #expect(try f.index.hasFilterTokens() == true)

        let (plan, match) = try f.engine.queryPlan(SearchQuery.parse("会"), filter: SearchFilter(roomIDs: [10, 20], accountIDs: [3]))
        // One character alone: the unigram table drives, and it carries the filter tokens too.
        #expect(match.table == .chars)
        #expect(match.expression == "(\"会\") AND ((\"\u{E000}r10\") OR (\"\u{E000}r20\")) AND (\"\u{E000}a3\")")
        #expect(plan.first?.contains("VIRTUAL TABLE") == true && !plan.joined().contains("TEMP B-TREE"), "\(plan)")
        #expect(try [[10], [20], [10, 20]].map { try f.ids("会", SearchFilter(roomIDs: $0)) } == before)
        #expect(try f.ids("会", SearchFilter(accountIDs: [3])) == byAccount)
        #expect(try f.ids("会", SearchFilter(roomIDs: [10], accountIDs: [2])).isEmpty)
        #expect(try f.ids("会議 -明日", SearchFilter(roomIDs: [10])) == ["1010"])
        // Unfiltered searches and phrases are unchanged by the extra tokens.
        #expect(try f.ids("会") == ["1010", "1006", "1004", "1001"])
        #expect(try f.ids("3月") == ["1010"])
        // Query text cannot produce a filter token.
        #expect(try f.ids("\u{E000}r10") == f.ids("r10"))
        #expect(try f.ids("r10").isEmpty)
    }

    @Test func tagsAreNotSearchedButTheirTextIs() throws {
        #expect(try f.ids("田中") == ["1011"])
        #expect(try f.ids("請求書") == ["1011"])
    }
}
