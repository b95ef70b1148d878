import Foundation

/// The JSON bodies Chatwork posts, built field for field as its documentation shows:
/// `{"webhook_setting_id", "webhook_event_type", "webhook_event_time", "webhook_event": {…}}`.
enum SimWebhookEvent {
    struct MessageEvent: Encodable {
        let message_id: String
        let room_id: Int
        let account_id: Int
        let body: String
        let send_time: Int
        let update_time: Int
    }

    struct MentionEvent: Encodable {
        let from_account_id: Int
        let to_account_id: Int
        let room_id: Int
        let message_id: String
        let body: String
        let send_time: Int
        let update_time: Int
    }

    struct Envelope<Event: Encodable>: Encodable {
        let webhook_setting_id: String
        let webhook_event_type: String
        let webhook_event_time: Int
        let webhook_event: Event
    }

    static func body(settingID: String, type: String, time: Int, event: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(Envelope(webhook_setting_id: settingID, webhook_event_type: type, webhook_event_time: time, webhook_event: event))) ?? Data()
    }

    /// The account ids a body mentions with `[To:N]` (and `[toall]` is not a mention of anyone).
    static func mentionedAccounts(in body: String) -> Set<Int> {
        var out = Set<Int>()
        var rest = Substring(body)
        while let r = rest.range(of: "[To:") {
            rest = rest[r.upperBound...]
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if let id = Int(digits), rest.dropFirst(digits.count).first == "]" { out.insert(id) }
        }
        return out
    }
}
