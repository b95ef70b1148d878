import ChatworkAPI
import Foundation

/// Turns spooled deliveries into archive records.
///
/// - A complete `message_created` / `message_updated` becomes a message version (`message`
///   record), the sender's name and avatar taken from the archive (members, contacts, earlier
///   messages): a webhook carries none. A version the archive already has (same message id and
///   update time, or an older one) adds nothing, so a repeated delivery, and a nightly run that
///   later sees the same message, add nothing.
/// - Everything else a verified delivery carried (`mention_to_me`, unknown types, bodies of an
///   unexpected shape) is kept as received (`webhook_event` record).
struct WebhookRecordBuilder {
    let index: ArchiveIndex
    let runID: String

    /// What the builder made of a batch.
    struct Output {
        var records: [ArchiveRecord] = []
        var messages = 0
        var kept = 0
        var duplicates = 0
    }

    /// One delivery with its bytes and arrival time.
    struct Item {
        let raw: Data
        let receivedAt: Int
        let delivery: WebhookDelivery
    }

    func build(_ items: [Item]) throws -> Output {
        var out = Output()
        let messages = items.filter { $0.delivery.isCompleteMessage }
        let others = items.filter { !$0.delivery.isCompleteMessage }

        // Message versions: per room, oldest version first, against what the archive holds.
        let byRoom = Dictionary(grouping: messages) { $0.delivery.roomID ?? 0 }
        let senders = Set(messages.compactMap(\.delivery.accountID))
        let profiles = try index.accountProfiles(ids: senders)
        for roomID in byRoom.keys.sorted() {
            let roomItems = (byRoom[roomID] ?? []).sorted {
                ($0.delivery.messageID ?? "", $0.delivery.updateTime ?? 0, $0.receivedAt) < ($1.delivery.messageID ?? "", $1.delivery.updateTime ?? 0, $1.receivedAt)
            }
            var latest = try index.latestVersions(roomID: roomID, messageIDs: Set(roomItems.compactMap(\.delivery.messageID)))
            for item in roomItems {
                let d = item.delivery
                guard let id = d.messageID, let accountID = d.accountID, let body = d.body, let sendTime = d.sendTime else { continue }
                let updateTime = d.updateTime ?? 0
                if let known = latest[id] {
                    // Same version (a repeat), or an older one arriving late: nothing new.
                    if known.updateTime > updateTime || (known.updateTime == updateTime && known.body == body) {
                        out.duplicates += 1
                        continue
                    }
                }
                let profile = profiles[accountID]
                var message = Message(messageID: id, account: Account(accountID: accountID, name: profile?.name ?? "", avatarImageURL: profile?.avatar ?? ""),
                                      body: body, sendTime: sendTime, updateTime: updateTime)
                if !d.extraEventFields.isEmpty { message.unknownFields = .object(d.extraEventFields) }
                out.records.append(ArchiveRecord(run: runID, at: item.receivedAt, roomID: roomID, payload: .message(message)))
                latest[id] = KnownMessage(body: body, updateTime: updateTime, sendTime: sendTime, deleted: false)
                out.messages += 1
            }
        }

        // Everything else, as received, once per body.
        var seen = try index.knownWebhookBodies(Set(others.map { Hashing.sha256($0.raw) }))
        for item in others.sorted(by: { $0.receivedAt < $1.receivedAt }) {
            let d = item.delivery
            let kept = WebhookEventRecord(eventType: d.eventTypeName, messageID: d.messageID, eventTime: d.eventTime, raw: item.raw)
            guard seen.insert(kept.bodySHA256).inserted else {
                out.duplicates += 1
                continue
            }
            out.records.append(ArchiveRecord(run: runID, at: item.receivedAt, roomID: d.roomID, payload: .webhookEvent(kept)))
            out.kept += 1
        }
        return out
    }
}
