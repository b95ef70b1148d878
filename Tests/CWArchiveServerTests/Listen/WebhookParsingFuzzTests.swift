import Foundation
import Testing
@testable import CWArchiveCore
@testable import CWArchiveServer

/// The delivery reader and the signature check on random and hostile bodies: they never trap,
/// nothing unsigned is ever accepted, and a signed body is accepted exactly when it should be.
@Suite struct WebhookParsingFuzzTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    static let fragments = [
        "{", "}", "[", "]", ",", ":", "\"", "\"webhook_event\"", "\"webhook_event_type\"", "\"message_created\"",
        "\"mention_to_me\"", "\"room_id\"", "\"message_id\"", "\"body\"", "\"send_time\"", "\"update_time\"", "1001", "-1",
        "9223372036854775807", "99999999999999999999", "1e308", "null", "true", "\"\\u0000\"", "\"\\ud800\"", "\u{202E}", "\n",
    ]

    static func randomBody(_ r: inout Rng) -> Data {
        if r.int(4) == 0 { return Data((0..<r.int(300)).map { _ in UInt8(truncatingIfNeeded: r.next()) }) }
        var s = ""
        for _ in 0..<r.int(40) { s += fragments[r.int(fragments.count)] }
        return Data(s.utf8)
    }

    @Test func randomBodiesNeverTrapAndAreNeverAcceptedUnsigned() {
        let key = Array("0123456789abcdef0123456789abcdef".utf8)
        let auth = WebhookAuthenticator(roomTokens: [1001: WebhookToken(key: key, path: "/x")], accountToken: nil)
        var r = Rng(state: 0xC0FFEE)
        for _ in 0..<3000 {
            let body = Self.randomBody(&r)
            let d = WebhookDelivery.parse(body)
            if d.isCompleteMessage {
                #expect(d.messageID?.allSatisfy(\.isNumber) == true)
                #expect((d.sendTime ?? -1) >= 0)
            }
            // Unsigned, or signed with another key: refused.
            if case .success = auth.check(body: body, signature: nil) { Issue.record("unsigned body accepted") }
            let wrong = WebhookSignature.sign(body, key: Array("another key".utf8))
            if case .success = auth.check(body: body, signature: wrong) { Issue.record("wrongly signed body accepted") }
            // Correctly signed: accepted unless the body names a room without a token (or is a mention).
            let right = WebhookSignature.sign(body, key: key)
            let accepted: Bool
            if case .success = auth.check(body: body, signature: right) { accepted = true } else { accepted = false }
            let namesOtherRoom = d.roomID.map { $0 != 1001 } ?? false
            #expect(accepted == !(namesOtherRoom || d.eventType == .mentionToMe), "body \(body.base64EncodedString())")
        }
    }

    @Test func hostileSignaturesAreRefused() {
        let key = Array("k".utf8)
        let body = Data(#"{"webhook_event_type":"message_created","webhook_event":{"room_id":1}}"#.utf8)
        let good = WebhookSignature.sign(body, key: key)
        #expect(WebhookSignature.isValid(good, body: body, key: key))
        #expect(WebhookSignature.isValid(" \(good) ", body: body, key: key))
        for bad in ["", "=", String(repeating: "A", count: 10_000), String(good.dropLast(2)), good + "AAAA",
                    Data(repeating: 0, count: 32).base64EncodedString(), "\u{0}" + good, good.lowercased()] where bad != good {
            #expect(!WebhookSignature.isValid(bad, body: body, key: key), "accepted \(bad.prefix(40))")
        }
    }

    @Test func queryValuesKeepBase64Intact() {
        #expect(ListenResponder.queryValue("chatwork_webhook_signature=ab%2Bc%2F%3D", "chatwork_webhook_signature") == "ab+c/=")
        #expect(ListenResponder.queryValue("chatwork_webhook_signature=ab+c", "chatwork_webhook_signature") == "ab+c")
        #expect(ListenResponder.queryValue("x=1&chatwork_webhook_signature=q", "chatwork_webhook_signature") == "q")
        #expect(ListenResponder.queryValue("chatwork_webhook_signature", "chatwork_webhook_signature") == nil)
        #expect(ListenResponder.queryValue(nil, "chatwork_webhook_signature") == nil)
        #expect(ListenResponder.queryValue("chatwork_webhook_signature=%ZZ", "chatwork_webhook_signature") == nil)
    }

    @Test func spoolNamesFromOutsideAreNotTakenForEntries() {
        #expect(WebhookSpool.entry(named: "../x.body") == nil)
        #expect(WebhookSpool.entry(named: ".tmp") == nil)
        #expect(WebhookSpool.entry(named: "0000000000001-" + String(repeating: "g", count: 64) + ".body") == nil)
        let ok = WebhookSpool.entry(named: "0000000000001-" + String(repeating: "a", count: 64) + ".body")
        #expect(ok?.receivedAtMillis == 1)
    }
}
