import ChatworkAPI
import Testing
@testable import CWArchiveCore

@Suite("Window diff: new, edited, deleted, gaps, horizon")
struct WindowDiffTests {
    func window(_ range: ClosedRange<Int>) -> [Message] {
        range.map { makeMessage(String($0), body: "m\($0)", time: 1000 + $0) }
    }
    func known(_ range: ClosedRange<Int>) -> [String: KnownMessage] {
        Dictionary(uniqueKeysWithValues: range.map { (String($0), KnownMessage(body: "m\($0)", updateTime: 0, sendTime: 1000 + $0, deleted: false)) })
    }

    @Test func aNewRoomTakesAllAndRecordsItsHorizon() {
        let d = WindowDiff.compute(window: window(1...100), known: [:], limited: false, serverMessageNum: 250)
        #expect(d.new.count == 100)
        #expect(d.gap == nil)
        #expect(d.horizon?.oldestMessageID == "1")
        #expect(d.horizon?.serverMessageNum == 250)
    }

    @Test func overlappingWindowGivesOnlyNewOnes() {
        let d = WindowDiff.compute(window: window(51...150), known: known(1...120), limited: false, serverMessageNum: 150)
        #expect(d.new.map(\.messageID) == (121...150).map(String.init))
        #expect(d.edited.isEmpty && d.deleted.isEmpty && d.gap == nil && d.horizon == nil)
    }

    @Test func editsAreNewVersions() {
        var w = window(1...10)
        w[3].body = "changed"
        w[3].updateTime = 5000
        let d = WindowDiff.compute(window: w, known: known(1...10), limited: false, serverMessageNum: 10)
        #expect(d.edited.map(\.messageID) == ["4"])
        #expect(d.new.isEmpty)
    }

    @Test func aMessageMissingInsideTheWindowIsDeleted() {
        var w = window(1...100)
        w.remove(at: 50) // message 51
        w.append(makeMessage("101", body: "m101", time: 1101))
        let d = WindowDiff.compute(window: w, known: known(1...100), limited: false, serverMessageNum: 100)
        #expect(d.deleted.map(\.messageID) == ["51"])
        #expect(d.new.map(\.messageID) == ["101"])
    }

    @Test func messagesOlderThanAFullWindowAreNotDeleted() {
        let d = WindowDiff.compute(window: window(101...200), known: known(1...150), limited: false, serverMessageNum: 200)
        #expect(d.deleted.isEmpty)
    }

    @Test func aSmallRoomWindowIsTheWholeRoom() {
        let d = WindowDiff.compute(window: window(2...10), known: known(1...10), limited: false, serverMessageNum: 9)
        #expect(d.deleted.map(\.messageID) == ["1"])
    }

    @Test func aLimitedWindowProvesNothingAboutOlderMessages() {
        let d = WindowDiff.compute(window: window(5...10), known: known(1...10), limited: true, serverMessageNum: 10)
        #expect(d.deleted.isEmpty)
    }

    @Test func aFullWindowSharingNothingIsAGap() {
        let d = WindowDiff.compute(window: window(251...350), known: known(1...100), limited: false, serverMessageNum: 350, previousServerMessageNum: 100)
        let gap = try! #require(d.gap)
        #expect(gap.afterMessageID == "100")
        #expect(gap.beforeMessageID == "251")
        #expect(gap.estimatedMissing == 150)
        #expect(d.new.count == 100)
    }

    @Test func aWindowOverlappingOnlyMessagesTakenLiveAfterTheSyncIsAGapUnlessTheyAccountForEveryMessage() {
        // Synced at message 20 (send time 1020, the room counted 20). Then 150 messages; the
        // listener took 151...155 only: the window 56...155 overlaps them, but 21...55 are lost.
        var holdings = known(1...20).merging(known(151...155)) { a, _ in a }
        let lost = WindowDiff.compute(window: window(56...155), known: holdings, limited: false, serverMessageNum: 155,
                                      previousServerMessageNum: 20, hadWindow: true, sync: (updateTime: 1020, messageNum: 20))
        #expect(lost.gap?.afterMessageID == "20")
        #expect(lost.gap?.beforeMessageID == "56")
        #expect(lost.gap?.estimatedMissing == 35)
        #expect(lost.new.count == 95)
        // Without the sync the overlap with live captures hides the gap (how it was before).
        #expect(WindowDiff.compute(window: window(56...155), known: holdings, limited: false, serverMessageNum: 155,
                                   previousServerMessageNum: 20, hadWindow: true).gap == nil)
        // The listener took every message since the sync: no gap.
        holdings = known(1...155)
        #expect(WindowDiff.compute(window: window(56...155), known: holdings, limited: false, serverMessageNum: 155,
                                   previousServerMessageNum: 20, hadWindow: true, sync: (updateTime: 1020, messageNum: 20)).gap == nil)
        // A window reaching back into the synced history is no gap, whatever the counts say.
        #expect(WindowDiff.compute(window: window(20...119), known: known(1...20), limited: false, serverMessageNum: 119,
                                   previousServerMessageNum: 20, hadWindow: true, sync: (updateTime: 1020, messageNum: 20)).gap == nil)
        // A window sharing nothing is a gap even when deletions make the counts look complete.
        #expect(WindowDiff.compute(window: window(56...155), known: known(1...20), limited: false, serverMessageNum: 110,
                                   previousServerMessageNum: 20, hadWindow: true, sync: (updateTime: 1020, messageNum: 20)).gap != nil)
        // Nothing taken live: the same gap as without the sync.
        let plain = WindowDiff.compute(window: window(56...155), known: known(1...20), limited: false, serverMessageNum: 155,
                                       previousServerMessageNum: 20, hadWindow: true, sync: (updateTime: 1020, messageNum: 20))
        #expect(plain.gap?.afterMessageID == "20")
        #expect(plain.gap?.estimatedMissing == 35)
    }

    @Test func messagesFetchedByReferenceBeforeTheFirstWindowAreNoGap() {
        // An old message of the room was fetched because a reply elsewhere pointed at it.
        let d = WindowDiff.compute(window: window(151...250), known: known(5...5), limited: false, serverMessageNum: 250, hadWindow: false)
        #expect(d.gap == nil)
        #expect(d.horizon?.oldestMessageID == "151")
        let again = WindowDiff.compute(window: window(351...450), known: known(151...250), limited: false, serverMessageNum: 450,
                                       previousServerMessageNum: 250, hadWindow: true)
        #expect(again.gap?.estimatedMissing == 100)
    }

    @Test func theFirstWindowIsAlwaysTheHorizon() {
        let d = WindowDiff.compute(window: window(1...10), known: [:], limited: false, serverMessageNum: 10, hadWindow: false)
        #expect(d.horizon?.oldestMessageID == "1")
    }

    @Test func anEmptyAnswerDeletesNothingUnlessTheRoomIsEmpty() {
        #expect(WindowDiff.compute(window: [], known: known(1...3), limited: false, serverMessageNum: 3).deleted.isEmpty)
        #expect(WindowDiff.compute(window: [], known: known(1...3), limited: false, serverMessageNum: 0).deleted.count == 3)
    }
}
