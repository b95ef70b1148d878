import Foundation
import Testing
@testable import CWArchiveCore

/// `cwarchive import` as a contract, through the built binary: exit codes 0/3/1/11/64, the
/// report's fields, bad rows named `file:line` on standard error.
@Suite("Import: the command line", .serialized, .enabled(if: CLIRunner.isAvailable))
struct ImportCLITests {
    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func importReportsBadRowsWithExitThreeAndAgainAddsNothing() async throws {
        let tmp = TempDir("import-cli")
        let archive = tmp.path("archive")
        _ = try ArchiveStore.open(at: archive, create: true)
        let report = tmp.path("report.json")
        let path = ImportFixtureFiles.path(.goodbyeChatwork).path
        let run = try await CLIRunner.run(["import", "--archive", archive.path, "--from", "goodbye-chatwork", path,
                                           "--timezone", "Asia/Tokyo", "--report", report.path])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("2000006_雑談 ／ Random.csv:3:"))
        #expect(run.stderr.contains("2000006_雑談 ／ Random.csv:11:"))
        #expect(!run.stderr.contains("\u{0}"))
        let json = try Self.json(report)
        #expect(json["exit_code"] as? Int == 3)
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 3)
        for f in files {
            #expect(f["path"] is String && f["format"] as? String == "goodbye-chatwork" && (f["sha256"] as? String)?.count == 64 && f["rows"] is Int)
        }
        let messages = try #require(json["messages"] as? [String: Any])
        #expect(messages["read"] as? Int == 6)
        #expect(messages["new"] as? Int == 6)
        #expect(messages["matched"] as? Int == 0)
        #expect(messages["new_versions"] as? Int == 0)
        #expect(messages["bad_rows"] as? Int == 5)
        let rooms = try #require(json["rooms"] as? [[String: Any]])
        #expect(rooms.first?["room_id"] as? Int == 2_000_006)
        #expect(rooms.first?["new"] as? Int == 6)
        let errors = try #require(json["errors"] as? [[String: Any]])
        #expect(errors.first?["location"] as? String == "2000006_雑談 ／ Random.csv:3")

        let verify = try await CLIRunner.run(["verify", "--archive", archive.path])
        #expect(verify.status == 0, "\(verify.stdout)")
        let status = try await CLIRunner.run(["status", "--archive", archive.path, "--format", "json"])
        let st = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((st["rooms"] as? [[String: Any]])?.first?["imported_messages"] as? Int == 6)
        let search = try await CLIRunner.run(["search", "--archive", archive.path, "--format", "json", "会議"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("\"source\":\"import:goodbye-chatwork\""))
        #expect(search.stdout.contains("\"url\":\"\""))

        let dry = try await CLIRunner.run(["import", "--archive", archive.path, "--from", "byecha", ImportFixtureFiles.path(.byecha).path, "--dry-run"])
        #expect(dry.status == 3, "\(dry.stderr)")
        #expect(dry.stdout.contains("would add 4 new message(s)"))
        #expect(dry.stdout.contains("room 2000006"))
        let afterDry = try await CLIRunner.run(["status", "--archive", archive.path, "--format", "json"])
        #expect(afterDry.stdout == status.stdout)

        let clean = tmp.path("clean")
        try FileManager.default.createDirectory(at: clean, withIntermediateDirectories: true)
        try ImportFixtures.write(ImportFixtures.csvLine(["2025-04-27T09:00:00+09:00", "山田 太郎", "古い会議の話です"]), to: clean.appendingPathComponent("2000006_雑談.csv"))
        let ok = try await CLIRunner.run(["import", "--archive", archive.path, "--from", "goodbye-chatwork", clean.path, "--report", report.path, "--quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.isEmpty)
        let okJSON = try Self.json(report)
        #expect(okJSON["exit_code"] as? Int == 0)
        #expect((okJSON["messages"] as? [String: Any])?["matched"] as? Int == 1)
        #expect((okJSON["messages"] as? [String: Any])?["new"] as? Int == 0)
    }

    @Test func usageFatalAndLockedExitCodes() async throws {
        let tmp = TempDir("import-cli")
        let archive = tmp.path("archive")
        let store = try ArchiveStore.open(at: archive, create: true)
        let path = ImportFixtureFiles.path(.byecha).path
        for args in [["--from", "slack", path], ["--from", "byecha"], ["--from", "byecha", path, "--timezone", "Mars/Olympus"],
                     ["--from", "byecha", tmp.path("missing").path], ["--from", "goodbye-chatwork", path]] {
            let r = try await CLIRunner.run(["import", "--archive", archive.path] + args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(!r.stderr.isEmpty, "\(args)")
        }
        let missing = try await CLIRunner.run(["import", "--archive", tmp.path("nowhere").path, "--from", "byecha", path])
        // A folder that does not exist is a bad --archive value (64); one that is not an archive is fatal (1).
        #expect(missing.status == 64, "\(missing.stderr)")
        #expect(missing.stderr.contains("--archive"))

        let lock = try store.acquireLock()
        let locked = try await CLIRunner.run(["import", "--archive", archive.path, "--from", "byecha", path])
        lock.release()
        #expect(locked.status == 11, "\(locked.stderr)")
        #expect(locked.stderr.contains("locked"))
    }
}
