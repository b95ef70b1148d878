import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

/// FTS5's answers equal a plain scan of the messages, on random text of every character class
/// and random queries cut out of it: the tokenizer, the query's tokens and the snippet's matcher
/// agree on what a term is (substrings, words whole, runs, separators, skipped characters).
@Suite("Search: the index finds exactly what a scan of the text finds (random text and queries)")
struct SearchDifferentialTests {
    static let pieces = SearchTextOnePassTests.pieces.filter { !$0.contains("[") } + [
        " ", " ", "会議", "C++", "🍣", "(bow)", ":)", "a", "1", ".", "-", "\"", "*", "OR", "のテスト",
    ]

    @Test func randomQueriesFindWhatAScanFinds() throws {
        var rng = SeededGenerator(seed: 12)
        let tmp = TempDir("search-diff")
        defer { withExtendedLifetime(tmp) {} }
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true)
        let segment = try store.newSegment(runID: "r1")
        var corpus: [(id: String, body: String)] = []
        for n in 0..<300 {
            let body = (0..<(1 + Int(rng.next() % 10))).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
            let id = String(5000 + n)
            corpus.append((id, body))
            try segment.append(ArchiveRecord(run: "r1", at: 1_700_000_000, roomID: 1,
                                             payload: .message(makeMessage(id, body: body, time: 1_700_000_000 + n))))
        }
        try store.commit(runID: "r1", entries: [try segment.finish()], runComplete: true)
        let engine = SearchEngine(index: try ArchiveIndex.open(store: store))

        var checked = 0
        for _ in 0..<600 {
            // A piece of a message (1 to 8 characters), sometimes two pieces or an exclusion.
            let text = Array(corpus[Int(rng.next() % UInt64(corpus.count))].body)
            guard !text.isEmpty else { continue }
            let start = Int(rng.next() % UInt64(text.count))
            let length = 1 + Int(rng.next() % UInt64(min(8, text.count - start)))
            var raw = String(text[start..<(start + length)])
            switch rng.next() % 6 {
            case 0: raw = "\"" + raw + "\""
            case 1: raw += " " + Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))]
            case 2: raw += " -" + Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))]
            default: break
            }
            guard let query = try? SearchQuery.parse(raw) else { continue }
            let hits: [SearchHit]
            do { hits = try engine.search(query, limit: 0) } catch {
                Issue.record("query \(raw.debugDescription) (\(FTSQueryBuilder.matchExpression(for: query).debugDescription)): \(error)")
                continue
            }
            let found = Set(hits.map(\.messageID))
            let expected = SearchEverythingTests.oracle(query, corpus)
            #expect(found == expected, "query \(raw.debugDescription): index \(found.sorted()), scan \(expected.sorted())")
            checked += 1
        }
        #expect(checked > 400)
    }
}
