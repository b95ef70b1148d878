import ChatworkSimulator
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// Issue 12, part 1: search finds everything a user can type, as a substring, alone or beside
/// other words, in every output format and under every filter, over an archive that the
/// archiver took from the simulator over loopback.
@Suite("Search finds emoji, symbols, every script and mixed runs (simulator archive)")
struct SearchEverythingTests {
    static let roomA = SimulatorHarness.directRoom // 2000003
    static let roomB = 2_000_002
    static let author = 1_000_001
    static let t0 = 1_780_000_000 // 2026-05-28T20:26:40Z

    /// Our messages: a key, the room, the body.
    static let messages: [(key: String, room: Int, body: String)] = [
        ("sushi", roomA, "今日は🍣を食べた"),
        ("thumbs", roomA, "いいね👍🏻ありがとう"),
        ("family", roomA, "家族👨\u{200D}👩\u{200D}👧で旅行"),
        ("flag", roomA, "日本🇯🇵代表"),
        ("keycap", roomA, "手順1\u{FE0F}\u{20E3}を確認"),
        ("cpp", roomA, "C++で書いた"),
        ("issue", roomA, "課題#1234を参照"),
        ("date", roomA, "締切は3/15です"),
        ("yen", roomA, "金額¥10,000円"),
        ("note", roomA, "※注意"),
        ("important", roomA, "【重要】お知らせ"),
        ("arrow", roomA, "A→B"),
        ("mail", roomA, "連絡先foo@example.comまで"),
        ("url", roomA, "see https://www.example.com/path?q=1 for details"),
        ("version", roomA, "リリースv1.2.3を公開"),
        ("under", roomA, "変数a_bを使う"),
        ("bow", roomA, "了解です(bow)"),
        ("smile", roomA, "ok :) thanks"),
        ("korean", roomA, "안녕하세요 회의실"),
        ("simplified", roomA, "简体中文测试"),
        ("traditional", roomA, "繁體中文測試"),
        ("thai", roomA, "ภาษาไทยง่าย"),
        ("cyrillic", roomA, "Привет, мир"),
        ("arabic", roomA, "مرحبا بالعالم"),
        ("cafe-accent", roomA, "Let's meet at the café"),
        ("excel", roomB, "Excel2024年度の資料"),
        ("iphone", roomB, "iPhone15を買った"),
        ("fy", roomB, "ＦＹ２０２５予算案"),
        ("csharp", roomB, "C# and c are different"),
        ("cafe-plain", roomB, "cafe without accent"),
        ("other-date", roomB, "3/16 is another date"),
        ("plain-number", roomB, "plain text 1234"),
        ("other-version", roomB, "v1.2.4"),
        ("other-arrow", roomB, "A→C"),
    ]

    /// A query, the keys it must find and the keys it must not.
    static let cases: [(query: String, finds: [String], not: [String])] = [
        ("🍣", ["sushi"], []), ("🍣を食べた", ["sushi"], []), ("は🍣", ["sushi"], []),
        ("👍🏻", ["thumbs"], []), ("👍", ["thumbs"], []),
        ("👨\u{200D}👩\u{200D}👧", ["family"], []), ("🇯🇵", ["flag"], []), ("日本🇯🇵代表", ["flag"], []),
        ("1\u{FE0F}\u{20E3}", ["keycap"], []), ("1\u{20E3}", ["keycap"], []),
        ("C++", ["cpp"], ["csharp"]), ("c++で", ["cpp"], []), ("#1234", ["issue"], ["plain-number"]),
        ("1234", ["issue", "plain-number"], []), ("3/15", ["date"], ["other-date"]),
        ("¥10,000", ["yen"], []), ("￥１０，０００", ["yen"], []), ("10,000円", ["yen"], []),
        ("※", ["note"], []), ("【重要】", ["important"], []), ("重要", ["important"], []), ("→", ["arrow", "other-arrow"], []),
        ("A→B", ["arrow"], ["other-arrow"]), ("foo@example.com", ["mail"], []), ("example.com", ["mail", "url"], []),
        ("https://www.example.com/path", ["url"], []), ("path?q=1", ["url"], []),
        ("v1.2.3", ["version"], ["other-version"]), ("a_b", ["under"], []),
        ("(bow)", ["bow"], []), (":)", ["smile"], []),
        ("회의", ["korean"], []), ("안녕하세요", ["korean"], []), ("简体", ["simplified"], []), ("测试", ["simplified"], ["traditional"]),
        ("測試", ["traditional"], ["simplified"]), ("ไทย", ["thai"], []), ("Привет", ["cyrillic"], []), ("ПРИВЕТ", ["cyrillic"], []),
        ("мир", ["cyrillic"], []), ("بالعالم", ["arabic"], []),
        ("café", ["cafe-accent"], ["cafe-plain"]), ("CAFÉ", ["cafe-accent"], ["cafe-plain"]), ("cafe", ["cafe-plain"], ["cafe-accent"]),
        ("Excel2024年度", ["excel"], []), ("Excel", ["excel"], []), ("2024", ["excel"], []), ("年度", ["excel"], []),
        ("iPhone15", ["iphone"], []), ("iPhone", ["iphone"], []), ("ＦＹ２０２５予算", ["fy"], []), ("FY2025", ["fy"], []),
        // The query language with all of these.
        ("🍣 食べた", ["sushi"], []), ("\"C++で\"", ["cpp"], []), ("C++ OR C#", ["cpp", "csharp"], []),
        ("→ -C", ["arrow"], ["other-arrow"]), ("example.com -foo", ["url"], ["mail"]), ("\"(bow)\" 了解", ["bow"], []),
    ]

    @Test func everyKindOfTermIsFoundInEveryFormatAndNothingThatLacksIt() async throws {
        try await SimulatorHarness.with { h in
            let ids = try Self.post(h)
            var options = ArchiveOptions()
            options.rooms = [Self.roomA, Self.roomB]
            try await h.archive(options: options)
            let corpus = try h.read { db in
                try Row.fetchAll(db, sql: "SELECT message_id, CAST(body AS BLOB) AS body FROM messages WHERE status = 'current'")
                    .map { (id: $0["message_id"] as String, body: String(decoding: $0["body"] as Data, as: UTF8.self)) }
            }
            for c in Self.cases {
                let query = try SearchQuery.parse(c.query)
                let expected = Self.oracle(query, corpus)
                for key in c.finds { #expect(expected.contains(ids[key] ?? "-"), "oracle: \(c.query) in \(key)") }
                for format in SearchOutputFormat.allCases {
                    let r = Self.search(h, SearchRequest(query: c.query, limit: 0, format: format))
                    let found = Self.messageIDs(r.out, format)
                    #expect(r.code == (found.isEmpty ? 1 : 0), "\(c.query) \(format)")
                    #expect(found == expected, "\(c.query) \(format): \(found.sorted()) != \(expected.sorted())")
                    for key in c.finds { #expect(found.contains(ids[key] ?? "-"), "\(c.query) \(format) finds \(key)") }
                    for key in c.not { #expect(!found.contains(ids[key] ?? "-"), "\(c.query) \(format) does not find \(key)") }
                }
            }
        }
    }

    @Test func everyFilterAndTheHighlightWork() async throws {
        try await SimulatorHarness.with { h in
            let ids = try Self.post(h)
            var options = ArchiveOptions()
            options.rooms = [Self.roomA, Self.roomB]
            try await h.archive(options: options)
            let utc = try #require(TimeZone(identifier: "UTC"))
            for c in Self.cases where !c.query.contains(" ") {
                for key in c.finds {
                    let id = try #require(ids[key])
                    let n = try #require(Self.messages.firstIndex { $0.key == key })
                    let room = Self.messages[n].room, other = room == Self.roomA ? Self.roomB : Self.roomA
                    let at = Self.t0 + n * 60
                    func finds(_ r: SearchRequest) -> Bool { Self.messageIDs(Self.search(h, r, utc).out, .json).contains(id) }
                    #expect(finds(SearchRequest(query: c.query, roomIDs: [room], limit: 0, format: .json)), "\(c.query) --room")
                    #expect(!finds(SearchRequest(query: c.query, roomIDs: [other], limit: 0, format: .json)), "\(c.query) other room")
                    #expect(finds(SearchRequest(query: c.query, accountIDs: [Self.author], limit: 0, format: .json)), "\(c.query) --account")
                    #expect(!finds(SearchRequest(query: c.query, accountIDs: [1_000_002], limit: 0, format: .json)), "\(c.query) other account")
                    let since = RunSummary.iso(at), until = RunSummary.iso(at + 1)
                    #expect(finds(SearchRequest(query: c.query, since: since, until: until, limit: 0, format: .json)), "\(c.query) --since --until")
                    #expect(!finds(SearchRequest(query: c.query, since: until, limit: 0, format: .json)), "\(c.query) later --since")
                    #expect(finds(SearchRequest(query: c.query, limit: 0, includeHistory: true, sort: .relevance, format: .json)), "\(c.query) --history --sort relevance")
                    let count = Self.search(h, SearchRequest(query: c.query, roomIDs: [room], countOnly: true), utc)
                    #expect((Int(count.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 1, "\(c.query) --count")
                    // The snippet marks the match on the original characters.
                    let snippet = SnippetBuilder.snippet(body: Self.messages[n].body, query: try SearchQuery.parse(c.query))
                    let marked = snippet.pieces.filter(\.isMatch).map(\.text).joined()
                    let want = Array(Self.folded(c.query).unicodeScalars), got = Array(Self.folded(marked).unicodeScalars)
                    let covers = got.count >= want.count && (0...(got.count - want.count)).contains { Array(got[$0..<($0 + want.count)]) == want }
                    #expect(covers, "\(c.query) highlighted \(marked.debugDescription) in \(key)")
                    let tty = Self.search(h, SearchRequest(query: c.query, roomIDs: [room], limit: 0), utc, highlight: true)
                    #expect(tty.out.contains("\u{1B}[1;31m"), "\(c.query) bold in text output")
                }
            }
        }
    }

    // MARK: - Helpers

    /// Posts our messages one minute apart from `t0`; returns their message ids by key.
    static func post(_ h: SimulatorHarness) throws -> [String: String] {
        try h.sim.updateWorkspace { ws in
            var ids: [String: String] = [:]
            for (n, m) in messages.enumerated() {
                ids[m.key] = try ws.addMessage(roomId: m.room, accountId: author, body: m.body, at: t0 + n * 60)
            }
            return ids
        }
    }

    static func search(_ h: SimulatorHarness, _ r: SearchRequest, _ zone: TimeZone = .current, highlight: Bool = false) -> (code: Int32, out: String, err: [String]) {
        var out = "", err: [String] = []
        let code = SearchCommand.run(r, timeZone: zone, highlight: highlight, openStore: { try ArchiveStore.open(at: h.archiveURL, create: false) },
                                     out: { out += $0 }, err: { err.append($0) })
        return (code, out, err)
    }

    /// The message ids in an output.
    static func messageIDs(_ out: String, _ format: SearchOutputFormat) -> Set<String> {
        switch format {
        case .json:
            return Set(out.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["message_id"] as? String
            })
        case .csv:
            let rows = (try? CSVTestParser.parse(out)) ?? []
            return Set(rows.dropFirst().compactMap { $0.count > 2 ? $0[2] : nil })
        case .text:
            return Set(out.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("  https://www.chatwork.com/#!rid"), let dash = line.lastIndex(of: "-") else { return nil }
                return String(line[line.index(after: dash)...])
            })
        }
    }

    /// What the query must find, by a plain scan of each message's text (tags removed,
    /// normalised like the index): every positive group has a term that occurs, no excluded
    /// term occurs. A second derivation of the index's rule, to compare FTS5's answers with.
    static func oracle(_ query: SearchQuery, _ corpus: [(id: String, body: String)]) -> Set<String> {
        Set(corpus.filter { m in
            let haystack = SnippetBuilder.Haystack(Array(SearchText.stripTags(m.body)))
            let occurs = { (t: SearchQuery.Term) in !haystack.occurrences(of: t.runs).isEmpty }
            return query.groups.allSatisfy { $0.contains(where: occurs) } && !query.excluded.contains(where: occurs)
        }.map(\.id))
    }

    /// Text as the index compares it, without spaces, quotes or the characters it skips.
    static func folded(_ s: String) -> String {
        String(String.UnicodeScalarView(SearchText.normalize(s).unicodeScalars.filter {
            let c = SearchText.resolve(SearchText.kind($0), after: .word)
            return c != nil && c != .separator && $0 != "\""
        }))
    }
}
