import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

/// `ArchiveIndex.inMemory()`: the same schema and ingestion as the file index, without a file.
@Suite("The index opens in memory")
struct InMemoryIndexTests {
    /// A store with one committed manifest: a room and two messages.
    static func smallStore(_ dir: TempDir) throws -> ArchiveStore {
        let store = try ArchiveStore.open(at: dir.path("archive"), create: true)
        let segment = try store.newSegment(runID: "r1")
        try segment.append(ArchiveRecord(run: "r1", at: 10, roomID: 1, payload: .room(Room(roomID: 1, name: "R", type: .group, role: .admin))))
        try segment.append(ArchiveRecord(run: "r1", at: 10, roomID: 1, payload: .message(makeMessage("1", body: "こんにちは", time: 100, account: 2))))
        try segment.append(ArchiveRecord(run: "r1", at: 10, roomID: 1, payload: .message(makeMessage("2", body: "予算の確認", time: 200, account: 1))))
        try store.commit(runID: "r1", entries: [try segment.finish()], runComplete: true)
        return store
    }

    @Test func catchesUpFromAStoreAndSearches() throws {
        let dir = TempDir("cwarchive-inmemory")
        let store = try Self.smallStore(dir)
        let index = try ArchiveIndex.inMemory()
        #expect(index.url == nil)
        #expect(try index.headHash() == nil)
        try index.catchUp(store: store)
        let fileIndex = try ArchiveIndex.open(store: store)
        #expect(try index.headHash() != nil)
        #expect(try index.headHash() == fileIndex.headHash())
        let hits = try SearchEngine(index: index).search(try SearchQuery.parse("予算"))
        #expect(hits.map(\.messageID) == ["2"])
    }

    @Test func ingestionIsIdempotentInMemory() throws {
        let dir = TempDir("cwarchive-inmemory-twice")
        let store = try Self.smallStore(dir)
        let index = try ArchiveIndex.inMemory()
        try index.catchUp(store: store)
        let manifests = try store.manifests(after: 0)
        for m in manifests { try index.ingest(m, store: store) }
        try index.catchUp(store: store)
        #expect(try SearchEngine(index: index).search(try SearchQuery.parse("こんにちは")).count == 1)
    }
}
