import ChatworkAPI
import Foundation

/// The limits of one run (`--max-requests`, `--max-duration`): the archiver starts a room only
/// when its estimated cost fits, and a room already started spends no request beyond the limit
/// (what does not fit is left for the next run).
struct RunBudget: Sendable {
    let client: any ChatworkReading
    let clock: any RateLimitClock
    let maxRequests: Int?
    let maxDuration: Double?
    let started: Date

    /// API requests made so far by this run's client.
    func requestsMade() async -> Int { await client.statistics.requests }

    /// Whether `cost` more requests stay within `--max-requests`.
    func allows(_ cost: Int) async -> Bool {
        guard let maxRequests else { return true }
        return await requestsMade() + cost <= maxRequests
    }

    /// Why the next room, estimated at `cost` requests and `seconds` seconds, cannot start; nil when it fits.
    func stopReason(cost: Int, seconds: Double) async -> String? {
        if !(await allows(cost)) { return "max_requests" }
        if let maxDuration, clock.now().timeIntervalSince(started) + seconds > maxDuration { return "max_duration" }
        return nil
    }
}

/// The order in which a run takes the changed rooms: the rooms a budget left last run first,
/// then by risk of a gap, the rooms whose `message_num` grew most since the archive last saw
/// them first (a growth near 100 means the newest-100 window is about to slide past unseen
/// messages), so that a run cut short has already taken the rooms that could lose messages.
enum RoomOrder {
    /// How many messages arrived since the archive last saw the room (all of them for a new room).
    static func growth(_ room: Room, row: RoomPlanRow?) -> Int {
        room.messageNum - (row?.lastSeenMessageNum ?? 0)
    }

    static func sorted(_ rooms: [Room], rows: [Int: RoomPlanRow], leftLastRun: [Int]) -> [Room] {
        let leftRank = Dictionary(leftLastRun.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return rooms.enumerated().sorted { a, b in
            let la = leftRank[a.element.roomID], lb = leftRank[b.element.roomID]
            if (la != nil) != (lb != nil) { return la != nil }
            let ga = growth(a.element, row: rows[a.element.roomID]), gb = growth(b.element, row: rows[b.element.roomID])
            if ga != gb { return ga > gb }
            return a.offset < b.offset
        }.map(\.element)
    }
}
