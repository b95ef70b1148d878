import ChatworkAPI
import CWArchiveCore
import Foundation

/// Search latency per query class (p50 / p95 of warm queries through the real ``SearchEngine``)
/// against `zcat` + `grep -F -c` over the same data files.
enum SearchBenchmarks {
    /// Terms of one class, searched in turn.
    struct QueryClass {
        var name: String
        var terms: [String]
    }

    static let classes = [
        QueryClass(name: "3+ Japanese chars", terms: ["打ち合わせ", "見積もり", "議事録", "契約書", "請求書", "デザイン案", "障害対応", "顧客対応", "採用面接", "サーバー"]),
        QueryClass(name: "2 Japanese chars", terms: ["会議", "稟議", "資料", "進捗", "予算", "出張", "研修"]),
        QueryClass(name: "English word", terms: ["budget", "release", "meeting", "proposal", "invoice", "contract", "schedule", "design"]),
    ]

    /// Queries measured per class and filter (the first, cold, query is not counted).
    static let queriesPerClass = 60

    static func run(_ data: DataSet, generated: [(Room, [Message])], table: inout ResultTable) throws {
        let store = try ArchiveStore.open(at: data.root, create: false)
        let index = try ArchiveIndex.openForReading(store: store)
        let engine = SearchEngine(index: index)

        // Filters: the busiest room, and --since at the median send time (half the archive).
        let busy = generated.max { $0.1.count < $1.1.count }?.0.roomID ?? 0
        var times = generated.flatMap { $0.1.map(\.sendTime) }
        times.sort()
        let since = times.isEmpty ? 0 : times[times.count / 2]
        let filters: [(String, SearchFilter)] = [
            ("", SearchFilter()),
            (", --room (busiest)", SearchFilter(roomIDs: [busy])),
            (", --since (newest half)", SearchFilter(since: since)),
        ]

        let files = try store.manifests().flatMap(\.manifest.files).filter { $0.path.hasSuffix(".gz") }
            .map { "'" + store.root.appendingPathComponent($0.path).path + "'" }.joined(separator: " ")
        _ = Measure.shell("cat \(files) > /dev/null") // the page cache holds the data files for the reference too

        for qc in classes {
            // The reference: a few zcat | grep -F -c runs, median.
            var refTimes: [Double] = []
            var refCounts: [String] = []
            for term in qc.terms.prefix(3) {
                let r = Measure.shell("zcat \(files) | grep -F -c '\(term)'")
                refTimes.append(r.seconds)
                refCounts.append(r.output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let refMedian = Measure.percentile(refTimes, 50)

            for (label, filter) in filters {
                var latencies: [Double] = []
                var hits = 0
                for i in 0...queriesPerClass {
                    let term = qc.terms[i % qc.terms.count]
                    let query = try SearchQuery.parse(term)
                    let (result, seconds) = try Measure.time {
                        try engine.search(query, filter: filter, sort: .newest, limit: 20)
                    }
                    if i == 0 { continue } // the cold query
                    latencies.append(seconds)
                    hits += result.count
                }
                let p50 = Measure.percentile(latencies, 50) * 1000
                let p95 = Measure.percentile(latencies, 95) * 1000
                let speedup = refMedian * 1000 / max(p50, 0.001)
                let met = p50 < 20 && p95 < 50 && speedup >= 100 && hits > 0
                table.add("search: \(qc.name)\(label) (p50 / p95, \(latencies.count) queries)",
                          ours: "\(fmt(p50, 2)) / \(fmt(p95, 2)) ms (\(fmt(Double(hits) / Double(latencies.count), 1)) hits/query)",
                          reference: "zcat | grep -F -c: \(fmt(refMedian * 1000, 0)) ms (median of \(refTimes.count); \(refCounts.joined(separator: ", ")) lines)",
                          ratio: fmt(speedup, 0) + "× faster",
                          target: "p50 < 20 ms, p95 < 50 ms, ≥ 100×", met: met)
            }
        }
    }
}
