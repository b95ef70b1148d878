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
    public static func compute(window: [Message], known: [String: KnownMessage], limited: Bool, serverMessageNum: Int,
                               previousServerMessageNum: Int? = nil, hadWindow: Bool? = nil) -> WindowDiff {
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

        // Gaps: the window is full and shares nothing with an archive that already has this room.
        if hadWindow, full, !overlaps, !known.isEmpty, let oldest = sorted.first {
            let newestKnown = known.max { ($0.value.sendTime, $0.key) < ($1.value.sendTime, $1.key) }
            // Messages posted since the last run, less those the window holds.
            let missing = previousServerMessageNum.map { serverMessageNum - $0 - window.count }
            diff.gap = GapRecord(afterMessageID: newestKnown?.key, afterTime: newestKnown?.value.sendTime,
                                 beforeMessageID: oldest.messageID, beforeTime: oldest.sendTime,
                                 estimatedMissing: missing.flatMap { $0 > 0 ? $0 : nil })
        }

        // Horizon: the first window of a room. Older history is out of reach of the list endpoint
        // (status shows it when the server counts more messages than the archive holds).
        if !hadWindow, let oldest = sorted.first {
            diff.horizon = HorizonRecord(oldestMessageID: oldest.messageID, oldestTime: oldest.sendTime, serverMessageNum: serverMessageNum)
        }
        return diff
    }
}
