import CWArchiveCore
import Foundation
import Testing

@Suite("Common: argument rules shared by every command")
struct CommonArgumentTests {
    @Test func sizes() throws {
        #expect(SizeParser.parse("500M") == 500 << 20)
        #expect(SizeParser.parse("2g") == 2 << 30)
        #expect(SizeParser.parse("1.5GB") == 3 << 29)
        #expect(SizeParser.parse(" 1048576 ") == 1_048_576)
        #expect(SizeParser.parse("10 K") == 10_240)
        #expect(SizeParser.parse("0") == 0)
        // Hostile values never trap: each one is simply not a size.
        for bad in ["1e300K", "infG", "inf", "nan", "NaNM", "-1", "-5M", "0x10", "1,5G", "", " ", "M", "1..2M", ".", "5MiB",
                    "99999999999999999999", "9999999999T", "1e3", "+5", "\u{0}5M", "５M"] {
            #expect(SizeParser.parse(bad) == nil, "\(bad.debugDescription)")
        }
        #expect(throws: UsageError.self) { try SizeParser.parse("1e300K", flag: "--max-file-size") }
    }

    @Test func timeZones() throws {
        #expect(try TimeZoneArgument.parse("Asia/Tokyo").identifier == "Asia/Tokyo")
        #expect(try TimeZoneArgument.parse("+09:00").secondsFromGMT() == 9 * 3600)
        #expect(try TimeZoneArgument.parse("-0530").secondsFromGMT() == -(5 * 3600 + 1800))
        for bad in ["Mars/Olympus", "", "+25:00", "../../etc/passwd", "Asia/Tokyo\u{1B}[31m", "+0960"] {
            #expect(throws: UsageError.self, "\(bad.debugDescription)") { try TimeZoneArgument.parse(bad) }
        }
    }

    @Test func quotedValuesShowControlCharacters() {
        #expect(TerminalText.quoted("a\nb\u{1B}[31m\u{202E}") == "'a\\nb\\u{1B}[31m\\u{202E}'")
        #expect(TerminalText.quoted(String(repeating: "x", count: 100), limit: 3) == "'xxx…'")
        #expect(TerminalText.sanitize("a\u{202E}b\u{7}c") == "a b c")
        #expect(TerminalText.sanitize("a\u{202E}b", replacement: "") == "ab")
    }

    @Test func oneDateGrammarForEveryCommand() throws {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let (since, until) = try DateArgument.range(since: "2024-05-01T09:00", until: "2024-05-01", timeZone: tokyo)
        #expect(since == 1_714_521_600)
        #expect(until == 1_714_575_600)
        #expect(throws: UsageError.self) { try DateArgument.range(since: "2024-05-02", until: "2024-05-01", timeZone: tokyo) }
        do {
            _ = try DateArgument.parse("2024-13-01\u{1B}", as: .since)
            Issue.record("accepted a bad date")
        } catch {
            #expect("\(error)".contains("--since '2024-13-01\\u{1B}'"), "\(error)")
        }
    }
}
