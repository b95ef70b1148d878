import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Export: file names, CSV cells, times")
struct ExportUnitTests {
    @Test(arguments: [
        ("../../etc/passwd", "etc_passwd"),
        ("a/b\u{0}c.txt", "a_b_c.txt"),
        ("...hidden", "hidden"),
        ("con.txt", "_con.txt"),
        ("営業部: 会議?", "営業部_ 会議_"),
        ("", "file"),
        ("x\u{202E}gnp.exe", "x_gnp.exe"),
    ])
    func safeFileNames(input: String, expected: String) {
        #expect(SafeFileName.make(input) == expected)
    }

    @Test func safeNamesAreNFCAndLimitedInBytes() {
        let decomposed = "が" .decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count == 2)
        #expect(SafeFileName.make(decomposed).unicodeScalars.count == 1)
        let long = String(repeating: "長", count: 200) + ".pdf"
        let safe = SafeFileName.make(long, maxBytes: 120)
        #expect(safe.utf8.count <= 120)
        #expect(safe.hasSuffix(".pdf"))
        #expect(SafeFileName.roomBaseName(roomID: 5, name: "..") == "5")
        #expect(SafeFileName.roomBaseName(roomID: 12345, name: "営業部").utf8.count < 200)
        #expect(SafeFileName.roomBaseName(roomID: 12345, name: String(repeating: "あ", count: 300)).utf8.count <= 106)
    }

    @Test func csvCells() {
        #expect(CSVCell.encode("plain") == "plain")
        #expect(CSVCell.encode("a,b") == "\"a,b\"")
        #expect(CSVCell.encode("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVCell.encode("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVCell.encode("=1+1") == "'=1+1")
        #expect(CSVCell.encode("-1") == "'-1")
        #expect(CSVCell.encode("@x") == "'@x")
        #expect(CSVCell.encode("+x") == "'+x")
        #expect(CSVCell.encode("\tx") == "'\tx")
        #expect(CSVCell.encode("\r\nx") == "\"'\r\nx\"")
        #expect(CSVCell.encode("a=b") == "a=b")
    }

    @Test func clockFormatsInTheChosenZone() throws {
        let c = TimeFormatter(timeZone: tokyo)
        #expect(c.iso(1_714_521_600) == "2024-05-01T09:00:00+09:00")
        #expect(c.day(1_714_521_600 + 15 * 3600) == "2024-05-02")
        #expect(c.dayHeading(1_714_521_600) == "2024-05-01 Wed")
        let utc = TimeFormatter(timeZone: try #require(TimeZone(identifier: "UTC")))
        #expect(utc.iso(0) == "1970-01-01T00:00:00Z")
        let ny = TimeFormatter(timeZone: try #require(TimeZone(identifier: "America/New_York")))
        #expect(ny.iso(1_714_521_600) == "2024-04-30T20:00:00-04:00")
        #expect(ny.iso(-1) == "1969-12-31T18:59:59-05:00")
    }

    @Test func dateOptions() throws {
        #expect(try ExportRange.parse(since: "2024-05-01", until: nil, timeZone: tokyo).since == 1_714_489_200)
        #expect(try ExportRange.parse(since: nil, until: "2024-05-01", timeZone: tokyo).until == 1_714_575_599)
        #expect(try ExportRange.parse(since: "2024-05-01T09:00:00+09:00", until: nil, timeZone: tokyo).since == 1_714_521_600)
        // The grammar search accepts (one parser for every command).
        #expect(try ExportRange.parse(since: "2024-05-01T09:00", until: nil, timeZone: tokyo).since == 1_714_521_600)
        #expect(try ExportRange.parse(since: nil, until: "2024-05-01T09:00:00+09:00", timeZone: tokyo).until == 1_714_521_600)
        #expect(throws: UsageError.self) { try ExportRange.parse(since: "yesterday", until: nil, timeZone: tokyo) }
        #expect(throws: UsageError.self) { try ExportRange.parse(since: "2024-05-02", until: "2024-05-01", timeZone: tokyo) }
    }
}
