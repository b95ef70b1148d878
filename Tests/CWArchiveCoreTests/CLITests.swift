import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
import CWTestSupport

/// The command line as a contract: exit codes, JSON fields, the token never on argv or in output.
@Suite("cwarchive command line", .serialized, .enabled(if: CLIRunner.isAvailable))
struct CLITests {
    @Test func archiveStatusVerifyAndReport() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            let report = h.tmp.path("report.json")
            let env = ["CHATWORK_API_TOKEN": SimulatorHarness.token]
            let run = try await CLIRunner.run(["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString, "--report", report.path], env: env)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stdout.contains(SimulatorHarness.token) && !run.stderr.contains(SimulatorHarness.token))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
            for key in ["started_at", "finished_at", "requests", "rate_limited_429", "rooms", "messages", "files", "gaps_found", "manifest_hash", "exit_code"] {
                #expect(json[key] != nil, "report lacks \(key)")
            }
            let rooms = try #require(json["rooms"] as? [String: Any])
            for key in ["seen", "changed", "skipped", "failed"] { #expect(rooms[key] is Int, "rooms.\(key)") }
            let messages = try #require(json["messages"] as? [String: Any])
            for key in ["new", "edited", "deleted"] { #expect(messages[key] is Int, "messages.\(key)") }
            let files = try #require(json["files"] as? [String: Any])
            for key in ["downloaded", "failed"] { #expect(files[key] is Int, "files.\(key)") }

            let status = try await CLIRunner.run(["status", "--archive", h.archiveURL.path, "--format", "json"])
            #expect(status.status == 0, "\(status.stderr)")
            let st = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            let roomList = try #require(st["rooms"] as? [[String: Any]])
            #expect(roomList.count == 9)
            for r in roomList {
                #expect(r["room_id"] is Int && r["name"] is String && r["archived_messages"] is Int && r["server_message_num"] is Int && r["gaps"] is [Any])
            }
            #expect(st["last_run"] is [String: Any])

            let verify = try await CLIRunner.run(["verify", "--archive", h.archiveURL.path])
            #expect(verify.status == 0, "\(verify.stdout)")
        }
    }

    @Test func exitCodes() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            let base = ["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString]
            // Wrong token: fatal, and the wrong token is not echoed.
            let bad = try await CLIRunner.run(base, env: ["CHATWORK_API_TOKEN": "wrong-token-123"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("401"))
            #expect(!bad.stderr.contains("wrong-token-123"))
            // No token at all.
            #expect(try await CLIRunner.run(base).status == 1)
            // Usage.
            #expect(try await CLIRunner.run(["archive", "--bogus-flag"]).status == 64)
            // Locked.
            let store = try ArchiveStore.open(at: h.archiveURL, create: true)
            let lock = try store.acquireLock()
            let locked = try await CLIRunner.run(base, env: ["CHATWORK_API_TOKEN": SimulatorHarness.token])
            #expect(locked.status == 11)
            #expect(locked.stderr.contains("pid \(getpid())"))
            lock.release()
            // Missing archive for the readers: a bad --archive value, checked before any work.
            #expect(try await CLIRunner.run(["status", "--archive", h.tmp.path("nothing").path]).status == 64)
            #expect(try await CLIRunner.run(["verify", "--archive", h.tmp.path("nothing").path]).status == 64)
            // A folder that is not an archive: the archive cannot be read (exit 1).
            try FileManager.default.createDirectory(at: h.tmp.path("empty"), withIntermediateDirectories: true)
            #expect(try await CLIRunner.run(["status", "--archive", h.tmp.path("empty").path]).status == 1)
        }
    }

    @Test func verifyFailsNamingAFlippedByte() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            try await h.archive()
            let store = try ArchiveStore.open(at: h.archiveURL, create: false)
            let manifests = try store.manifests()
            let dataFile = try #require(manifests.flatMap(\.manifest.files).first { $0.path.hasPrefix("data/") })
            let blob = try #require(manifests.flatMap(\.manifest.files).first { $0.path.hasPrefix("blobs/") })
            for entry in [dataFile, blob] {
                let url = store.root.appendingPathComponent(entry.path)
                var bytes = try Data(contentsOf: url)
                bytes[bytes.count - 10] ^= 0x40
                try bytes.write(to: url)
                let v = try await CLIRunner.run(["verify", "--archive", h.archiveURL.path])
                #expect(v.status != 0)
                #expect(v.stdout.contains("CHANGED    \(entry.path)"))
                bytes[bytes.count - 10] ^= 0x40
                try bytes.write(to: url)
            }
            #expect(try await CLIRunner.run(["verify", "--archive", h.archiveURL.path]).status == 0)
        }
    }
}
