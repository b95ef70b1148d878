@testable import CWArchiveCore
import Foundation
import Testing

/// `--max-duration`, `--max-requests`, `--refresh-days`: the grammar, and exit 64 for bad values
/// before any work (the built binary).
@Suite("Planner: archive budget flags")
struct PlannerFlagTests {
    @Test("durations: whole numbers with units, largest first; zero, signs, decimals, inf, huge and garbage refused")
    func durations() {
        #expect(DurationParser.parse("50m") == 3_000)
        #expect(DurationParser.parse("90s") == 90)
        #expect(DurationParser.parse("2h") == 7_200)
        #expect(DurationParser.parse("1h30m") == 5_400)
        #expect(DurationParser.parse("1d2h3m4s") == 93_784)
        #expect(DurationParser.parse(" 2H ") == 7_200)
        #expect(DurationParser.parse("30d") == 30 * 86_400)
        for bad in ["", "0m", "0s", "-5m", "+5m", "5", "m", "1.5h", "1e3s", "inf", "infm", "nan", "0x10m", "5 m", "30m1h",
                    "1h1h", "31d", "999999999999m", "５m", "5m\u{0}", "5min", "abc"] {
            #expect(DurationParser.parse(bad) == nil, "\(bad.debugDescription)")
        }
        #expect(throws: UsageError.self) { try DurationParser.parse("soon", flag: "--max-duration") }
    }

    @Test("bad budget values exit 64 with one line naming the flag, and write nothing",
          .enabled(if: CLIRunner.isAvailable))
    func badValuesExit64() async throws {
        let tmp = TempDir("cwarchive-flags")
        let archive = tmp.path("archive")
        let cases: [[String]] = [
            ["--max-duration", "0m"], ["--max-duration", "-5m"], ["--max-duration", "inf"], ["--max-duration", "1e300s"],
            ["--max-duration", "soon\u{1b}[31m"], ["--max-duration", "45d"],
            ["--max-requests", "0"], ["--max-requests", "-1"], ["--max-requests", "1e300"], ["--max-requests", "inf"],
            ["--max-requests", "99999999999999999999"], ["--max-requests", "2000000"],
            ["--refresh-days", "-1"], ["--refresh-days", "nan"], ["--refresh-days", "100000"], ["--refresh-days", "7d"],
        ]
        for args in cases {
            let r = try await CLIRunner.run(["archive", "--archive", archive.path] + args, env: ["CHATWORK_API_TOKEN": "unused-token"])
            #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(args[0]), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("\u{1b}"), "control characters are made visible: \(r.stderr.debugDescription)")
            #expect(!FileManager.default.fileExists(atPath: archive.path), "\(args) created the archive")
        }
    }
}
