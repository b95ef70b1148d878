import Foundation

/// Messages: the newest-100 window, the force=0 cursor, edits, deletions and the viewing limit.
extension APIRoutes {
    /// The 100-message window of `GET /rooms/{id}/messages`.
    static let messageWindow = 100

    /// Messages a list may show: not deleted and, in a limited room, of the past N days.
    func visibleMessages(_ room: SimRoom) -> [(index: Int, message: SimMessage)] {
        room.messages.enumerated().compactMap { i, m in
            (!m.deleted && isInsideLimit(m, room)) ? (i, m) : nil
        }
    }

    func isInsideLimit(_ m: SimMessage, _ room: SimRoom) -> Bool {
        guard let limit = room.messageLimitation else { return true }
        return TimeInterval(m.sendTime) >= now.timeIntervalSince1970 - TimeInterval(limit.days) * 86_400
    }

    /// `chatwork-message-limitation` headers, present only on limited rooms.
    func limitationHeaders(_ room: SimRoom) -> [(String, String)] {
        guard let limit = room.messageLimitation else { return [] }
        return [("chatwork-message-limitation", "true"), ("chatwork-message-limitation-summary", limit.summary)]
    }

    private var cursorKeyPrefix: String { token + "\u{0}" }

    mutating func messages(_ room: SimRoom, _ r: APIRequest) throws(ResponseError) -> SimResponse {
        let force: Bool
        switch r.query["force"] {
        case nil, "0": force = false
        case "1": force = true
        default: throw ResponseError(.errors(400, "Invalid value for 'force': it must be 0 or 1."))
        }
        let key = cursorKeyPrefix + String(room.roomId)
        var candidates = visibleMessages(room)
        if !force, let cursor = state.cursors[key] {
            if let position = room.messages.firstIndex(where: { $0.messageId == cursor }) {
                candidates = candidates.filter { $0.index > position }
            } else if let cursorNumber = UInt64(cursor) {
                candidates = candidates.filter { (UInt64($0.message.messageId) ?? 0) > cursorNumber }
            }
        }
        let batch = candidates.suffix(Self.messageWindow)
        // Fetching marks messages as fetched, with force=1 too: the next force=0 starts after them.
        if let newest = batch.last {
            state.cursors[key] = newest.message.messageId
        }
        var response = SimResponse.ok(batch.map { APIShape.Message($0.message, workspace.account($0.message.accountId)) })
        response.headers.append(contentsOf: limitationHeaders(room))
        return response
    }

    func message(_ room: SimRoom, id: String) throws(ResponseError) -> SimResponse {
        let notFound = ResponseError(.errors(404, "Message not found"))
        guard let m = room.messages.first(where: { $0.messageId == id }), isInsideLimit(m, room) else {
            var response = notFound.response
            response.headers.append(contentsOf: limitationHeaders(room))
            throw ResponseError(response)
        }
        if m.deleted, configuration.deletedMessageLookup == .notFound {
            throw notFound
        }
        var response = SimResponse.ok(APIShape.Message(m, workspace.account(m.accountId), deletedBody: m.deleted))
        response.headers.append(contentsOf: limitationHeaders(room))
        return response
    }
}
