import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
import CWTestSupport

/// `cwarchive search` through the binary, on an archive made from the simulator.
@Suite("Search end to end", .serialized, .enabled(if: CLIRunner.isAvailable))
struct SearchEndToEndTests {
    func hits(_ r: CLIRunner.Result) throws -> [[String: Any]] {
        try r.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func everyQueryKindFindsExactlyTheExpectedMessages() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            let room = SimulatorHarness.directRoom
            let past = Int(Date().timeIntervalSince1970) - 600
            let ids = try h.sim.updateWorkspace { ws -> [String: String] in
                var ids: [String: String] = [:]
                ids["ringi"] = try ws.addMessage(roomId: room, accountId: 1000003, body: "稟議書を提出しました", at: past)
                ids["abc"] = try ws.addMessage(roomId: room, accountId: 1000001, body: "ＡＢＣ社との打ち合わせは明日です", at: past + 1)
                ids["kana"] = try ws.addMessage(roomId: room, accountId: 1000003, body: "ｶﾀｶﾅのテストです", at: past + 2)
                ids["budget"] = try ws.addMessage(roomId: room, accountId: 1000003, body: "The Budget review is moved to Friday", at: past + 3)
                ids["edit"] = try ws.addMessage(roomId: room, accountId: 1000001, body: "見積書の初版です", at: past + 4)
                ids["gone"] = try ws.addMessage(roomId: room, accountId: 1000001, body: "削除予定のメモ", at: past + 5)
                return ids
            }
            try await h.archive()
            try h.sim.updateWorkspace { ws in
                try ws.editMessage(roomId: room, messageId: ids["edit"]!, body: "見積書の第二版です", at: past + 10)
                try ws.deleteMessage(roomId: room, messageId: ids["gone"]!, at: past + 11)
            }
            let second = try await h.archive()
            #expect(second.messages.edited == 1 && second.messages.deleted == 1)

            let archive = h.archiveURL.path
            func search(_ args: [String]) async throws -> CLIRunner.Result {
                try await CLIRunner.run(["search"] + args + ["--archive", archive, "--format", "json", "--limit", "0"])
            }
            func found(_ q: String, _ extra: [String] = []) async throws -> Set<String> {
                Set(try hits(try await search([q] + extra)).compactMap { $0["message_id"] as? String })
            }

            #expect(try await found("稟議") == [ids["ringi"]!])              // two Japanese characters
            #expect(try await found("稟") == [ids["ringi"]!])                // one
            #expect(try await found("稟議書を提出") == [ids["ringi"]!])       // a longer substring
            #expect(try await found("abc社") == [ids["abc"]!])               // ＡＢＣ = abc
            #expect(try await found("カタカナ") == [ids["kana"]!])            // ｶﾀｶﾅ = カタカナ
            #expect(try await found("budget") == [ids["budget"]!])           // English word, any case
            #expect(try await found("budget friday") == [ids["budget"]!])    // AND
            #expect(try await found("budget -friday").isEmpty)               // exclusion
            #expect(try await found("稟議 OR カタカナ") == [ids["ringi"]!, ids["kana"]!])
            #expect(try await found("\"review is moved\"") == [ids["budget"]!])
            #expect(try await found("打ち合わせ", ["--room", String(room)]) == [ids["abc"]!])
            #expect(try await found("打ち合わせ", ["--room", "2000004"]).isEmpty)
            #expect(try await found("打ち合わせ", ["--account", "1000001"]) == [ids["abc"]!])
            #expect(try await found("打ち合わせ", ["--account", "1000003"]).isEmpty)
            let day = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(past + 1)))
            #expect(try await found("打ち合わせ", ["--since", day]) == [ids["abc"]!])
            #expect(try await found("打ち合わせ", ["--until", "2001-01-01"]).isEmpty)

            // Current versions only by default; --history adds the edited and deleted ones.
            #expect(try await found("初版").isEmpty)
            #expect(try await found("削除予定").isEmpty)
            let history = try hits(try await search(["見積書", "--history"]))
            let statuses = Set(history.compactMap { $0["status"] as? String })
            #expect(statuses == ["current", "edited"])
            let deleted = try hits(try await search(["削除予定", "--history"]))
            #expect(deleted.first?["status"] as? String == "deleted")

            // Every field, with its type.
            let hit = try #require(try hits(try await search(["稟議"])).first)
            #expect(hit["room_id"] as? Int == room)
            #expect(hit["room_name"] is String)
            #expect(hit["message_id"] as? String == ids["ringi"])
            #expect(hit["account_id"] as? Int == 1000003)
            #expect(hit["account_name"] as? String == "John Smith")
            #expect(hit["send_time"] as? Int == past)
            #expect(hit["update_time"] as? Int == 0)
            #expect(hit["body"] as? String == "稟議書を提出しました")
            #expect(hit["status"] as? String == "current")

            // Exit codes like grep.
            #expect(try await search(["稟議"]).status == 0)
            #expect(try await search(["存在しない言葉"]).status == 1)
            #expect(try await search(["\""]).status == 2)
            #expect(try await search(["稟議", "--since", "not-a-date"]).status == 2)
            #expect(try await CLIRunner.run(["search", "x", "--archive", h.tmp.path("none").path]).status == 2)
        }
    }
}
