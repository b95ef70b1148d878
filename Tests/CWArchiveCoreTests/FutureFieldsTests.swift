import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore

/// A later API version may add members cwarchive does not know yet. The archive keeps them (the
/// records' `unknown_fields`), and everything else works as before.
@Suite("Unknown API fields are archived, not dropped")
struct FutureFieldsTests {
    @Test func membersTheModelsDoNotKnowReachTheDataFiles() async throws {
        var configuration = SimulatorConfiguration()
        configuration.futureFields = true
        try await SimulatorHarness.with(configuration: configuration) { h in
            try await h.archive()

            let store = try ArchiveStore.open(at: h.archiveURL, create: false)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var kinds: Set<String> = []
            var accountsFlagged = 0
            for manifest in try store.manifests() {
                for entry in manifest.manifest.files where entry.path.hasPrefix("data/") {
                    try SegmentReader.forEachLine(in: store.root.appendingPathComponent(entry.path)) { line, _ in
                        let record = try JSONDecoder().decode(ArchiveRecord.self, from: line)
                        // Reading a line and writing it again loses nothing.
                        #expect(try encoder.encode(record) == line)
                        guard let unknown = record.payload.unknownFields else { return }
                        let text = String(decoding: try encoder.encode(unknown), as: UTF8.self)
                        #expect(text.contains("x_future_field"))
                        if text.contains("x_future_flag") { accountsFlagged += 1 }
                        kinds.insert(record.typeName)
                    }
                }
            }
            #expect(kinds.isSuperset(of: ["me", "room", "members", "message", "contacts"]), "\(kinds)")
            #expect(accountsFlagged > 0)

            // The index and the second run are unaffected.
            #expect(try h.count("SELECT COUNT(*) FROM messages") > 0)
            let second = try await h.archive()
            #expect(second.rooms.changed == 0)
        }
    }

    @Test func aMessageWithUnknownFieldsTakesTheEncodersPath() throws {
        var m = makeMessage("1", body: "本文", time: 100)
        m.unknownFields = .object(["x_new": .int(1)])
        let record = ArchiveRecord(run: "r", at: 1, roomID: 5, payload: .message(m))
        var fast: [UInt8] = []
        #expect(!RecordJSONWriter.appendMessageRecord(record, to: &fast))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = try encoder.encode(record)
        #expect(String(decoding: line, as: UTF8.self).hasSuffix(#""type":"message","unknown_fields":{"x_new":1}}"#))
        #expect(RecordJSONReader.messageRecord(line) == nil)
        #expect(try JSONDecoder().decode(ArchiveRecord.self, from: line) == record)
    }
}
