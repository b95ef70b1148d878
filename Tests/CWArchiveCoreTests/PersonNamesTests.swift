import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

/// `[pname:ID]` shows a person's name in Chatwork; search snippets show it too.
@Suite("Search snippets name the people [pname] tags stand for")
struct PersonNamesTests {
    @Test func snippetsShowTheNameAndStaySafe() {
        let snippet = SnippetBuilder.snippet(body: "[To:5][pname:5] さん\n予算の確認を", query: nil,
                                             names: [5: "Eve\u{1B}[31m\u{202E}"])
        #expect(snippet.plainText == "Eve\u{FFFD}[31m さん 予算の確認を") // the escape shown, the override dropped
    }

    @Test func searchHitsCarryTheNames() throws {
        let dir = TempDir("cwarchive-pname")
        let store = try ArchiveStore.open(at: dir.path("archive"), create: true)
        let segment = try store.newSegment(runID: "r1")
        try segment.append(ArchiveRecord(run: "r1", at: 10, roomID: 1, payload: .room(Room(roomID: 1, name: "R", type: .group, role: .admin))))
        try segment.append(ArchiveRecord(run: "r1", at: 10, roomID: 1, payload: .message(makeMessage("1", body: "こんにちは", time: 100, account: 2))))
        try segment.append(ArchiveRecord(run: "r1", at: 10, roomID: 1,
                                         payload: .message(makeMessage("2", body: "[pname:2] さんに予算の確認", time: 200, account: 1))))
        try store.commit(runID: "r1", entries: [try segment.finish()], runComplete: true)
        let index = try ArchiveIndex.open(store: store)
        let hits = try SearchEngine(index: index).search(try SearchQuery.parse("予算"))
        let hit = try #require(hits.first)
        #expect(hit.personNames == [2: "User 2"])
        #expect(SnippetBuilder.snippet(body: hit.body, query: try SearchQuery.parse("予算"), names: hit.personNames).plainText == "User 2 さんに予算の確認")
    }
}
