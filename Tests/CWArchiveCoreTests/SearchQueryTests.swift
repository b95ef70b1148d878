import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Search queries: parsing, FTS expressions, hostile input")
struct SearchQueryTests {
    typealias Term = SearchQuery.Term

    @Test func parsesTermsPhrasesOrAndExclusions() throws {
        let q = try SearchQuery.parse("会議 \"swift build\" a OR b -明日 -\"x y\"")
        #expect(q.groups == [[Term(text: "会議")], [Term(text: "swift build", isPhrase: true)], [Term(text: "a"), Term(text: "b")]])
        #expect(q.excluded == [Term(text: "明日"), Term(text: "x y", isPhrase: true)])
        // Full-width space, quotes and minus are read after NFKC; a lone "-" is nothing.
        let w = try SearchQuery.parse("会議　＂a b＂ － －明日")
        #expect(w.groups == [[Term(text: "会議")], [Term(text: "a b", isPhrase: true)]])
        #expect(w.excluded == [Term(text: "明日")])
    }

    @Test func matchExpressionUsesOnlyQuotedTokens() throws {
        func expr(_ s: String) throws -> String { FTSQueryBuilder.matchExpression(for: try SearchQuery.parse(s)) }
        #expect(try expr("会") == "(\"会\")")
        #expect(try expr("会議室") == "(terms : \"会議 議室\")")
        #expect(try expr("Meeting") == "(terms : \"meeting\")")
        #expect(try expr("3月") == "(terms : \"3 月\" *)")
        #expect(try expr("会A") == "(terms : \"会 a\")")
        #expect(try expr("C++") == "(terms : \"c ++\")")
        #expect(try expr("(bow)") == "(terms : \"( bow )\" *)")
        #expect(try expr("🍣") == "(\"🍣\")")
        #expect(try expr("#1234") == "(terms : \"# 1234\")")
        #expect(try expr("a OR b -c") == "(((terms : \"a\") OR (terms : \"b\"))) NOT ((terms : \"c\"))")
        // Only characters: the unigram table; a character beside longer terms: the tokens it begins.
        #expect(try expr("会 OR 🍣 -※") == "(((\"会\") OR (\"🍣\"))) NOT ((\"※\"))")
        #expect(try expr("会 議事録") == "(terms : \"会\" *) AND (terms : \"議事 事録\")")
        #expect(try expr("会議 -会") == "((terms : \"会議\")) NOT ((terms : \"会\" *))")
        #expect(FTSQueryBuilder.match(for: try SearchQuery.parse("会 🍣")).table == .chars)
        #expect(FTSQueryBuilder.match(for: try SearchQuery.parse("会 -議事")).table == .terms)
        // Syntax characters never survive into the expression outside the quoted tokens.
        let hostile = try expr("NEAR(a* ^b) \"c:d\" e'f x\"y")
        #expect(hostile == "(terms : \"near ( a *\" *) AND (terms : \"^ b )\" *) AND (terms : \"c : d\") AND (terms : \"e ' f\") AND (terms : \"x \"\" y\")")
    }

    @Test func queriesWithNothingToSearchAreCleanErrors() {
        for raw in ["", "   ", "\"", "\"\"", "\u{0}", "\u{1B}\t\n", "\u{FE0F}", "\u{202E}", "\u{3000}", "-x", "-x -y", "OR", "a OR", "OR a", "a OR OR b", "a OR -b"] {
            #expect(throws: SearchError.self, "query \(raw.debugDescription)") { try SearchQuery.parse(raw) }
        }
        #expect(throws: SearchError.self) { try SearchQuery.parse(String(repeating: "a ", count: 600)) }
        #expect(throws: SearchError.self) { try SearchQuery.parse(String(repeating: "a ", count: 65)) }
        // The messages are one line and say what to do.
        do {
            _ = try SearchQuery.parse("-x")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("add a term"))
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test func hostileQueriesRunCleanlyAgainstARealIndex() throws {
        let f = try SearchFixture()
        // Odd but searchable: they find nothing or something, without an SQL error.
        for raw in ["'; DROP TABLE messages; --", "NEAR(", "a\" OR \"b", "terms : x", "chars:会", "\"unclosed 会議",
                    "x\u{0}y", "^会", "{terms}:会", "会*", "a AND b", "NOT 会", "\"\u{301}会議", "a\"\u{301} OR b", "\u{200C}\"x\"\u{200C}"] {
            #expect(throws: Never.self, "query \(raw.debugDescription)") { _ = try f.ids(raw) }
        }
        #expect(try f.ids("chars:会") == f.ids("chars 会"))
        #expect(try f.ids("\"unclosed 会議") .isEmpty)
        #expect(try f.ids("会議*").isEmpty) // `*` is a character to find, not an operator
        // The table is still there.
        #expect(try f.ids("稟議") == ["1002"])
        // Through the command: exit code 2 and one line for an unusable query.
        for raw in ["", "\"", "\u{7}", " \u{0} ", "-x", "OR"] {
            let r = f.command(SearchRequest(query: raw))
            #expect(r.code == SearchCommand.failed, "query \(raw.debugDescription)")
            #expect(r.err.count == 1)
            #expect(!(r.err.first ?? "").lowercased().contains("sqlite"))
            #expect(r.out.isEmpty)
        }
        #expect(f.command(SearchRequest(query: "'; DROP TABLE messages; --")).code == SearchCommand.nothingFound)
        #expect(f.command(SearchRequest(query: "NEAR(")).code == SearchCommand.nothingFound)
    }

    @Test func datesAcceptDaysAndISO8601() throws {
        let tokyo = SearchFixture.tokyo
        let utc = try #require(TimeZone(identifier: "UTC"))
        // 2024-05-01 00:00 in Tokyo is 2024-04-30T15:00:00Z = 1714489200.
        #expect(try DateArgument.parse("2024-05-01", as: .since, timeZone: tokyo) == 1_714_489_200)
        #expect(try DateArgument.parse("2024-05-01", as: .until, timeZone: tokyo) == 1_714_489_200 + 86_400)
        #expect(try DateArgument.parse("2024-05-01", as: .since, timeZone: utc) == 1_714_521_600)
        #expect(try DateArgument.parse("2024-05-01T00:00:00Z", as: .since, timeZone: tokyo) == 1_714_521_600)
        #expect(try DateArgument.parse("2024-05-01T09:00:00+09:00", as: .since, timeZone: utc) == 1_714_521_600)
        #expect(try DateArgument.parse("2024-05-01T09:00+0900", as: .since, timeZone: utc) == 1_714_521_600)
        #expect(try DateArgument.parse("2024-05-01 09:00:00.250", as: .since, timeZone: tokyo) == 1_714_521_600)
        #expect(try DateArgument.parse("2024-05-01T00:00:00Z", as: .until, timeZone: tokyo) == 1_714_521_601)
        for bad in ["2024-5-1", "2024-02-30", "2024-05-01T25:00", "yesterday", "", "2024-05-01T10:00:00+25:00", "2024-05-01X"] {
            #expect(throws: UsageError.self, "date \(bad.debugDescription)") { try DateArgument.parse(bad, as: .since, timeZone: utc) }
        }
    }
}
