import ChatworkAPI
import Crypto
import Foundation

/// Decides, row by row, what an imported message is to the archive: the same message and
/// version it already holds (`matched`), another version of a message it holds (`newVersion`),
/// or a message it lacks (`new`). A message that several source files share (byecha's
/// overlapping pages, a file given twice) counts once.
///
/// The archive's messages are looked up in the index row by row (by id, or by send time for a
/// row without one), never loaded: the index sees each commit of this run, and what this run
/// added since its last commit is kept here (``committed()`` forgets it). Memory: one word per
/// row without an id in the file being read (to number repeated rows), and the rows added since
/// the last commit.
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
    /// Added since the last commit (not yet in the index): versions and message ids.
    private var addedVersions = Set<Int>()
    private var addedIDs = Set<Int>()
    /// Archived messages a row without an id was matched to by time, body and sender in this run.
    private var claimed = Set<Int>()
    /// Per source file: the rows without an id seen (time, sender and body), and how often the
    /// ones seen more than once came (for the derived ids of repeated rows).
    private var seen = Set<Int>()
    private var repeats: [Int: Int] = [:]

    init(index: ArchiveIndex) { self.index = index }

    /// The archive's state of the room (read once per room in a row of rows of that room).
    func state(roomID: Int) throws -> ImportRoomState {
        if let c = current, c.roomID == roomID { return c.state }
        let s = try index.importRoomState(roomID: roomID)
        current = (roomID, s)
        return s
    }

    /// Starts a new source file (derived ids count repeats within one file).
    func startFile() {
        seen = []
        repeats = [:]
    }

    /// What this run added until now is in the index.
    func committed() {
        addedVersions = []
        addedIDs = []
    }

    func decide(_ row: ImportRow) throws -> Decision {
        let state = try state(roomID: row.roomID)
        var accountID = row.accountID
        if accountID == nil, let ids = state.accountIDsByName[row.accountName], ids.count == 1 { accountID = ids.first }
        var id: String
        var hasID = true
        // A derived id already looked up (and not found).
        var knownEmpty = false
        if let given = row.messageID, !(row.extra["derived_id"] == .bool(true)) {
            id = given
        } else if let given = row.messageID {
            id = given
            hasID = false
        } else {
            hasID = false
            let (derived, earlier) = derivedID(row, accountKey: accountID.map(String.init) ?? row.accountName)
            id = derived
            if let found = try matchWithoutID(row, derivedID: id, earlier: earlier, accountID: accountID) { return found }
            knownEmpty = true
        }
        var message = Message(messageID: id, account: Account(accountID: accountID ?? 0, name: row.accountName, avatarImageURL: ""),
                              body: row.body, sendTime: row.sendTime, updateTime: row.updateTime)
        var extra = row.extra
        extra["derived_id"] = nil
        message.unknownFields = extra.isEmpty ? nil : .object(extra)
        let versionKey = Self.key(row.roomID, id, row.body, row.updateTime)
        let idKey = Self.key(row.roomID, id)
        let known = knownEmpty ? [] : try index.importVersions(roomID: row.roomID, messageID: id)
        let sharesAPI = known.contains(where: \.fromAPI)
        let outcome: Outcome
        if addedVersions.contains(versionKey) || known.contains(where: { $0.body == row.body && $0.updateTime == row.updateTime }) {
            outcome = .matched
        } else {
            outcome = (!known.isEmpty || addedIDs.contains(idKey)) ? .newVersion : .new
            addedVersions.insert(versionKey)
            addedIDs.insert(idKey)
        }
        return Decision(message: message, hasChatworkID: hasID, outcome: outcome, sharesAPIMessage: sharesAPI)
    }

    /// A row without a message id against the room's messages: the message an earlier import of
    /// the same row recorded (its derived id), else one with the same send time (a time written to
    /// the minute matches within that minute), body and sender (any sender when the row names
    /// none) that no other row answers: not the derived ids of the rows it repeats, nor a message
    /// an earlier row was matched to this way. So rows that repeat one another each keep a
    /// message of their own.
    private func matchWithoutID(_ row: ImportRow, derivedID: String, earlier: [String], accountID: Int?) throws -> Decision? {
        func decision(_ candidate: String, _ v: ImportKnownVersion) -> Decision {
            Decision(message: Message(messageID: candidate, account: Account(accountID: v.accountID, name: v.accountName, avatarImageURL: ""),
                                      body: row.body, sendTime: v.sendTime, updateTime: v.updateTime),
                     hasChatworkID: !candidate.hasPrefix(ImportedMessage.derivedIDPrefix), outcome: .matched, sharesAPIMessage: v.fromAPI)
        }
        if let v = try index.importVersions(roomID: row.roomID, messageID: derivedID).first { return decision(derivedID, v) }
        // Added by this run since its last commit: not in the index yet.
        if addedIDs.contains(Self.key(row.roomID, derivedID)) { return nil }
        let body = Self.normalised(row.body)
        let anySender = accountID == nil && row.accountName.isEmpty
        let to = row.sendTime % 60 == 0 ? row.sendTime + 59 : row.sendTime
        for (candidate, v) in try index.importCandidates(roomID: row.roomID, from: row.sendTime, to: to) {
            guard candidate != derivedID, !earlier.contains(candidate), !claimed.contains(Self.key(row.roomID, candidate)) else { continue }
            if Self.normalised(v.body) == body && (anySender || v.accountID == accountID || v.accountName == row.accountName) {
                claimed.insert(Self.key(row.roomID, candidate))
                return decision(candidate, v)
            }
        }
        return nil
    }

    /// A stable id for a message without one: the same row of the same export always gives the
    /// same id (the n-th repeat of a row within a file has its own); with the ids of the repeats before it.
    private func derivedID(_ row: ImportRow, accountKey: String) -> (String, [String]) {
        let content = "\(row.roomID)\n\(row.sendTime)\n\(accountKey)\n\(Self.normalised(row.body))"
        let k = content.hashValue
        var n = 0
        if !seen.insert(k).inserted {
            n = repeats[k, default: 1]
            repeats[k] = n + 1
        }
        func id(_ i: Int) -> String {
            ImportedMessage.derivedIDPrefix + Hashing.hex(SHA256.hash(data: Data("\(content)\n\(i)".utf8))).prefix(24)
        }
        return (id(n), (0..<n).map(id))
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
