import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Search output: exit codes, JSON Lines, CSV, text, snippets")
struct SearchOutputTests {
    let f: SearchFixture
    init() throws { f = try SearchFixture() }

    @Test func exitCodesAreFoundNothingAndError() throws {
        #expect(f.command(SearchRequest(query: "会議")).code == 0)
        #expect(f.command(SearchRequest(query: "存在しない言葉")).code == 1)
        #expect(f.command(SearchRequest(query: "-x")).code == 2)
        #expect(f.command(SearchRequest(query: "会議", since: "not a date")).code == 2)
        #expect(f.command(SearchRequest(query: "会議", since: "2024-05-03", until: "2024-05-01")).code == 2)
        #expect(f.command(SearchRequest(query: "会議", limit: -1)).code == 2)
        // A missing archive is an error, not "nothing found".
        var err: [String] = []
        let code = SearchCommand.run(SearchRequest(query: "会議"), openStore: {
            try ArchiveStore.open(at: f.dir.path("no-such-archive"), create: false)
        }, out: { _ in }, err: { err.append($0) })
        #expect(code == 2)
        #expect(err.count == 1)
    }

    @Test func countPrintsOnlyTheNumber() throws {
        let r = f.command(SearchRequest(query: "会", countOnly: true))
        #expect(r.code == 0)
        #expect(r.out == "4\n")
        let none = f.command(SearchRequest(query: "会", roomIDs: [99], countOnly: true))
        #expect(none.code == 1)
        #expect(none.out == "0\n")
    }

    @Test func filtersFromTheRequest() throws {
        let r = f.command(SearchRequest(query: "会", until: "2024-05-01", format: .json))
        #expect(r.out.split(separator: "\n").count == 3)
        let s = f.command(SearchRequest(query: "会", accountIDs: [1], since: "2024-05-02", format: .json))
        #expect(s.out.split(separator: "\n").count == 1)
    }

    @Test func jsonLinesCarryEveryFieldWithItsType() throws {
        let r = f.command(SearchRequest(query: "予算案", includeHistory: true, format: .json))
        #expect(r.code == 0)
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 2)
        var statuses: [String] = []
        for line in lines {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["room_id", "account_id", "send_time", "update_time", "version"] {
                #expect(obj[key] is Int, "\(key) is an integer")
            }
            for key in ["room_name", "message_id", "account_name", "body", "status", "url", "snippet"] {
                #expect(obj[key] is String, "\(key) is a string")
            }
            #expect(obj["room_id"] as? Int == 10)
            #expect(obj["room_name"] as? String == "企画室")
            #expect(obj["message_id"] as? String == "1008")
            #expect(obj["account_id"] as? Int == 1)
            #expect(obj["account_name"] as? String == "User 1")
            #expect(obj["send_time"] as? Int == SearchFixture.t0 + 800)
            #expect(obj["url"] as? String == "https://www.chatwork.com/#!rid10-1008")
            statuses.append(obj["status"] as? String ?? "")
        }
        #expect(statuses == ["current", "edited"])
        let deleted = f.command(SearchRequest(query: "誤送信", includeHistory: true, format: .json))
        #expect(deleted.out.contains("\"status\":\"deleted\""))
        // The raw markup, control characters included, is kept (escaped) in JSON.
        let raw = f.command(SearchRequest(query: "請求書", format: .json))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(raw.out.utf8)) as? [String: Any])
        #expect(obj["body"] as? String == SearchFixture.bodies.first { $0.id == "1011" }?.body)
    }

    @Test func csvQuotesAndNeutralisesFormulas() throws {
        #expect(SearchOutput.csvCell("plain") == "plain")
        #expect(SearchOutput.csvCell("a,b") == "\"a,b\"")
        #expect(SearchOutput.csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(SearchOutput.csvCell("line\nbreak") == "\"line\nbreak\"")
        #expect(SearchOutput.csvCell("=SUM(A1)") == "'=SUM(A1)")
        #expect(SearchOutput.csvCell("+1") == "'+1")
        #expect(SearchOutput.csvCell("-1") == "'-1")
        #expect(SearchOutput.csvCell("@x") == "'@x")
        #expect(SearchOutput.csvCell("\tx") == "'\tx")
        #expect(SearchOutput.csvCell("=a,b") == "\"'=a,b\"")
        let r = f.command(SearchRequest(query: "稟議", format: .csv))
        #expect(r.out == "room_id,room_name,message_id,version,account_id,account_name,send_time,update_time,status,url,body\r\n"
            + "10,企画室,1002,1,2,User 2,\(SearchFixture.t0 + 200),0,current,https://www.chatwork.com/#!rid10-1002,稟議書を提出しました\r\n")
    }

    @Test func textShowsRoomAuthorTimeSnippetAndLinkWithoutControlCharacters() throws {
        let plain = f.command(SearchRequest(query: "請求書"))
        #expect(plain.code == 0)
        // 2024-04-30T18:18:20Z is 2024-05-01 03:18 in Tokyo.
        #expect(plain.out == "[Dev Team] User 3  2024-05-01 03:18\n  田中さん 請求書 \u{FFFD}[31mred\u{FFFD}[0m =SUM(A1), \"quoted\"\n  https://www.chatwork.com/#!rid20-1011\n")
        #expect(!plain.out.contains("\u{1B}"))

        let tty = f.command(SearchRequest(query: "請求書"), highlight: true)
        #expect(tty.out.contains("\u{1B}[1;31m請求書\u{1B}[0m"))
        #expect(!tty.out.contains("\u{1B}[31m")) // the message's own escape is gone

        let history = f.command(SearchRequest(query: "予算案", includeHistory: true))
        #expect(history.out.contains("(earlier version 1)"))
    }

    @Test func moreHitsThanTheLimitAreSaid() throws {
        let r = f.command(SearchRequest(query: "会", limit: 2))
        #expect(r.code == 0)
        #expect(r.out.components(separatedBy: "https://www.chatwork.com/").count - 1 == 2)
        #expect(r.err.count == 1)
        let all = f.command(SearchRequest(query: "会", limit: 0))
        #expect(all.out.components(separatedBy: "https://www.chatwork.com/").count - 1 == 4)
        #expect(all.err.isEmpty)
    }

    @Test func snippetsHighlightOriginalCharactersAroundTheMatch() throws {
        let q = try SearchQuery.parse("abc 会社")
        let s = SnippetBuilder.snippet(body: "ＡＢＣ株式会社との打ち合わせ", query: q)
        #expect(s.pieces.filter(\.isMatch).map(\.text) == ["ＡＢＣ", "会社"])
        #expect(s.plainText == "ＡＢＣ株式会社との打ち合わせ")

        let word = SnippetBuilder.snippet(body: "meetings: meet me", query: try SearchQuery.parse("meet"))
        #expect(word.pieces.filter(\.isMatch).map(\.text) == ["meet"])
        #expect(word.pieces.first?.text == "meetings: ")

        let kana = SnippetBuilder.snippet(body: "ｶﾞｲﾄﾞ", query: try SearchQuery.parse("ガイド"))
        #expect(kana.pieces.filter(\.isMatch).map(\.text) == ["ｶﾞｲﾄﾞ"])

        let long = String(repeating: "あ", count: 300) + "会議" + String(repeating: "い", count: 300)
        let cut = SnippetBuilder.snippet(body: long, query: try SearchQuery.parse("会議"), width: 40)
        #expect(cut.pieces.first?.text == "…")
        #expect(cut.pieces.last?.text == "…")
        #expect(cut.pieces.contains(Snippet.Piece(text: "会議", isMatch: true)))
        #expect(cut.plainText.count == 42)
    }
}
