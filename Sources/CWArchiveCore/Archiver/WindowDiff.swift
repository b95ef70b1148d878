import ChatworkAPI
import Foundation

/// Compares the newest-100 window with what the archive holds for a room.
public struct WindowDiff: Sendable, Equatable {
    public var new: [Message] = []
    public var edited: [Message] = []
    public var deleted: [MessageDeletion] = []
    public var gap: GapRecord?
    public var horizon: HorizonRecord?

    /// The API's window size.
    public static let windowSize = 100

    /// - Parameters:
    ///   - window: the messages `force=1` returned (any order).
    ///   - known: the archive's latest version of each message of the room, by message id.
    ///   - limited: the message-limitation header was present (older messages are hidden, so absence proves nothing).
    ///   - serverMessageNum: the room's `message_num`.
    ///   - previousServerMessageNum: its `message_num` at the last run, to estimate how many a gap lost.
    ///   - hadWindow: a window of this room was archived before. Only then can messages have been
    ///     missed between two windows; before it, what the archive holds of the room (messages
    ///     fetched one by one because replies pointed at them) says nothing about gaps.
    ///   - sync: the room's last complete sync: every message sent up to `updateTime` was in a
    ///     window then, and the room counted `messageNum` messages. Messages the archive holds
    ///     from after it (taken live by `cwarchive listen`) do not prove that the window reaches
    ///     back to that history: a window that overlaps only them reaches back only when the
    ///     archive holds as many messages since the sync as the room counts (messages deleted
    ///     since lower that count, so they can hide as many missing ones).
    public static func compute(window: [Message], known: [String: KnownMessage], limited: Bool, serverMessageNum: Int,
                               previousServerMessageNum: Int? = nil, hadWindow: Bool? = nil,
                               sync: (updateTime: Int, messageNum: Int)? = nil) -> WindowDiff {
        let hadWindow = hadWindow ?? !known.isEmpty
        var diff = WindowDiff()
        let sorted = window.sorted { ($0.sendTime, $0.messageID.count, $0.messageID) < ($1.sendTime, $1.messageID.count, $1.messageID) }
        var inWindow = Set<String>()
        var overlaps = false
        for m in sorted {
            inWindow.insert(m.messageID)
            if let k = known[m.messageID] {
                overlaps = true
                if k.body != m.body || k.updateTime != m.updateTime { diff.edited.append(m) }
                else if k.deleted { diff.edited.append(m) } // seen again: the ingestor restores it
            } else {
                diff.new.append(m)
            }
        }
        let full = window.count >= windowSize
        let liveKnown = known.filter { !$0.value.deleted }

        // Deletions: a message the window should contain but does not.
        if let oldest = sorted.first, let newest = sorted.last {
            let lowerBound: Int? = (full || limited) ? oldest.sendTime : nil
            for (id, k) in liveKnown where !inWindow.contains(id) {
                if let lb = lowerBound, k.sendTime <= lb { continue }
                diff.deleted.append(MessageDeletion(messageID: id, windowFrom: lowerBound ?? 0, windowTo: newest.sendTime))
            }
            diff.deleted.sort { $0.messageID < $1.messageID }
        } else if serverMessageNum == 0 && !limited {
            // An empty room: everything it had is gone.
            for (id, _) in liveKnown.sorted(by: { $0.key < $1.key }) {
                diff.deleted.append(MessageDeletion(messageID: id, windowFrom: 0, windowTo: 0))
            }
        }

        // Gaps: the window is full and does not reach back to the history the archive holds.
        if hadWindow, full, !known.isEmpty, let oldest = sorted.first {
            var reachesBack = overlaps
            // Messages posted since the last run, less those the window holds.
            var missing = previousServerMessageNum.map { serverMessageNum - $0 - window.count }
            if overlaps, let sync, !sorted.contains(where: { known[$0.messageID].map { $0.sendTime <= sync.updateTime } ?? false }) {
                // The window overlaps only messages taken after the sync: it reaches back only if
                // the archive holds every message the room counts since then. (A window that
                // overlaps nothing is a gap, whatever the counts say: deletions lower them.)
                var held = Set(liveKnown.filter { $0.value.sendTime > sync.updateTime }.keys)
                held.formUnion(inWindow)
                missing = serverMessageNum - sync.messageNum - held.count
                reachesBack = (missing ?? 0) <= 0
            }
            if !reachesBack {
                // The newest message the archive holds before the window (not one taken live after it).
                let key = { (m: (key: String, value: KnownMessage)) in (m.value.sendTime, m.key.count, m.key) }
                let oldestKey = (oldest.sendTime, oldest.messageID.count, oldest.messageID)
                let before = known.filter { !inWindow.contains($0.key) && key($0) < oldestKey }
                let newestKnown = (before.isEmpty ? known : before).max { key($0) < key($1) }
                diff.gap = GapRecord(afterMessageID: newestKnown?.key, afterTime: newestKnown?.value.sendTime,
                                     beforeMessageID: oldest.messageID, beforeTime: oldest.sendTime,
                                     estimatedMissing: missing.flatMap { $0 > 0 ? $0 : nil })
            }
        }

        // Horizon: the first window of a room. Older history is out of reach of the list endpoint
        // (status shows it when the server counts more messages than the archive holds).
        if !hadWindow, let oldest = sorted.first {
            diff.horizon = HorizonRecord(oldestMessageID: oldest.messageID, oldestTime: oldest.sendTime, serverMessageNum: serverMessageNum)
        }
        return diff
    }
}
