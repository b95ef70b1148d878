import ChatworkSimulator
import CWArchiveCore
import Foundation

/// An archive built through the real path: the simulator (in this process, on 127.0.0.1) serves
/// ``RealPathCorpus``; the release `cwarchive archive` binary takes it over loopback, one process
/// per nightly stage. Kept in `WORK/realpath-SIZE/` and reused by the later parts of a run (and by
/// later runs given the same `--work`, when `built.json` is there).
struct RealPathArchive: Codable {
    var size: Int
    var root: String
    /// The reference's input: `BEGIN; CREATE VIRTUAL TABLE … trigram; INSERT …; COMMIT;`.
    var loadSQL: String
    var messages: Int
    var rooms: Int
    var busyRooms: [Int]
    var busyMessages: Int
    /// (room id, a message id in the middle of the room) for `?before=` pages.
    var anchors: [[String]]
    var runs: Int
    var buildSeconds: Double
    var firstRunSeconds: Double
    var stageSeconds: [Double]
    var archivePeakRSS: Int
    /// Nightly stages measured for the index update: stage, run wall time, index catch-up time
    /// (opening included), messages added, and the time of opening the same index with nothing
    /// to apply (the fixed part, which the run pays anyway to plan).
    var incremental: [[Double]]
    var oldestTime: Int
    var newestTime: Int

    var store: URL { URL(fileURLWithPath: root) }
}

enum RealPathBuild {
    static func build(size: Int, seed: UInt64, work: URL) async throws -> RealPathArchive {
        let dir = work.appendingPathComponent("realpath-\(size)")
        let marker = dir.appendingPathComponent("built.json")
        if let data = try? Data(contentsOf: marker), let built = try? JSONDecoder().decode(RealPathArchive.self, from: data) {
            print("realpath: reusing the \(size)-message archive built earlier in \(dir.path)")
            return built
        }
        try ExportBenchmarks.checkBinary()
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let root = dir.appendingPathComponent("archive")
        let started = DispatchTime.now().uptimeNanoseconds
        var corpus = RealPathCorpus(target: size, seed: seed)
        let (initial, genSeconds) = Measure.time { corpus.initialWorkspace() }
        print("realpath \(size): \(corpus.smallRooms) rooms of 100 + \(corpus.busyRooms) busy rooms, generated in \(fmt(genSeconds, 1)) s")
        // The rate limit relaxed (10,000,000 requests per 300 s window) so that no run waits on it;
        // everything else (100-message windows, pagination, JSON) as the simulator always serves it.
        let sim = ChatworkSimulator(workspace: initial, configuration: SimulatorConfiguration(rateLimit: 10_000_000, rateWindow: 300))
        try await sim.start(port: 0)
        var env = ProcessInfo.processInfo.environment
        env["CHATWORK_API_TOKEN"] = RealPathCorpus.token
        let report = dir.appendingPathComponent("run.json").path
        let command = "exec '\(ExportBenchmarks.binary)' archive --archive '\(root.path)' --api-base '\(sim.baseURL.absoluteString)' --no-files --quiet --report '\(report)'"
        var stageSeconds: [Double] = []
        var peak = 0
        var incremental: [[Double]] = []
        let measured: Set<Int> = [1, RealPathCorpus.stages / 2, RealPathCorpus.stages - 1]
        do {
            for stage in 0..<RealPathCorpus.stages {
                var added = 0
                if stage > 0 {
                    let before = sim.workspace.rooms.reduce(0) { $0 + $1.messages.count }
                    sim.updateWorkspace { corpus.addStage(stage, to: &$0) }
                    added = sim.workspace.rooms.reduce(0) { $0 + $1.messages.count } - before
                }
                let index = root.appendingPathComponent("index.sqlite").path
                let side = dir.appendingPathComponent("index-before").path
                if measured.contains(stage) { copyIndex(from: index, to: side) }
                let r = await ProcessTimer.shellOffPool(command, environment: env)
                guard r.status == 0 else { throw ValidationFailure("archive stage \(stage) exited \(r.status): \(r.output.suffix(800))") }
                stageSeconds.append(r.seconds)
                peak = max(peak, r.peakRSS)
                if measured.contains(stage) {
                    let catchUp = try indexUpdate(root: root, before: side)
                    let store = try ArchiveStore.open(at: root, create: false)
                    let openOnly = (0..<3).map { _ in (try? Measure.time { _ = try ArchiveIndex.open(store: store) })?.1 ?? 0 }.min() ?? 0
                    incremental.append([Double(stage), r.seconds, catchUp, Double(added), openOnly])
                    print("realpath \(size): stage \(stage): run \(fmt(r.seconds, 2)) s, its index update alone \(fmt(catchUp, 3)) s (\(added) messages), opening alone \(fmt(openOnly, 3)) s")
                }
                if stage % 10 == 0 { print("realpath \(size): stage \(stage) took \(fmt(r.seconds, 2)) s, peak \(mb(r.peakRSS))") }
            }
        } catch {
            await sim.stop()
            throw error
        }
        let ws = sim.workspace
        await sim.stop()
        let sql = dir.appendingPathComponent("load.sql")
        try writeLoadSQL(ws, to: sql)
        var anchors: [[String]] = []
        for room in ws.rooms where anchors.count < 200 || corpus.busyRoomIDs.contains(room.roomId) {
            anchors.append([String(room.roomId), room.messages[room.messages.count / 2].messageId])
        }
        let all = ws.rooms.flatMap(\.messages)
        let built = RealPathArchive(
            size: size, root: root.path, loadSQL: sql.path, messages: all.count, rooms: ws.rooms.count,
            busyRooms: corpus.busyRoomIDs,
            busyMessages: ws.rooms.filter { corpus.busyRoomIDs.contains($0.roomId) }.reduce(0) { $0 + $1.messages.count },
            anchors: anchors, runs: stageSeconds.count,
            buildSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9,
            firstRunSeconds: stageSeconds.first ?? 0, stageSeconds: stageSeconds, archivePeakRSS: peak,
            incremental: incremental, oldestTime: all.map(\.sendTime).min() ?? 0, newestTime: all.map(\.sendTime).max() ?? 0)
        try JSONEncoder().encode(built).write(to: marker)
        print("realpath \(size): \(built.messages) messages in \(built.rooms) rooms, \(built.runs) runs, built in \(fmt(built.buildSeconds, 0)) s")
        return built
    }

    private static func copyIndex(from index: String, to side: String) {
        for suffix in ["", "-wal"] {
            unlink(side + suffix)
            if FileManager.default.fileExists(atPath: index + suffix) { try? FileManager.default.copyItem(atPath: index + suffix, toPath: side + suffix) }
        }
    }

    /// The index update of the run just made, measured alone: the index as it was before the run
    /// is put back and brought up to date from the run's manifests (`ArchiveIndex.open`, which
    /// applies every manifest it lacks, each in its own transaction, as the run did after each
    /// commit). The caught-up index is kept (it holds the same rows as the run's).
    private static func indexUpdate(root: URL, before side: String) throws -> Double {
        let index = root.appendingPathComponent("index.sqlite").path
        for suffix in ["", "-wal", "-shm"] { unlink(index + suffix) }
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: side + suffix) { rename(side + suffix, index + suffix) }
        let store = try ArchiveStore.open(at: root, create: false)
        let (_, seconds) = try Measure.time { _ = try ArchiveIndex.open(store: store) }
        return seconds
    }

    /// Every message text of the workspace, for the sqlite3 trigram reference.
    private static func writeLoadSQL(_ ws: SimWorkspace, to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var buffer = "BEGIN;\nCREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram');\n"
        for room in ws.rooms {
            for m in room.messages {
                buffer += "INSERT INTO t(body) VALUES('" + m.body.replacingOccurrences(of: "'", with: "''") + "');\n"
                if buffer.utf8.count > 1 << 20 { handle.write(Data(buffer.utf8)); buffer = "" }
            }
        }
        handle.write(Data((buffer + "COMMIT;\n").utf8))
        try handle.close()
    }
}
