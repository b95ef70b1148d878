import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

@Suite("RecordJSONWriter: hand-written message records equal JSONEncoder's bytes")
struct RecordJSONWriterTests {
    static func encoderBytes(_ record: ArchiveRecord) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try e.encode(record))
    }

    static var controls: String {
        var s = ""
        for c in 0..<0x20 { s.unicodeScalars.append(Unicode.Scalar(UInt8(c))) }
        return s
    }

    @Test(arguments: [
        "plain", "", "会議は明日です。\n[To:123]山田さん", "quote \" backslash \\ slash / tab \t",
        RecordJSONWriterTests.controls, "\u{7f}\u{2028}\u{2029}\u{FEFF}😀 e\u{301}", "[code]let x = \"a\\n\"[/code]",
    ])
    func messageRecordsMatchTheEncoder(body: String) throws {
        for roomID in [Int?.none, 42] {
            for (at, send, update) in [(0, 0, 0), (1_700_000_000, -5, Int.max), (Int.min, 123, 9)] {
                let m = Message(messageID: "1700000000000000001", account: Account(accountID: -7, name: body + "さん", avatarImageURL: "https://a/b\"c.png"),
                                body: body, sendTime: send, updateTime: update)
                let record = ArchiveRecord(run: "run/\"\(body)", at: at, roomID: roomID, payload: .message(m))
                var out: [UInt8] = []
                #expect(RecordJSONWriter.appendMessageRecord(record, to: &out))
                #expect(out == (try Self.encoderBytes(record)))
                #expect((try JSONDecoder().decode(ArchiveRecord.self, from: Data(out))) == record)
            }
        }
    }

    @Test func otherRecordsAreLeftToTheEncoder() {
        var out: [UInt8] = [1, 2]
        let record = ArchiveRecord(run: "r", at: 1, roomID: 2, payload: .roomSynced(RoomSynced(lastUpdateTime: 3)))
        #expect(!RecordJSONWriter.appendMessageRecord(record, to: &out))
        #expect(out == [1, 2])
    }
}
