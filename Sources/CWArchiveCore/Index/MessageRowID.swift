import GRDB

/// The row ids of `messages` (and of the full-text tables' rows): they order messages by send
/// time, so the full-text index walks its doclists newest first and a time range is a rowid
/// range, without a sort.
///
/// A message sent in second `t` takes the lowest free id at or after `t << bitsPerSecond`: the
/// `slotsPerSecond` slots of its second are filled bottom-up, and when all are taken (a burst,
/// or an import whose times are whole minutes) it takes the first free slot of a later second,
/// so ids keep the order of insertion there. Ids never move once given.
///
/// Few bits per second keep the gaps between neighbouring ids small, and the full-text index
/// stores every posting's rowid as a varint delta: with 21 bits (index format 5) those deltas
/// were 5 bytes, with 3 they are 2 to 3, which made the index a third smaller. Eight slots a
/// second are enough for chat (a burst spills into the next seconds, in order).
enum MessageRowID {
    static let bitsPerSecond = 3
    static let slotsPerSecond: Int64 = 1 << bitsPerSecond

    /// The last second ids are told apart by (about 35,000 years from 1970): later times, which
    /// only hostile input holds, count as this one, and their ids follow on from it.
    static let lastSecond: Int64 = 1 << 40

    /// The second a send time counts in (negative times count as 0).
    static func second(_ sendTime: Int) -> Int64 { min(Int64(max(0, sendTime)), lastSecond) }

    /// The first id of second `second`.
    static func base(ofSecond second: Int64) -> Int64 { second << bitsPerSecond }

    /// The lowest rowid a message sent at or after `sendTime` can have (an exact lower bound).
    static func lowerBound(sentAtOrAfter sendTime: Int) -> Int64 {
        base(ofSecond: second(sendTime))
    }

    /// A rowid that every message sent before `sendTime` is below: the end of the first second
    /// at or after it that is not full (a message that moved on from a full second found room at
    /// the latest there). `used(s)` is the number of ids taken in second `s`.
    static func upperBound(sentBefore sendTime: Int, used: (Int64) throws -> Int64) rethrows -> Int64 {
        guard sendTime > 0 else { return 0 }
        var s = second(sendTime)
        while try used(s) >= slotsPerSecond { s += 1 }
        return base(ofSecond: s) + slotsPerSecond
    }

    /// The id for a new row sent in `sendTime`, given the number of ids taken in each second.
    static func next(sendTime: Int, used: (Int64) throws -> Int64) rethrows -> Int64 {
        var s = second(sendTime)
        while true {
            let n = try used(s)
            if n < slotsPerSecond { return base(ofSecond: s) + n }
            s += 1
        }
    }

    /// The number of ids taken in second `second`, given `maxID(from, to)`: the highest id in
    /// `from..<to`, nil when none (ids of a second are contiguous from its base, so the highest
    /// one tells).
    static func used(inSecond second: Int64, maxID: (Int64, Int64) throws -> Int64?) rethrows -> Int64 {
        let lo = base(ofSecond: second)
        return try maxID(lo, lo + slotsPerSecond).map { $0 - lo + 1 } ?? 0
    }

    /// ``used(inSecond:maxID:)`` read from `messages`.
    static func used(inSecond second: Int64, _ db: Database) throws -> Int64 {
        try used(inSecond: second) { from, to in
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM messages WHERE id >= ? AND id < ?", arguments: [from, to])
        }
    }
}
