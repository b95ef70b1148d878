import Foundation
import ChatworkSimulator
import Testing
@testable import ChatworkAPI

/// What a response says beyond the typed models is kept as a patch, and the patch gives the
/// response back exactly.
@Suite("Unknown fields: kept as a patch that gives the response back")
struct UnknownFieldsTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func aMessageKeepsNewMembersAndLenientlyChangedValues() throws {
        let body = #"[{"message_id":"5","account":{"account_id":"7","name":"A","avatar_image_url":"u","badge":"gold"},"body":"hi","send_time":10,"update_time":null,"reactions":[{"emoji":"👍","count":2}]}]"#
        let decoded = UnknownFields.attach(to: try JSONDecoder().decode([Message].self, from: Data(body.utf8)), from: Data(body.utf8))
        let m = try #require(decoded.first)
        #expect(m.account.accountID == 7)
        #expect(m.unknownFields == (try Self.json(#"{"account":{"account_id":"7","badge":"gold"},"update_time":null,"reactions":[{"emoji":"👍","count":2}]}"#)))
        // The model's encoding plus the patch is the response's element, member for member.
        let known = try UnknownFields.json(of: m)
        guard case .array(let sent) = try Self.json(body) else { Issue.record("not a list"); return }
        #expect(UnknownFields.apply(m.unknownFields, to: known) == sent[0])
    }

    @Test func aModelThatHoldsEverythingHasNoPatch() throws {
        let body = #"{"room_id":1,"name":"R","type":"group","role":"admin","sticky":false,"unread_num":0,"mention_num":0,"mytask_num":0,"message_num":3,"file_num":0,"task_num":0,"icon_path":"","last_update_time":9}"#
        let room = UnknownFields.attach(to: try JSONDecoder().decode(Room.self, from: Data(body.utf8)), from: Data(body.utf8))
        #expect(room.unknownFields == nil)
        // The patch is not part of the model's own encoding.
        #expect(!String(decoding: try JSONEncoder().encode(room), as: UTF8.self).contains("unknown"))
    }

    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        switch rng.next() % (depth > 2 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .int(Int64(rng.next() % 1000))
        case 3: return .double(Double(rng.next() % 1000) / 8)
        case 4: return .string(["", "a", "二", "x y"][Int(rng.next() % 4)])
        case 5: return .array((0..<Int(rng.next() % 4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default: return randomObject(&rng, depth: depth + 1)
        }
    }

    static func randomObject(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int(rng.next() % 5) { members[["a", "b", "c", "d", "e"][Int(rng.next() % 5)]] = randomValue(&rng, depth: depth) }
        return .object(members)
    }

    /// `known` keeps some members of `sent`, some changed; the patch always restores `sent`.
    static func knownPart(of value: JSONValue, _ rng: inout SeededRandom) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (k, v) in members where rng.next() % 3 != 0 {
                out[k] = rng.next() % 4 == 0 ? .string("changed") : knownPart(of: v, &rng)
            }
            return .object(out)
        case .array(let items): return .array(items.map { knownPart(of: $0, &rng) })
        default: return rng.next() % 4 == 0 ? .null : value
        }
    }

    @Test func patchesRestoreTheResponseOnRandomJSON() {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<5_000 {
            let sent = Self.randomObject(&rng, depth: 0)
            let known = Self.knownPart(of: sent, &rng)
            let patch = UnknownFields.patch(sent: sent, known: known)
            #expect(UnknownFields.apply(patch, to: known) == sent)
            #expect((patch == nil) == (sent == known))
        }
    }
}
