import Foundation

/// Posting and editing a message, as the reference describes them (チャットにメッセージを投稿する,
/// チャットのメッセージを更新する): `POST /rooms/{id}/messages` and `PUT /rooms/{id}/messages/{message_id}`
/// with a form-encoded `body` (1 to 65,535 characters; `self_unread` 0 or 1 for a post), answering
/// `{"message_id": "…"}`. A read-only member cannot post (403); only the author may edit, and not
/// a system message (403); a message that does not exist (or was deleted) is 404. The message
/// is sent at the simulator's clock and moves the room's `last_update_time`, and its webhook
/// deliveries follow (``ChatworkSimulator/addRoomWebhook(roomId:url:token:delivery:)``).
///
/// Not modelled: Chatwork's per-room limit on posting messages and tasks (its own 429).
extension APIRoutes {
    /// The message body's limits of the reference.
    static let bodyLength = 1...65_535

    /// Whether a non-GET request is one of the writes the simulator serves.
    static func isWrite(_ r: APIRequest) -> Bool {
        let s = r.segments
        guard s.count >= 3, s[0] == "rooms", s[2] == "messages" else { return false }
        switch r.method {
        case "POST": return s.count == 3
        // PUT /messages/read and /messages/unread are other endpoints (marking as read), not served.
        case "PUT": return s.count == 4 && s[3] != "read" && s[3] != "unread"
        default: return false
        }
    }

    mutating func write(_ r: APIRequest) throws(ResponseError) -> SimResponse {
        guard Self.isWrite(r) else { throw ResponseError(.errors(404, "Invalid Endpoint or HTTP method")) }
        guard let roomId = Int(r.segments[1]) else { throw ResponseError(.errors(400, "Invalid value for 'room_id': it must be an integer.")) }
        let room = try memberRoom(roomId)
        let body = try Self.messageBody(r)
        let time = Int(now.timeIntervalSince1970.rounded(.down))
        if r.method == "POST" {
            guard room.role(of: viewer) != .readonly else {
                throw ResponseError(.errors(403, "You don't have permission to post a message in this room"))
            }
            switch r.form["self_unread"] {
            case nil, "0", "1": break
            default: throw ResponseError(.errors(400, "Invalid value for 'self_unread': it must be 0 or 1."))
            }
            do {
                let id = try state.workspace.addMessage(roomId: roomId, accountId: viewer, body: body, at: time)
                return .ok(["message_id": id])
            } catch {
                throw ResponseError(.errors(404, "Room not found"))
            }
        }
        let messageId = r.segments[3]
        guard let m = room.messages.first(where: { $0.messageId == messageId }), !m.deleted else {
            throw ResponseError(.errors(404, "Message not found"))
        }
        guard m.accountId == viewer else {
            throw ResponseError(.errors(403, "You don't have permission to edit a message someone else posted"))
        }
        guard !m.body.contains("[dtext:") else {
            throw ResponseError(.errors(403, "A system message cannot be edited"))
        }
        do {
            try state.workspace.editMessage(roomId: roomId, messageId: messageId, body: body, at: time)
        } catch {
            throw ResponseError(.errors(404, "Message not found"))
        }
        return .ok(["message_id": messageId])
    }

    /// The `body` parameter, checked as the reference says.
    private static func messageBody(_ r: APIRequest) throws(ResponseError) -> String {
        guard let body = r.form["body"] else { throw ResponseError(.errors(400, "Parameter 'body' is required.")) }
        guard bodyLength.contains(body.count) else {
            throw ResponseError(.errors(400, "Invalid value for 'body': its length must be between 1 and 65535."))
        }
        return body
    }
}
