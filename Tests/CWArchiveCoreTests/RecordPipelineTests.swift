import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

/// The reader thread of catch-up and rebuild gives every record in order, each manifest closed
/// by its end, stops at a file it cannot read, and can be stopped while it waits.
@Suite("Index: the record reader thread")
struct RecordPipelineTests {
    /// An archive of `runs` runs of `perRun` messages each, in room 10.
    static func store(runs: Int, perRun: Int) throws -> (TempDir, ArchiveStore) {
        let dir = TempDir("cwarchive-pipeline")
        let store = try ArchiveStore.open(at: dir.path("archive"), create: true)
        for run in 1...runs {
            let segment = try store.newSegment(runID: "r\(run)")
            for n in 0..<perRun {
                let id = String(run * 1_000 + n)
                try segment.append(ArchiveRecord(run: "r\(run)", at: 1_700_000_000 + run, roomID: 10,
                                                 payload: .message(makeMessage(id, body: "会議 \(id)", time: 1_700_000_000 + n))))
            }
            try store.commit(runID: "r\(run)", entries: [try segment.finish()], runComplete: true)
        }
        return (dir, store)
    }

    static func drain(_ pipeline: RecordPipeline) -> [String] {
        var out: [String] = []
        while case let items = pipeline.next(), !items.isEmpty {
            for item in items {
                switch item {
                case .record(let r, let columns):
                    if case .message(let m) = r.payload {
                        let expected = SearchText.columns(forBody: m.body, roomID: 10, accountID: m.account.accountID)
                        out.append(columns.map { $0 == expected } == true ? m.messageID : "bad columns \(m.messageID)")
                    }
                case .manifestEnd(let sequence): out.append("end \(sequence)")
                case .failure: out.append("failure")
                }
            }
        }
        return out
    }

    @Test func everyRecordInOrderWithTokensThroughASmallBuffer() throws {
        let (dir, store) = try Self.store(runs: 3, perRun: 700)
        _ = dir
        let manifests = try store.manifests(after: 0)
        let got = Self.drain(RecordPipeline(manifests: manifests, store: store, capacity: 3))
        var expected: [String] = []
        for run in 1...3 {
            expected += (0..<700).map { String(run * 1_000 + $0) }
            expected.append("end \(manifests[run - 1].manifest.sequence)")
        }
        #expect(got == expected)
    }

    @Test func aFileItCannotReadEndsTheStreamAfterTheManifestsBefore() throws {
        let (dir, store) = try Self.store(runs: 3, perRun: 10)
        _ = dir
        let manifests = try store.manifests(after: 0)
        let path = try #require(manifests[1].manifest.files.first { $0.path.hasPrefix("data/") }).path
        let url = store.root.appendingPathComponent(path)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        let got = Self.drain(RecordPipeline(manifests: manifests, store: store))
        var first: [String] = (0..<10).map { (n: Int) -> String in String(1_000 + n) }
        first.append("end \(manifests[0].manifest.sequence)")
        #expect(Array(got.prefix(11)) == first)
        #expect(got.last == "failure")
        #expect(!got.contains("end \(manifests[1].manifest.sequence)"))
        // The index applies the first manifest and reports the second.
        let index = try ArchiveIndex.inMemory()
        #expect(throws: (any Error).self) { try index.catchUp(store: store) }
        #expect(try SearchEngine(index: index).count(SearchQuery.parse("会議")) == 10)
    }

    @Test func cancellingStopsAReaderThatWaitsForRoom() throws {
        let (dir, store) = try Self.store(runs: 2, perRun: 600)
        _ = dir
        let pipeline = RecordPipeline(manifests: try store.manifests(after: 0), store: store, capacity: 1)
        #expect(!pipeline.next().isEmpty)
        pipeline.cancel()
        // The reader stops instead of waiting for room forever: the stream ends.
        var more = 0
        while !pipeline.next().isEmpty { more += 1 }
        #expect(more <= 1)
    }
}
