import ChatworkAPI
import CWArchiveCore
import Foundation

/// The web viewer's work per request (`cwarchive serve` without its HTTP layer): 16 workers at
/// once ask for `/api/search` answers and `/rooms/ID` pages through ``ArchiveViewer``, the code
/// the server runs for those routes; p50 / p95 per request and this process's peak memory.
enum ViewerBenchmarks {
    static let clients = 16
    static let requestsPerClient = 25

    static func run(_ data: DataSet, generated: [(Room, [Message])], table: inout ResultTable) throws {
        let viewer = try ArchiveViewer(archive: data.root, timeZone: TimeZone(identifier: "Asia/Tokyo") ?? .current)
        let terms = ["打ち合わせ", "会議", "稟議", "budget", "release", "見積もり", "資料", "meeting"]
        let rooms = generated.sorted { $0.1.count > $1.1.count }.prefix(50).map(\.0.roomID)
        // Older pages too: a `before` anchor in the middle of each room.
        let anchors: [Int: String] = generated.reduce(into: [:]) { a, g in
            if let m = g.1.dropFirst(g.1.count / 2).first { a[g.0.roomID] = m.messageID }
        }
        _ = try viewer.searchJSON(ViewerSearchParameters(query: terms[0]))
        _ = try viewer.roomPage(roomID: rooms.first ?? 0)

        func measure(_ label: String, target: Double, _ work: @escaping @Sendable (Int) throws -> Int) throws {
            let latencies = Locked<[Double]>([])
            let failures = Locked<Int>(0)
            DispatchQueue.concurrentPerform(iterations: clients) { client in
                for i in 0..<requestsPerClient {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let ok = (try? work(client * requestsPerClient + i)) ?? 0
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    latencies.with { $0.append(seconds) }
                    if ok == 0 { failures.with { $0 += 1 } }
                }
            }
            let all = latencies.with { $0 }
            let p50 = Measure.percentile(all, 50) * 1000, p95 = Measure.percentile(all, 95) * 1000
            let errors = failures.with { $0 }
            table.add("serve: \(label) (\(clients) concurrent clients, \(all.count) requests, in-process)",
                      ours: "p50 \(fmt(p50, 2)) ms, p95 \(fmt(p95, 2)) ms, \(errors) errors",
                      reference: "—", ratio: "—", target: "p95 < \(fmt(target, 0)) ms, no errors", met: p95 < target && errors == 0)
        }
        try measure("/api/search", target: 20) { n in
            try viewer.searchJSON(ViewerSearchParameters(query: terms[n % terms.count])).count
        }
        try measure("/rooms/ID", target: 30) { n in
            let room = rooms[n % max(1, rooms.count)]
            let anchor: ViewerAnchor = n % 2 == 0 ? .newest : anchors[room].map { .before($0) } ?? .newest
            return try viewer.roomPage(roomID: room, anchor: anchor).utf8.count
        }
        let peak = Measure.peakRSS()
        table.add("serve: peak memory of the process after the viewer runs", ours: mb(peak), reference: "—", ratio: "—",
                  target: "< 200 MB (server alone)", met: nil)
    }
}

/// A value shared by the benchmark's workers. `@unchecked Sendable`: only touched under `lock`.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func with<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
