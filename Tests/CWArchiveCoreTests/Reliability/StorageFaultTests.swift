import ChatworkSimulator
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore
import CWTestSupport

/// Storage faults: a full disk, a read-only archive, a deleted index, a truncated data file.
/// Clear messages, exit 1 where the run cannot go on, and an archive that stays consistent.
@Suite("Reliability: storage faults", .serialized, .enabled(if: CLIRunner.isAvailable))
struct ReliabilityStorageTests {
    /// Mounts a tmpfs of `size` on a new folder (root only); nil when mounting is not possible.
    static func mountTmpfs(size: String) -> URL? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cwarchive-tmpfs-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard shell(["mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", dir.path]) == 0 else {
            try? FileManager.default.removeItem(at: dir)
            return nil
        }
        return dir
    }

    static func unmount(_ dir: URL) {
        _ = shell(["umount", "-l", dir.path])
        try? FileManager.default.removeItem(at: dir)
    }

    @discardableResult
    static func shell(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    static func verifyStatus(_ archive: URL) async throws -> (Int32, String) {
        let v = try await ReliabilityCLI.run(["verify", "--archive", archive.path])
        return (v.status, v.stdout + v.stderr)
    }

    @Test func aFullDiskStopsTheRunWithExit1AndTheArchiveStaysConsistent() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            guard let mount = Self.mountTmpfs(size: "2m") else {
                print("storage: tmpfs cannot be mounted here (not root?); the full-disk scenario is skipped")
                return
            }
            defer { Self.unmount(mount) }
            let past = Int(Date().timeIntervalSince1970) - 60
            try h.sim.updateWorkspace { ws in _ = try ws.addFile(roomId: 2000001, accountId: 1000001, filename: "too-big.bin", size: 3_000_000, at: past) }
            let archive = mount.appendingPathComponent("archive")
            let args = ["archive", "--archive", archive.path, "--api-base", h.sim.baseURL.absoluteString]
            let full = try await ReliabilityCLI.run(args, env: ReliabilityCLI.tokenEnv)
            #expect(full.status == 1, "a full disk must stop the run (exit 1), got \(full.status): \(full.stderr)")
            #expect(full.stderr.lowercased().contains("space"), "the message names the cause: \(full.stderr)")
            let (v, text) = try await Self.verifyStatus(archive)
            #expect(v == 0, "the archive is consistent after a full disk: \(text)")
            #expect(SecurityAudit.problems(archive: archive, texts: ["stderr": full.stderr], cmdlines: full.cmdlines).isEmpty)

            // With room again, the next run completes everything.
            #expect(Self.shell(["mount", "-o", "remount,size=64m", mount.path]) == 0)
            let again = try await ReliabilityCLI.run(args, env: ReliabilityCLI.tokenEnv)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await Self.verifyStatus(archive).0 == 0)
            ReliabilityFigures.record("storage_full_disk", ["runs": 2, "exit_1": full.status == 1 ? 1 : 0])
        }
    }

    @Test func aReadOnlyArchiveIsRefusedWithExit1AndLeftUnchanged() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            #expect(try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv).status == 0)
            let before = try h.dump()
            let headBefore = try ArchiveStore.open(at: h.archiveURL, create: false).manifests().last?.hash
            let past = Int(Date().timeIntervalSince1970) - 60
            try h.sim.updateWorkspace { ws in _ = try ws.addMessage(roomId: 2000003, accountId: 1000003, body: "written while read-only", at: past) }

            // A read-only bind mount (root ignores chmod); else chmod for other users.
            let ro = h.tmp.path("readonly")
            try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: true)
            var mounted = false
            if Self.shell(["mount", "--bind", h.archiveURL.path, ro.path]) == 0 {
                mounted = Self.shell(["mount", "-o", "remount,ro,bind", ro.path]) == 0
                if !mounted { Self.unmount(ro) }
            }
            defer { if mounted { _ = Self.shell(["umount", "-l", ro.path]) } }
            let target = mounted ? ro : h.archiveURL
            if !mounted {
                guard getuid() != 0 else { print("storage: no read-only mount possible as root; skipped"); return }
                _ = Self.shell(["chmod", "-R", "a-w", h.archiveURL.path])
            }
            let run = try await ReliabilityCLI.run(["archive", "--archive", target.path, "--api-base", h.sim.baseURL.absoluteString], env: ReliabilityCLI.tokenEnv)
            if !mounted { _ = Self.shell(["chmod", "-R", "u+w", h.archiveURL.path]) }
            #expect(run.status == 1, "a read-only archive must be refused (exit 1), got \(run.status): \(run.stderr)")
            #expect(run.stderr.lowercased().contains("read-only") || run.stderr.lowercased().contains("permission"), "\(run.stderr)")
            #expect(!run.stderr.contains("Fatal error"))
            // Unchanged and consistent; readers still work on the read-only copy.
            #expect(try ArchiveStore.open(at: h.archiveURL, create: false).manifests().last?.hash == headBefore)
            #expect(try h.dump() == before)
            #expect(try await Self.verifyStatus(target).0 == 0)
            let search = try await ReliabilityCLI.run(["search", "--archive", target.path, "--format", "json", "会議"])
            let status = try await ReliabilityCLI.run(["status", "--archive", target.path])
            #expect(!search.crashed && !status.crashed)
            // Readers open the index read-only, as an immutable file when the media is read-only.
            #expect(search.status == 0 || search.status == 1, "search on a read-only archive: \(search.stderr)")
            #expect(status.status == 0, "status on a read-only archive: \(status.stderr)")
            if mounted { _ = Self.shell(["umount", "-l", ro.path]); mounted = false }
            // Writable again: the run takes what it missed.
            #expect(try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv).status == 0)
            #expect(try ArchiveAudit.check(h).isComplete)
            ReliabilityFigures.record("storage_read_only", ["runs": 1, "exit_1": run.status == 1 ? 1 : 0])
        }
    }

    @Test func aDeletedIndexIsRebuiltWithTheSameAnswers() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            #expect(try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv).status == 0)
            let before = try h.dump()
            let queries = ["会議", "budget", "script", "ファイル"]
            func searchAll() async throws -> [String] {
                var out: [String] = []
                for q in queries { out.append(try await ReliabilityCLI.run(["search", "--archive", h.archiveURL.path, "--format", "json", "--limit", "0", q]).stdout) }
                return out
            }
            let answers = try await searchAll()
            let store = try ArchiveStore.open(at: h.archiveURL, create: false)
            for suffix in ["", "-wal", "-shm"] { unlink(store.indexURL.path + suffix) }
            // The readers rebuild it from the data files.
            let again = try await searchAll()
            #expect(again == answers)
            #expect(try h.dump() == before)
            // And the next run goes on from it.
            #expect(try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv).status == 0)
            #expect(try h.dump() == before)
            #expect(try await Self.verifyStatus(h.archiveURL).0 == 0)
            #expect(SecurityAudit.permissionProblems(h.archiveURL).isEmpty, "\(SecurityAudit.permissionProblems(h.archiveURL))")
            ReliabilityFigures.record("storage_deleted_index", ["queries_compared": queries.count])
        }
    }

    @Test func aTruncatedDataFileIsFoundByVerifyAndTheNextRunDoesNotMakeItWorse() async throws {
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            #expect(try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv).status == 0)
            let store = try ArchiveStore.open(at: h.archiveURL, create: false)
            let entry = try #require(try store.manifests().flatMap(\.manifest.files).filter { $0.path.hasPrefix("data/") }.max { $0.size < $1.size })
            let url = store.root.appendingPathComponent(entry.path)
            let bytes = try Data(contentsOf: url)
            try bytes.prefix(bytes.count / 2).write(to: url)
            chmod(url.path, 0o600)
            let (v1, text1) = try await Self.verifyStatus(h.archiveURL)
            #expect(v1 != 0)
            #expect(text1.contains(entry.path), "verify names the truncated file: \(text1)")

            let past = Int(Date().timeIntervalSince1970) - 60
            try h.sim.updateWorkspace { ws in _ = try ws.addMessage(roomId: 2000003, accountId: 1000003, body: "after the damage", at: past) }
            let run = try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h), env: ReliabilityCLI.tokenEnv)
            #expect([0, 1, 3].contains(run.status), "\(run.stderr)")
            #expect(!run.stderr.contains("Fatal error"))
            // Not worse: the truncated file is the only problem, it was not overwritten or removed.
            let report = try ArchiveVerifier(store: store).verify()
            #expect(report.changed == [entry.path], "\(report.changed)")
            #expect(report.missing.isEmpty && report.unlisted.isEmpty && report.chainErrors.isEmpty, "\(report)")
            #expect(try Data(contentsOf: url) == bytes.prefix(bytes.count / 2))
            let (v2, text2) = try await Self.verifyStatus(h.archiveURL)
            #expect(v2 != 0)
            #expect(text2.contains(entry.path))
            ReliabilityFigures.record("storage_truncated_data_file", ["verify_found": text1.contains(entry.path) ? 1 : 0, "next_run_exit": Int(run.status)])
        }
    }
}
