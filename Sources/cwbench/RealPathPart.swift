import Foundation

/// The `realpath` and `wrk` parts: archives built through the real path at each size (200k first,
/// then 1M), every issue-12 figure on each, and `cwarchive serve` under wrk on the largest.
enum RealPathPart {
    static func run(parts: Set<String>, sizes: [Int], seed: UInt64, work: URL, searchRounds: Int, wrkSeconds: Int,
                    table: inout ResultTable) async {
        var largest: RealPathArchive?
        for size in sizes.sorted() {
            let name = "realpath \(ExportBenchmarks.count(size))"
            print("\n== \(name)")
            do {
                let a = try await RealPathBuild.build(size: size, seed: seed, work: work)
                largest = a
                guard parts.contains("realpath") else { continue }
                RealPathFigures.build(a, table: &table)
                RealPathFigures.incremental(a, table: &table)
                try RealPathSearch.run(a, rounds: searchRounds, work: work, table: &table)
                print(table.markdown)
                try RealPathFigures.export(a, rooms: nil, messages: a.messages,
                                           shape: "whole archive (\(a.rooms - a.busyRooms.count) rooms × ~100 + \(a.busyRooms.count) × \(a.busyMessages / max(1, a.busyRooms.count)))",
                                           work: work, table: &table)
                if a.busyRooms.count > 1 {
                    try RealPathFigures.export(a, rooms: a.busyRooms, messages: a.busyMessages,
                                               shape: "the \(a.busyRooms.count) busy rooms × \(a.busyMessages / a.busyRooms.count) (--room each)",
                                               work: work, table: &table)
                }
                try RealPathFigures.reindex(a, rounds: size >= 1_000_000 ? 1 : 2, work: work, table: &table)
                print(table.markdown)
            } catch {
                print("\(name): could not run: \(error)")
                table.add(name, ours: "not measured: \(error)", reference: "—", ratio: "—", target: "—", met: false)
            }
        }
        if parts.contains("wrk"), let a = largest {
            print("\n== wrk on \(ExportBenchmarks.count(a.size))")
            do { try ServeLoad.run(a, seconds: wrkSeconds, work: work, table: &table) } catch {
                print("wrk: could not run: \(error)")
                table.add("serve under wrk", ours: "not measured: \(error)", reference: "—", ratio: "—", target: "—", met: false)
            }
        }
    }
}
