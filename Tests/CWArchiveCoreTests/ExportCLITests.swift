import Foundation
import Testing
@testable import CWArchiveCore

/// `cwarchive export` as scripts run it: the built binary, real folders, exit codes.
@Suite("Export: command line")
struct ExportCLITests {
    func run(_ args: [String], _ tmp: TempDir) async throws -> CLIRunner.Result {
        let config = tmp.path("empty-config")
        if !FileManager.default.fileExists(atPath: config.path) { try Data().write(to: config) }
        return try await CLIRunner.run(args, env: ["CWARCHIVE_CONFIG": config.path])
    }

    @Test(.enabled(if: CLIRunner.isAvailable, "the cwarchive binary is not built"))
    func exportsEveryFormatAndExitsZero() async throws {
        let tmp = TempDir("export-cli")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        for format in ["html", "markdown", "csv"] {
            let out = tmp.path("out-\(format)")
            let r = try await run(["export", "--archive", store.root.path, "--format", format, "--out", out.path,
                             "--timezone", "Asia/Tokyo", "--room", "12345", "--history"], tmp)
            #expect(r.status == 0, "\(format): \(r.stderr)")
            let files = filesUnder(out)
            #expect(files.contains { $0.hasPrefix("12345-") }, "\(format): \(files)")
            #expect(!files.contains { $0.hasPrefix("67890-") })
        }
        let csv = try Data(contentsOf: tmp.path("out-csv").appendingPathComponent("12345-営業部 _ Sales_ Q&A.csv"))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: csv, as: UTF8.self).contains("2024-05-01T10:00:00+09:00"))
    }

    @Test(.enabled(if: CLIRunner.isAvailable, "the cwarchive binary is not built"))
    func errorsExitWithAClearMessage() async throws {
        let tmp = TempDir("export-cli")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let base = ["export", "--archive", store.root.path, "--format", "html", "--out", tmp.path("out").path]
        let cases: [([String], Int32, String)] = [
            (["--room", "424242"], 1, "room 424242 is not in the archive"),
            (["--templates", tmp.path("nowhere").path], 64, "--templates"),
            // Usage errors, checked before any work (exit 64), with search's date grammar.
            (["--timezone", "Mars/Olympus"], 64, "--timezone 'Mars/Olympus': unknown time zone"),
            (["--since", "last week"], 64, "--since 'last week': not a date"),
            (["--since", "2024-05-02", "--until", "2024-05-01"], 64, "the range is empty"),
            (["--page-size", "0"], 64, "--page-size 0"),
        ]
        for (extra, status, message) in cases {
            let r = try await run(base + extra, tmp)
            #expect(r.status == status, "\(extra)")
            #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
        }
        // An ISO date-time without a zone, as search takes it.
        let local = try await run(base + ["--since", "2024-05-01T09:00", "--timezone", "Asia/Tokyo"], tmp)
        #expect(local.status == 0, "\(local.stderr)")
        let missing = try await run(["export", "--archive", tmp.path("no-archive").path, "--format", "csv", "--out", tmp.path("o").path], tmp)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--archive") && missing.stderr.contains("no such folder"))
    }
}
