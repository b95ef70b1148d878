import Foundation

/// Which messages a change of the workspace posted or edited, and the deliveries Chatwork makes
/// for them: `message_created` / `message_updated` to the room event webhook of the room, and
/// `mention_to_me` to an account event webhook whose account the body mentions (`[To:N]`).
/// Deleting a message sends nothing (Chatwork has no such event).
enum SimWebhookChanges {
    struct Change: Sendable, Equatable {
        /// `message_created` or `message_updated`.
        let eventType: String
        let roomId: Int
        let message: SimMessage
    }

    /// The messages posted or edited between `before` and `after`, room by room in workspace
    /// order, each room's in posting order. `rooms` nil: every room.
    static func changes(from before: SimWorkspace, to after: SimWorkspace, rooms: Set<Int>?) -> [Change] {
        var previous: [Int: [SimMessage]] = [:]
        for room in before.rooms where rooms?.contains(room.roomId) ?? true { previous[room.roomId] = room.messages }
        var out: [Change] = []
        for room in after.rooms where rooms?.contains(room.roomId) ?? true {
            let old = previous[room.roomId] ?? []
            let new = room.messages
            if old == new { continue }
            if new.count >= old.count, new.prefix(old.count).elementsEqual(old) {
                // Only appended (the usual case): each new message is created.
                for m in new.dropFirst(old.count) where !m.deleted { out.append(Change(eventType: "message_created", roomId: room.roomId, message: m)) }
                continue
            }
            let known = Dictionary(old.map { ($0.messageId, $0) }, uniquingKeysWith: { a, _ in a })
            for m in new where !m.deleted {
                guard let was = known[m.messageId] else {
                    out.append(Change(eventType: "message_created", roomId: room.roomId, message: m))
                    continue
                }
                if was.deleted || was.body != m.body || was.updateTime != m.updateTime {
                    out.append(Change(eventType: "message_updated", roomId: room.roomId, message: m))
                }
            }
        }
        return out
    }

    /// The delivery of `change` to `setting`, nil when the setting does not see it.
    static func job(for change: Change, setting: SimWebhookSetting, time: Int) -> SimWebhookJob? {
        let m = change.message
        switch setting.scope {
        case .room(let r) where r == change.roomId:
            let event = SimWebhookEvent.MessageEvent(message_id: m.messageId, room_id: change.roomId, account_id: m.accountId, body: m.body,
                                                     send_time: m.sendTime, update_time: m.updateTime)
            return SimWebhookJob(setting: setting, eventType: change.eventType, messageID: m.messageId,
                                 body: SimWebhookEvent.body(settingID: setting.id, type: change.eventType, time: time, event: event))
        case .account(let a) where SimWebhookEvent.mentionedAccounts(in: m.body).contains(a):
            let event = SimWebhookEvent.MentionEvent(from_account_id: m.accountId, to_account_id: a, room_id: change.roomId, message_id: m.messageId,
                                                     body: m.body, send_time: m.sendTime, update_time: m.updateTime)
            return SimWebhookJob(setting: setting, eventType: "mention_to_me", messageID: m.messageId,
                                 body: SimWebhookEvent.body(settingID: setting.id, type: "mention_to_me", time: time, event: event))
        default:
            return nil
        }
    }
}
