/// What a rebuild knows without asking SQLite. A rebuild starts from an empty index and every
/// message row goes through the ingestor, so it can remember which messages it has inserted (as
/// hashes: a match only means "maybe", and is then looked up) and the next free row id of every
/// second (``MessageRowID``). That saves two SELECTs per message, the most of a rebuild's
/// SQL after the two INSERTs.
///
/// Memory grows with the archive (about 40 bytes a message); past `limit` messages the memo
/// switches itself off and the ingestor asks SQLite again, which is always correct.
final class RebuildMemo {
    private(set) var isActive = true
    private var messageKeys = Set<Int>()
    private var usedInSecond: [Int64: Int64] = [:]
    let limit: Int

    init(limit: Int = 5_000_000) {
        self.limit = limit
    }

    private static func key(roomID: Int, messageID: String) -> Int {
        var h = Hasher()
        h.combine(roomID)
        h.combine(messageID)
        return h.finalize()
    }

    /// False when the message is certainly not in the index yet.
    func mayContain(roomID: Int, messageID: String) -> Bool {
        !isActive || messageKeys.contains(Self.key(roomID: roomID, messageID: messageID))
    }

    /// The row id for a new row sent in second `sendTime`, remembering the message; nil when the
    /// memo is off (ask SQLite).
    func nextRowID(roomID: Int, messageID: String, sendTime: Int) -> Int64? {
        guard isActive else { return nil }
        if messageKeys.count >= limit {
            isActive = false
            messageKeys = []
            usedInSecond = [:]
            return nil
        }
        messageKeys.insert(Self.key(roomID: roomID, messageID: messageID))
        let id = MessageRowID.next(sendTime: sendTime) { usedInSecond[$0, default: 0] }
        usedInSecond[id >> MessageRowID.bitsPerSecond, default: 0] += 1
        return id
    }
}
