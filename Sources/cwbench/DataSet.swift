import ChatworkAPI
import CWArchiveCore
import Foundation

/// The synthetic archive: rooms and messages generated from a seed and written through the real
/// archive code path (data files, manifest, index).
struct DataSet {
    let messageCount: Int
    let roomCount: Int
    let root: URL
    let seed: UInt64

    /// Messages per room: a few busy rooms, many quiet ones (Zipf-like), summing to `messageCount`.
    func roomSizes() -> [Int] {
        let weights = (1...roomCount).map { 1.0 / pow(Double($0), 0.8) }
        let total = weights.reduce(0, +)
        var sizes = weights.map { max(1, Int(Double(messageCount) * $0 / total)) }
        var diff = messageCount - sizes.reduce(0, +)
        var i = 0
        while diff != 0 {
            let step = diff > 0 ? 1 : -1
            if sizes[i % roomCount] + step >= 1 { sizes[i % roomCount] += step; diff -= step }
            i += 1
        }
        return sizes
    }

    /// Generates everything in memory (so that writing is measured alone).
    func generate() -> [(Room, [Message])] {
        var chat = SyntheticChat(seed: seed)
        var out: [(Room, [Message])] = []
        for (i, size) in roomSizes().enumerated() {
            let roomID = 10_000_000 + i
            let messages = chat.messages(roomID: roomID, count: size, startTime: 1_600_000_000 + i * 37)
            let name = i % 3 == 0 ? "営業部 \(i)" : (i % 3 == 1 ? "Project \(i)" : "開発チーム-\(i)")
            let room = Room(roomID: roomID, name: name, type: .group, role: .member, messageNum: size,
                            lastUpdateTime: messages.last?.sendTime ?? 0)
            out.append((room, messages))
        }
        return out
    }

    /// Writes the records through ArchiveStore/SegmentWriter and commits a manifest.
    /// - Returns: compressed bytes, uncompressed bytes, seconds.
    func write(_ rooms: [(Room, [Message])], level: Int32 = 6) throws -> (compressed: Int, plain: Int, seconds: Double) {
        try? FileManager.default.removeItem(at: root)
        let store = try ArchiveStore.open(at: root, create: true)
        let runID = "bench-\(seed)"
        var compressed = 0
        var plain = 0
        let (_, seconds) = try Measure.time {
            var entries: [ManifestEntry] = []
            var segment = try store.newSegment(runID: runID, level: level)
            for (room, messages) in rooms {
                try segment.append(ArchiveRecord(run: runID, at: room.lastUpdateTime, roomID: room.roomID, payload: .room(room)))
                for m in messages {
                    try segment.append(ArchiveRecord(run: runID, at: m.sendTime, roomID: room.roomID, payload: .message(m)))
                }
                if segment.recordCount >= 200_000 {
                    plain += segment.uncompressedSize
                    entries.append(try segment.finish())
                    segment = try store.newSegment(runID: runID, level: level)
                }
            }
            plain += segment.uncompressedSize
            entries.append(try segment.finish())
            compressed = entries.reduce(0) { $0 + $1.size }
            try store.commit(runID: runID, entries: entries, runComplete: true)
        }
        return (compressed, plain, seconds)
    }
}
