import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
import CWTestSupport

/// Two runs on one archive, readers while a run writes, many searches at once.
@Suite("Reliability: concurrency", .serialized, .enabled(if: CLIRunner.isAvailable))
struct ReliabilityConcurrencyTests {
    @Test func aSecondRunExits11AndReadersWorkWhileARunWrites() async throws {
        let h = try await SimulatorHarness(configuration: SimulatorConfiguration(rateLimit: 1_000_000, faults: FaultConfiguration(latency: 0.03, scope: .api)))
        try await withTeardown({ await h.stop() }) {
            // A first archive so that readers have something; then new work for the writer.
            h.sim.setFaults(.none)
            #expect(try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv).status == 0)
            let before = try await ReliabilityCLI.run(["search", "--archive", h.archiveURL.path, "--format", "json", "--limit", "0", "会議"]).stdout
            let past = Int(Date().timeIntervalSince1970) - 60
            try h.sim.updateWorkspace { ws in
                for room in [2000001, 2000002, 2000003, 2000004, 2000006, 2000009] {
                    _ = try ws.addMessages(roomId: room, accountId: 1000002, count: 5, prefix: "会議 concurrent \(room)", at: past)
                }
                _ = try ws.addFile(roomId: 2000004, accountId: 1000001, filename: "concurrent.bin", size: 3_000_000, at: past + 1)
            }
            h.sim.setFaults(FaultConfiguration(latency: 0.05, scope: .api))

            let (writer, wout, werr) = try CLIRunner.start(ReliabilityCLI.archiveArgs(h, extra: ["--commit-every-rooms", "1"]), env: ReliabilityCLI.tokenEnv)
            // Wait until the writer has taken the lock: the lock file then names its pid (trying the
            // lock here could take it first). Bounded, so a writer that never starts fails the test.
            let lockURL = h.archiveURL.appendingPathComponent("lock")
            var waited = 0
            while ArchiveLock.readHolder(at: lockURL)?.pid != writer.processIdentifier, writer.isRunning, waited < 3000 {
                usleep(10_000)
                waited += 1
            }
            #expect(ArchiveLock.readHolder(at: lockURL)?.pid == writer.processIdentifier, "the writer never took the lock")
            #expect(writer.isRunning, "the writer ended before the second run could start; raise the latency")
            let second = try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv)
            #expect(second.status == 11, "a second run must exit 11: \(second.status) \(second.stderr)")
            #expect(second.stderr.contains("pid \(writer.processIdentifier)"), "\(second.stderr)")

            // Readers while the writer writes: search, status, verify, export.
            var reads = 0, readErrors: [String] = []
            var n = 0
            while writer.isRunning {
                n += 1
                let s = try await ReliabilityCLI.run(["search", "--archive", h.archiveURL.path, "--format", "json", "--limit", "0", "会議"])
                reads += 1
                if s.status != 0 || s.crashed { readErrors.append("search \(s.status): \(s.stderr)") }
                if n % 3 == 0 {
                    let st = try await ReliabilityCLI.run(["status", "--archive", h.archiveURL.path, "--format", "json"])
                    reads += 1
                    if st.status != 0 { readErrors.append("status \(st.status): \(st.stderr)") }
                }
                if n % 4 == 0 {
                    let e = try await ReliabilityCLI.run(["export", "--archive", h.archiveURL.path, "--format", "csv", "--out", h.tmp.path("export-\(n)").path])
                    reads += 1
                    if e.status != 0 { readErrors.append("export \(e.status): \(e.stderr)") }
                }
            }
            writer.waitUntilExit()
            let werrText = String(decoding: werr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            _ = wout
            #expect(writer.terminationStatus == 0, "the writer: \(werrText)")
            #expect(readErrors.isEmpty, "\(readErrors.prefix(5))")
            #expect(reads > 0)

            // Many searches at once: same answers, no error.
            let after = try await ReliabilityCLI.run(["search", "--archive", h.archiveURL.path, "--format", "json", "--limit", "0", "会議"]).stdout
            #expect(after.split(separator: "\n").count > before.split(separator: "\n").count)
            let parallel = Reliability.parallelSearches
            let results = LockedBox<[String]>([])
            let archivePath = h.archiveURL.path
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<parallel {
                    group.addTask {
                        let query = ["会議", "budget", "concurrent", "会議 -concurrent"][i % 4]
                        let r = try? await ReliabilityCLI.run(["search", "--archive", archivePath, "--format", "json", "--limit", "0", query])
                        results.withLock { $0.append("\(query)\t\(r?.status ?? -1)\t\((r?.stdout ?? "").hashValue)") }
                    }
                }
            }
            let byQuery = Dictionary(grouping: results.value, by: { $0.split(separator: "\t")[0] })
            for (q, lines) in byQuery {
                #expect(Set(lines).count == 1, "different answers for \(q) at once: \(Set(lines))")
                #expect(lines.allSatisfy { $0.split(separator: "\t")[1] != "2" && $0.split(separator: "\t")[1] != "-1" })
            }
            #expect(try await ReliabilityCLI.run(["verify", "--archive", h.archiveURL.path]).status == 0)
            #expect(try ArchiveAudit.check(h).isComplete)
            #expect(SecurityAudit.problems(archive: h.archiveURL, texts: ["stderr": werrText + second.stderr]).isEmpty)
            ReliabilityFigures.record("concurrency", ["second_run_exit_11": second.status == 11 ? 1 : 0, "reads_during_write": reads,
                                                      "read_errors": readErrors.count, "parallel_searches": parallel])
        }
    }
}

/// A value behind a lock, for collecting results from threads.
final class LockedBox<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&v) }
    var value: T { withLock { $0 } }
}
