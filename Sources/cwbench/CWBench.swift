import ArgumentParser
import ChatworkAPI
import CWArchiveCore
import Foundation

/// `swift run -c release cwbench [--quick]`: every figure beside a reference measured in the same run.
@main
struct CWBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cwbench",
        abstract: "Measure cwarchive's speed, memory and API efficiency against references, on synthetic data.")

    @Flag(help: "A small data set (a couple of minutes).")
    var quick = false

    @Option(help: "Messages in the data set (default 1,000,000; --quick 50,000).")
    var messages: Int?

    @Option(help: "Rooms in the data set (default 1,000; --quick 100).")
    var rooms: Int?

    @Option(help: "Seed of the synthetic data.")
    var seed: UInt64 = 42

    @Option(help: "Working folder (default: a new temporary folder, removed at the end).")
    var work: String?

    @Option(help: "Only these parts (comma-separated: write,reindex,search,serve,export,memory,nightly,planner,rate,download,realpath,wrk).")
    var only: String?

    @Option(help: "Sizes of the real-path archives (comma-separated messages; default 200000 with --quick, 200000,1000000 otherwise).")
    var realpathSizes: String?

    @Option(help: "Whole-process runs of each search query class in the realpath part.")
    var searchRounds: Int = 30

    @Option(help: "Seconds of each wrk run in the wrk part.")
    var wrkSeconds: Int = 20

    @Option(help: "The report to update (its cwbench block; the rest of the file is kept). Empty: none.")
    var report: String = "BENCHMARKS.md"

    @Option(help: .hidden) var downloadChild: String?
    @Option(help: .hidden) var downloadDestination: String?
    @Option(help: .hidden) var downloadSize: Int?

    func run() async throws {
        if let url = downloadChild {
            try await DownloadBenchmark.child(url: url, destination: downloadDestination ?? "/dev/null", size: downloadSize ?? 0)
            return
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let messageCount = messages ?? (quick ? 50_000 : 1_000_000)
        let roomCount = rooms ?? (quick ? 100 : 1_000)
        let workDir = URL(fileURLWithPath: work ?? FileManager.default.temporaryDirectory.appendingPathComponent("cwbench-\(UUID().uuidString)").path)
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: workDir) } }
        let parts = Set((only ?? "write,reindex,search,serve,export,memory,nightly,planner,rate,download,realpath,wrk").split(separator: ",").map(String.init))
        var table = ResultTable()
        print("cwbench: \(messageCount) messages in \(roomCount) rooms, seed \(seed), work folder \(workDir.path)")

        let data = DataSet(messageCount: messageCount, roomCount: roomCount, root: workDir.appendingPathComponent("archive"), seed: seed)
        let realPathOnly = parts.isSubset(of: ["realpath", "wrk"])
        let (generated, genSeconds) = Measure.time { realPathOnly ? [] : data.generate() }
        print("generated in \(fmt(genSeconds)) s")
        if parts.contains("write") || parts.contains("reindex") || parts.contains("search") || parts.contains("serve") || parts.contains("export") {
            try StorageBenchmarks.writing(data, rooms: generated, messages: messageCount, table: &table, work: workDir)
            print(table.markdown)
        }
        if parts.contains("reindex") || parts.contains("search") || parts.contains("serve") || parts.contains("export") {
            try StorageBenchmarks.reindex(data, messages: messageCount, table: &table, work: workDir)
            print(table.markdown)
        }
        try await Extra.run(parts: parts, data: data, generated: generated, messages: messageCount, table: &table, work: workDir, quick: quick)
        let realPathSizes = (realpathSizes ?? (quick ? "200000" : "200000,1000000")).split(separator: ",").compactMap { Int($0) }
        if parts.contains("realpath") || parts.contains("wrk") {
            let sizes = realPathSizes
            await RealPathPart.run(parts: parts, sizes: sizes, seed: seed, work: workDir, searchRounds: searchRounds,
                                   wrkSeconds: wrkSeconds, table: &table)
        }
        print("\n## Results\n")
        print(table.markdown)
        if !report.isEmpty {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let command = (["swift run -c release cwbench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            let title = realPathOnly ? "Real-path run (parts: \(parts.sorted().joined(separator: ", ")))" : quick ? "Quick run (\(messageCount) messages, \(roomCount) rooms)" : "Full run (\(messageCount) messages, \(roomCount) rooms)"
            let notes = realPathOnly ? ["Data: RealPathCorpus (seed \(seed)) served by the simulator in this process and archived by the release `cwarchive archive` over loopback, one process per nightly run; every figure a whole process of the release binary."] : ["Data: synthetic Japanese/English business chat (seed \(seed)), written through the real archive code path.",
                         "Parts: \(parts.sorted().joined(separator: ", "))."]
            try Report.write(Report.block(title: title, command: command, table: table, notes: notes, seconds: seconds),
                             key: realPathOnly ? "realpath-" + realPathSizes.map { ExportBenchmarks.count($0) }.joined(separator: "-") : quick ? "quick" : (messages == nil && rooms == nil ? "full" : "custom"), to: report)
            print("wrote \(report)")
        }
    }
}
