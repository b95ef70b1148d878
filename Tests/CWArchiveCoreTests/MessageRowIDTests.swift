import ChatworkAPI
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// Row ids order messages by send time with a few slots a second; a burst moves on to later
/// seconds' slots, and time filters stay exact all the same.
@Suite("Index: message row ids by send time, bursts and exact time filters")
struct MessageRowIDTests {
    @Test func slotsFillBottomUpThenMoveToTheNextFreeSecond() {
        let k = MessageRowID.slotsPerSecond
        var used: [Int64: Int64] = [:]
        func take(_ t: Int) -> Int64 {
            let id = MessageRowID.next(sendTime: t) { used[$0, default: 0] }
            used[id >> MessageRowID.bitsPerSecond, default: 0] += 1
            return id
        }
        // A burst of two and a half seconds' slots in second 100.
        let size = Int(k * 5 / 2)
        let burst = (0..<size).map { _ in take(100) }
        let expected: [Int64] = (0..<size).map { (n: Int) -> Int64 in 100 * k + Int64(n) }
        #expect(burst == expected, "contiguous from second 100's base, in insertion order")
        #expect(take(101) == 100 * k + Int64(size), "seconds 101 is full of the burst, so 102 after it")
        #expect(take(99) == 99 * k)
        #expect(take(-5) == 0, "negative times count as 0")
        #expect(take(Int.min) == 1)
        let far = take(Int.max)
        #expect(far == MessageRowID.lastSecond * k, "hostile times clamp and do not overflow")
        #expect(take(Int.max) == far + 1)
        #expect(MessageRowID.lowerBound(sentAtOrAfter: 101) == 101 * k)
        // Everything sent before 101 is below the end of the first second at or after it that is not full.
        #expect(MessageRowID.upperBound(sentBefore: 101) { used[$0, default: 0] } == 103 * k)
        while used[102, default: 0] < k { _ = take(102) }
        #expect(MessageRowID.upperBound(sentBefore: 101) { used[$0, default: 0] } == 104 * k)
        #expect(MessageRowID.upperBound(sentBefore: 0) { used[$0, default: 0] } == 0)
    }

    @Test func aBurstKeepsItsOrderAndTimeFiltersStayExact() throws {
        let dir = TempDir("cwarchive-rowid")
        let store = try ArchiveStore.open(at: dir.path("archive"), create: true)
        let t = 1_750_000_000
        let segment = try store.newSegment(runID: "r1")
        try segment.append(ArchiveRecord(run: "r1", at: t, roomID: 10, payload: .room(Room(roomID: 10, name: "R", type: .group, role: .admin))))
        // 40 messages in one second (an import of whole minutes looks like this), then one a second later.
        for n in 0..<40 {
            try segment.append(ArchiveRecord(run: "r1", at: t + 10, roomID: 10,
                                             payload: .message(makeMessage(String(5_000 + n), body: "稟議 \(n)", time: t, account: 1))))
        }
        try segment.append(ArchiveRecord(run: "r1", at: t + 10, roomID: 10,
                                         payload: .message(makeMessage("6000", body: "稟議 later", time: t + 1, account: 1))))
        try store.commit(runID: "r1", entries: [try segment.finish()], runComplete: true)
        let index = try ArchiveIndex.open(store: store)
        let engine = SearchEngine(index: index)
        for term in ["稟議", "稟"] {
            let all = try engine.search(SearchQuery.parse(term), limit: 0).map(\.messageID)
            #expect(all.count == 41)
            let burst: [String] = (0..<40).reversed().map { (n: Int) -> String in String(5_000 + n) }
            #expect(Array(all.suffix(40)) == burst, "newest first: the burst in its order")
            let before = try engine.search(SearchQuery.parse(term), filter: SearchFilter(until: t + 1), limit: 0)
            #expect(before.count == 40 && before.allSatisfy { $0.sendTime == t }, "\(term): every message of the burst, none after it")
            let after = try engine.search(SearchQuery.parse(term), filter: SearchFilter(since: t + 1), limit: 0)
            #expect(after.map(\.messageID) == ["6000"], "\(term): the burst's later slots are not 'since t + 1'")
            #expect(try engine.count(SearchQuery.parse(term), filter: SearchFilter(since: t, until: t + 1)) == 40)
        }
        // A rebuild gives every row the id incremental ingestion gave it.
        let ids = try index.dbPool.read { try Int64.fetchAll($0, sql: "SELECT id FROM messages ORDER BY message_id") }
        let rebuilt = try ArchiveIndex.rebuild(store: store)
        #expect(try rebuilt.dbPool.read { try Int64.fetchAll($0, sql: "SELECT id FROM messages ORDER BY message_id") } == ids)
    }
}
