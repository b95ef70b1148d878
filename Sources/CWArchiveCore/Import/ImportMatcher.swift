import ChatworkAPI
import Crypto
import Foundation

/// Decides, row by row, what an imported message is to the archive: the same message and
/// version it already holds (`matched`), another version of a message it holds (`newVersion`),
/// or a message it lacks (`new`). Keeps what this run added so a message that several source
/// files share (byecha's overlapping pages, a file given twice) counts once.
///
/// Memory: the archive's messages of the room being read (one room at a time) and a few words
/// per message this run added or matched without an id.
final class ImportMatcher {
    enum Outcome: Equatable { case new, matched, newVersion }

    /// The decision for one row: the message as it will be recorded, and what it is.
    struct Decision {
        var message: Message
        var hasChatworkID: Bool
        var outcome: Outcome
        /// It is (or matched) a message the API gave.
        var sharesAPIMessage: Bool
    }

    private let index: ArchiveIndex
    private var current: (roomID: Int, state: ImportRoomState)?
    private var addedVersions = Set<Int>()
    private var addedIDs = Set<Int>()
    /// Archived messages a row without an id was matched to in this run.
    private var claimed = Set<Int>()
    /// Per source file: how many rows with the same time, sender and body came before (for derived ids).
    private var occurrences: [Int: Int] = [:]

    init(index: ArchiveIndex) { self.index = index }

    /// The archive's state of the room (read once per room in a row of rows of that room).
    func state(roomID: Int) throws -> ImportRoomState {
        if let c = current, c.roomID == roomID { return c.state }
        let s = try index.importRoomState(roomID: roomID)
        current = (roomID, s)
        return s
    }

    /// Starts a new source file (derived ids count repeats within one file).
    func startFile() { occurrences = [:] }

    func decide(_ row: ImportRow) throws -> Decision {
        let state = try state(roomID: row.roomID)
        var accountID = row.accountID
        if accountID == nil, let ids = state.accountIDsByName[row.accountName], ids.count == 1 { accountID = ids.first }
        var id: String
        var hasID = true
        var sharesAPI = false
        if let given = row.messageID, !(row.extra["derived_id"] == .bool(true)) {
            id = given
        } else if let given = row.messageID {
            id = given
            hasID = false
        } else {
            hasID = false
            id = derivedID(row, accountKey: accountID.map(String.init) ?? row.accountName)
            if let found = matchWithoutID(row, derivedID: id, accountID: accountID, state: state) { return found }
        }
        var message = Message(messageID: id, account: Account(accountID: accountID ?? 0, name: row.accountName, avatarImageURL: ""),
                              body: row.body, sendTime: row.sendTime, updateTime: row.updateTime)
        var extra = row.extra
        extra["derived_id"] = nil
        message.unknownFields = extra.isEmpty ? nil : .object(extra)
        let versionKey = Self.key(row.roomID, id, row.body, row.updateTime)
        let idKey = Self.key(row.roomID, id)
        let known = state.versions[id]
        sharesAPI = known?.contains(where: \.fromAPI) ?? false
        let outcome: Outcome
        if addedVersions.contains(versionKey) || (known?.contains { $0.body == row.body && $0.updateTime == row.updateTime } ?? false) {
            outcome = .matched
        } else {
            outcome = (known != nil || addedIDs.contains(idKey)) ? .newVersion : .new
            addedVersions.insert(versionKey)
            addedIDs.insert(idKey)
        }
        return Decision(message: message, hasChatworkID: hasID, outcome: outcome, sharesAPIMessage: sharesAPI)
    }

    /// A row without a message id against the room's messages: the message an earlier import of
    /// the same row recorded (its derived id), else one with the same send time (a time written to
    /// the minute matches within that minute), body and sender (any sender when the row names
    /// none). Each archived message answers one row only, so rows that repeat one another each
    /// keep a message of their own.
    private func matchWithoutID(_ row: ImportRow, derivedID: String, accountID: Int?, state: ImportRoomState) -> Decision? {
        func decision(_ candidate: String, _ v: ImportKnownVersion) -> Decision {
            claimed.insert(Self.key(row.roomID, candidate))
            return Decision(message: Message(messageID: candidate, account: Account(accountID: v.accountID, name: v.accountName, avatarImageURL: ""),
                                             body: row.body, sendTime: v.sendTime, updateTime: v.updateTime),
                            hasChatworkID: !candidate.hasPrefix(ImportedMessage.derivedIDPrefix), outcome: .matched, sharesAPIMessage: v.fromAPI)
        }
        if let v = state.versions[derivedID]?.first, !claimed.contains(Self.key(row.roomID, derivedID)) { return decision(derivedID, v) }
        let body = Self.normalised(row.body)
        let anySender = accountID == nil && row.accountName.isEmpty
        let times = row.sendTime % 60 == 0 ? Array(row.sendTime..<(row.sendTime + 60)) : [row.sendTime]
        for t in times {
            for candidate in state.bySendTime[t] ?? [] where !claimed.contains(Self.key(row.roomID, candidate)) {
                guard let versions = state.versions[candidate] else { continue }
                if let v = versions.first(where: { Self.normalised($0.body) == body && (anySender || $0.accountID == accountID || $0.accountName == row.accountName) }) {
                    return decision(candidate, v)
                }
            }
        }
        return nil
    }

    /// A stable id for a message without one: the same row of the same export always gives the same id.
    private func derivedID(_ row: ImportRow, accountKey: String) -> String {
        let content = "\(row.roomID)\n\(row.sendTime)\n\(accountKey)\n\(Self.normalised(row.body))"
        let k = content.hashValue
        let n = occurrences[k, default: 0]
        occurrences[k] = n + 1
        let digest = SHA256.hash(data: Data("\(content)\n\(n)".utf8))
        return ImportedMessage.derivedIDPrefix + Hashing.hex(digest).prefix(24)
    }

    /// Bodies compared as text: line ends normalised, trailing white space ignored.
    static func normalised(_ body: String) -> String {
        var s = body.replacingOccurrences(of: "\r\n", with: "\n")
        while let last = s.unicodeScalars.last, last == " " || last == "\n" || last == "\t" { s.unicodeScalars.removeLast() }
        return s
    }

    private static func key(_ parts: AnyHashable...) -> Int {
        var h = Hasher()
        for p in parts { h.combine(p) }
        return h.finalize()
    }
}
