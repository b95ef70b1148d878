import ChatworkAPI
import CWArchiveCore
import Foundation

/// The parts after writing and reindexing: search, export, export memory, nightly, planner, rate and download.
/// A part that cannot run (e.g. no `export` in the binary yet) is reported and the others go on.
enum Extra {
    static func run(parts: Set<String>, data: DataSet, generated: [(Room, [Message])], messages: Int, table: inout ResultTable, work: URL, quick: Bool) async throws {
        func attempt(_ name: String, _ body: (inout ResultTable) async throws -> Void) async {
            guard parts.contains(name) else { return }
            print("\n== \(name)")
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                try await body(&table)
            } catch {
                print("\(name): could not run: \(error)")
                table.add("\(name)", ours: "not measured: \(error)", reference: "—", ratio: "—", target: "—", met: false)
            }
            print("\(name) took \(fmt(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 1)) s")
            print(table.markdown)
        }
        await attempt("search") { try SearchBenchmarks.run(data, generated: generated, table: &$0) }
        await attempt("serve") { try ViewerBenchmarks.run(data, generated: generated, table: &$0) }
        await attempt("export") { try ExportBenchmarks.speed(data, messages: messages, work: work, table: &$0) }
        await attempt("memory") {
            try ExportBenchmarks.memory(sizes: quick ? [10_000, 50_000, 100_000] : [10_000, 100_000, 1_000_000],
                                        seed: data.seed, work: work, table: &$0)
        }
        await attempt("nightly") { try await SimulatorBenchmarks.nightly(rooms: quick ? 100 : 1_000, work: work, table: &$0) }
        await attempt("planner") { try await PlannerBenchmarks.run(rooms: 1_000, work: work, table: &$0) }
        await attempt("rate") { try await SimulatorBenchmarks.rate(limit: 60, window: 10, windows: 3, work: work, table: &$0) }
        await attempt("download") { try await DownloadBenchmark.run(megabytes: 200, work: work, table: &$0) }
    }
}
