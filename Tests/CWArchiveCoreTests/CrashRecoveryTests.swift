import ChatworkSimulator
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// A run killed with SIGKILL at any moment loses and duplicates nothing, and `verify` passes.
@Suite("Crash recovery with SIGKILL", .serialized, .enabled(if: CLIRunner.isAvailable))
struct CrashRecoveryTests {
    @Test func killedRunsLoseAndDuplicateNothing() async throws {
        // Slow answers, so that kills land in the middle of message writing, downloads and commits.
        try await SimulatorHarness.with(configuration: SimulatorConfiguration(faults: FaultConfiguration(latency: 0.02, scope: .api))) { h in
            let past = Int(Date().timeIntervalSince1970) - 120
            try h.sim.updateWorkspace { ws in
                for (n, room) in [2000001, 2000004, 2000006].enumerated() {
                    _ = try ws.addFile(roomId: room, accountId: 1000001, filename: "big-\(n).bin", size: 2_000_000 + n, at: past + n)
                }
            }
            let env = ["CHATWORK_API_TOKEN": SimulatorHarness.token]
            let args = ["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString, "--commit-every-rooms", "1", "--quiet"]
            var generator = SystemRandomNumberGenerator()
            var kills = 0
            for round in 0..<6 {
                let (p, _, _) = try CLIRunner.start(args, env: env)
                let delay = Double.random(in: 0.15...1.5, using: &generator)
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
                await CLIRunner.wait(p)
                // Between kills the archive must always verify (files left for adoption are pending, not errors).
                let report = try ArchiveVerifier(store: try ArchiveStore.open(at: h.archiveURL, create: true)).verify()
                #expect(report.isIntact, "after kill \(round): \(report.missing) \(report.changed) \(report.unlisted) \(report.chainErrors) \(report.unreadable)")
            }
            #expect(kills > 0)

            h.sim.setFaults(.none)
            let final = try await CLIRunner.run(Array(args.dropLast()), env: env)
            #expect(final.status == 0, "\(final.stderr)")

            // Nothing lost: every visible message of each room's newest 100 is there.
            for room in h.sim.workspace.rooms where room.members.contains(where: { $0.accountId == 1000001 }) && room.messageLimitation == nil {
                let expected = Set(h.visibleMessages(room.roomId).sorted { $0.sendTime < $1.sendTime }.suffix(100).map(\.messageId))
                let archived = try h.read { db in
                    Set(try String.fetchAll(db, sql: "SELECT message_id FROM messages WHERE room_id = ?", arguments: [room.roomId]))
                }
                #expect(archived.isSuperset(of: expected), "room \(room.roomId) lost \(expected.subtracting(archived).count)")
            }
            // Nothing duplicated: one version per message (nothing was edited).
            #expect(try h.count("SELECT COUNT(*) FROM messages WHERE version > 1") == 0)
            #expect(try h.count("SELECT COUNT(*) FROM (SELECT 1 FROM messages GROUP BY room_id, message_id HAVING COUNT(*) > 1)") == 0)
            // Every file present with the right hash.
            let store = try ArchiveStore.open(at: h.archiveURL, create: false)
            let files = try h.read { db in try Row.fetchAll(db, sql: "SELECT filename, sha256, status FROM files WHERE filename LIKE 'big-%'") }
            #expect(files.count == 3)
            for f in files {
                #expect((f["status"] as String) == "stored")
                let sha: String = f["sha256"]
                #expect(try Hashing.sha256(fileAt: store.blobURL(sha256: sha)).hash == sha)
            }
            let verify = try await CLIRunner.run(["verify", "--archive", h.archiveURL.path, "--strict"])
            #expect(verify.status == 0, "\(verify.stdout)")
        }
    }
}
