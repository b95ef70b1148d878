import ChatworkSimulator
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore
import CWTestSupport

/// SIGKILL of `cwarchive archive` at random instants, in cycles: new work appears in the
/// simulator, a few runs are killed, then a normal run must leave a complete archive (nothing
/// lost or duplicated, every file with its hash, `verify` exit 0).
@Suite("Reliability: SIGKILL at random instants", .serialized, .enabled(if: CLIRunner.isAvailable))
struct ReliabilityKillTests {
    static let rooms = [2000001, 2000002, 2000003, 2000004, 2000005, 2000006, 2000007, 2000009]

    @Test func killedRunsLoseAndDuplicateNothing() async throws {
        // API latency stretches the phases; big files make downloads take time.
        // A rate limit out of reach: dozens of runs in minutes would otherwise wait for the 5-minute window.
        let h = try await SimulatorHarness(configuration: SimulatorConfiguration(rateLimit: 1_000_000, faults: FaultConfiguration(latency: 0.02, scope: .all)))
        try await withTeardown({ await h.stop() }) {
            var rng = SeededGenerator(seed: Reliability.seed)
            let target = Reliability.kills
            let report = h.tmp.path("report.json")
            let args = ReliabilityCLI.archiveArgs(h, extra: ["--commit-every-rooms", "1", "--quiet"])
            var kills = 0, missed = 0, cycles = 0, normalRuns = 0, lostTotal = 0, duplicatesTotal = 0
            var phases: [String: Int] = [:]
            var cmdlines: [String] = []
            var filesAdded = 0, messagesAdded = 0

            while kills < target && cycles < target * 2 {
                cycles += 1
                // New work for this cycle: a few messages in every room and a big file somewhere.
                let past = Int(Date().timeIntervalSince1970) - 30
                let bigRoom = Self.rooms[Int.random(in: 0..<Self.rooms.count, using: &rng)]
                let size = Int.random(in: 2_000_000...6_000_000, using: &rng)
                try h.sim.updateWorkspace { ws in
                    for room in Self.rooms {
                        _ = try ws.addMessages(roomId: room, accountId: 1000002, count: 2, prefix: "cycle \(cycles) room \(room)", at: past)
                    }
                    _ = try ws.addFile(roomId: bigRoom, accountId: 1000001, filename: "big-\(cycles).bin", size: size, at: past + 1)
                }
                messagesAdded += 2 * Self.rooms.count + 1
                filesAdded += 1

                for _ in 0..<3 where kills < target {
                    let (p, out, err) = try CLIRunner.start(args, env: ReliabilityCLI.tokenEnv)
                    let delay = Double.random(in: 0.05...1.4, using: &rng)
                    let deadline = Date().addingTimeInterval(delay)
                    while Date() < deadline && p.isRunning {
                        if let c = ReliabilityCLI.cmdline(pid: p.processIdentifier) { cmdlines.append(c) }
                        try await Task.sleep(nanoseconds: 10_000_000)
                    }
                    if p.isRunning {
                        kill(p.processIdentifier, SIGKILL)
                        kills += 1
                        p.waitUntilExit()
                        phases[Self.phase(h.archiveURL), default: 0] += 1
                    } else {
                        p.waitUntilExit()
                        missed += 1
                        #expect(p.terminationStatus == 0, "an unkilled run failed: \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
                    }
                    _ = out
                    // Between kills the archive always verifies (files left for adoption are pending, not errors).
                    // A first run killed before it wrote the archive's marker has no archive yet.
                    guard FileManager.default.fileExists(atPath: h.archiveURL.appendingPathComponent(ArchiveStore.markerName).path) else { continue }
                    let v = try ArchiveVerifier(store: try ArchiveStore.open(at: h.archiveURL, create: false)).verify()
                    #expect(v.isIntact, "after kill \(kills): \(v.missing) \(v.changed) \(v.unlisted) \(v.chainErrors) \(v.unreadable)")
                }

                // A normal run completes the archive.
                let normal = try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h, report: report, extra: ["--commit-every-rooms", "1"]), env: ReliabilityCLI.tokenEnv)
                normalRuns += 1
                #expect(normal.status == 0, "cycle \(cycles): \(normal.stderr)")
                let audit = try ArchiveAudit.check(h)
                lostTotal += audit.lost + audit.filesLost + audit.wrongFiles.count
                duplicatesTotal += audit.duplicateMessages
                #expect(audit.isComplete, "cycle \(cycles): \(audit)")
                #expect(audit.duplicateRecords == 0, "cycle \(cycles): \(audit)")
                let verify = try await ReliabilityCLI.run(["verify", "--archive", h.archiveURL.path, "--strict"])
                #expect(verify.status == 0, "cycle \(cycles): \(verify.stdout)")
                let security = SecurityAudit.problems(archive: h.archiveURL, files: [report],
                                                      texts: ["stdout": normal.stdout, "stderr": normal.stderr], cmdlines: normal.cmdlines + cmdlines)
                #expect(security.isEmpty, "\(security)")
            }
            #expect(kills >= target, "only \(kills) of \(target) runs could be killed (\(missed) finished first)")
            #expect(!cmdlines.isEmpty)
            var figures: [String: Int] = ["kills": kills, "runs_finished_before_kill": missed, "cycles": cycles, "normal_runs": normalRuns,
                                          "messages_lost": lostTotal, "messages_duplicated": duplicatesTotal,
                                          "messages_added": messagesAdded, "files_added": filesAdded]
            for (k, v) in phases { figures["kills_in_\(k)"] = v }
            ReliabilityFigures.record("sigkill", figures)
        }
    }

    /// What the killed run was doing, judged from what it left on disk.
    static func phase(_ archive: URL) -> String {
        let tmp = (try? FileManager.default.contentsOfDirectory(atPath: archive.appendingPathComponent("tmp").path)) ?? []
        if tmp.contains(where: { $0.hasPrefix(".tmp-") }) { return "manifest_write" }
        if let store = try? ArchiveStore.open(at: archive, create: false), let manifests = try? store.manifests() {
            var config = Configuration()
            config.readonly = true
            let indexed = (try? DatabaseQueue(path: store.indexURL.path, configuration: config).read { db in
                try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM manifests") ?? 0
            }) ?? 0
            if manifests.count > indexed { return "index_update" }
            // A data file or blob written but not yet listed: between file and manifest.
            let listed = Set(manifests.flatMap { $0.manifest.files.map(\.path) })
            if store.filesOnDisk().contains(where: { !listed.contains($0) }) { return "commit" }
        }
        if tmp.contains(where: { $0.hasPrefix(".dl-") }) { return "file_download" }
        if tmp.contains(where: { $0.hasPrefix(".seg-") }) { return "message_writing" }
        return "api_or_startup"
    }
}
