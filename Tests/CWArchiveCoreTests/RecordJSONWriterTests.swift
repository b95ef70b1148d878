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

@Suite("RecordJSONReader: hand-read message records equal JSONDecoder's")
struct RecordJSONReaderTests {
    @Test(arguments: ["plain", "", "会議は明日です。\n[To:123]山田さん", "quote \" backslash \\ slash / tab \t",
                      RecordJSONWriterTests.controls, "\u{7f}\u{2028}\u{2029}\u{FEFF}😀 e\u{301}"])
    func writtenRecordsReadBack(body: String) throws {
        for roomID in [Int?.none, 42] {
            for (at, send, update) in [(0, 0, 0), (1_700_000_000, -5, Int.max), (Int.min, 123, 9)] {
                let m = Message(messageID: "17", account: Account(accountID: -7, name: body, avatarImageURL: "https://a/b.png"),
                                body: body, sendTime: send, updateTime: update)
                let record = ArchiveRecord(run: "run-\(body)", at: at, roomID: roomID, payload: .message(m))
                let line = Data(try RecordJSONWriterTests.encoderBytes(record))
                #expect(RecordJSONReader.messageRecord(line) == record)
            }
        }
    }

    @Test func escapesThatOnlyOtherWritersUseAreDecodedLikeJSONDecoder() throws {
        let line = #"{"at":1,"data":{"account":{"account_id":2,"avatar_image_url":"https:\/\/x","name":"\u5c71\u7530 \ud83d\ude00"},"body":"a\u000Ab","message_id":"3","send_time":4,"update_time":5},"room_id":6,"run":"r","type":"message"}"#
        let data = Data(line.utf8)
        #expect(RecordJSONReader.messageRecord(data) == (try JSONDecoder().decode(ArchiveRecord.self, from: data)))
    }

    @Test(arguments: [
        #"{"at":1.5,"data":{"account":{"account_id":2,"avatar_image_url":"x","name":"n"},"body":"b","message_id":"3","send_time":4,"update_time":5},"run":"r","type":"message"}"#,
        #"{"at":01,"data":{"account":{"account_id":2,"avatar_image_url":"x","name":"n"},"body":"b","message_id":"3","send_time":4,"update_time":5},"run":"r","type":"message"}"#,
        #"{"at":1, "data":{"account":{"account_id":2,"avatar_image_url":"x","name":"n"},"body":"b","message_id":"3","send_time":4,"update_time":5},"run":"r","type":"message"}"#,
        #"{"at":1,"data":{"account":{"account_id":2,"avatar_image_url":"x","name":"n"},"body":"\ud800","message_id":"3","send_time":4,"update_time":5},"run":"r","type":"message"}"#,
        #"{"at":1,"data":{"account":{"account_id":2,"avatar_image_url":"x","name":"n"},"body":"b","message_id":"3","send_time":4,"update_time":5},"run":"r","type":"message"} "#,
        #"{"at":99999999999999999999,"data":{"account":{"account_id":2,"avatar_image_url":"x","name":"n"},"body":"b","message_id":"3","send_time":4,"update_time":5},"run":"r","type":"message"}"#,
        #"{"at":1,"room_id":2,"run":"r","type":"room_synced","data":{"last_update_time":3}}"#,
    ])
    func otherLayoutsAreLeftToJSONDecoder(line: String) {
        #expect(RecordJSONReader.messageRecord(Data(line.utf8)) == nil)
    }

    @Test func invalidUTF8IsLeftToJSONDecoder() {
        var bytes = Array(#"{"at":1,"data":{"account":{"account_id":2,"avatar_image_url":"x","name":"n"},"body":"#.utf8)
        bytes += [0x22, 0xFF, 0x22]
        bytes += Array(#","message_id":"3","send_time":4,"update_time":5},"run":"r","type":"message"}"#.utf8)
        #expect(RecordJSONReader.messageRecord(Data(bytes)) == nil)
    }
}
