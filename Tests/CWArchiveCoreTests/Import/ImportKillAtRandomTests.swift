import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore

/// A big goodbye-chatwork export (no message ids: every row is matched by time, body and sender),
/// written as the gem writes it, with Japanese bodies of 5 to 300 characters and some rows that
/// repeat one another exactly (each is a message of its own).
enum BigGoodbyeExport {
    static let text = Array("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん会議資料確認了解予定明日今日本件対応お願いします、。！？「」")

    /// Writes `rows` rows over `rooms` rooms into `dir/chatwork_logs`; returns the folder.
    static func write(rows: Int, rooms: Int, seed: UInt64, in dir: URL) throws -> URL {
        var rng = SeededRandom(seed: seed)
        let logs = dir.appendingPathComponent("chatwork_logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let names = ["山田 太郎", "佐藤 花子", "John Smith", "1000009"]
        for r in 0..<rooms {
            let count = rows / rooms + (r < rows % rooms ? 1 : 0)
            var lines: [String] = []
            lines.reserveCapacity(count)
            var t = 1_600_000_000 + r * 1000
            var last: String?
            for _ in 0..<count {
                if let l = last, Int.random(in: 0..<100, using: &rng) == 0 { lines.append(l); continue }
                t += Int.random(in: 0...90, using: &rng)
                let n = Int.random(in: 5...300, using: &rng)
                var body = String((0..<n).map { _ in text[Int.random(in: 0..<text.count, using: &rng)] })
                if Int.random(in: 0..<10, using: &rng) == 0 { body += "\n二行目, \"引用\"" }
                let line = [RealToolOutput.rubyISO8601(t, zone: ImportFixtures.tokyo), names[Int.random(in: 0..<names.count, using: &rng)], body]
                    .map(RealToolOutput.rubyCell).joined(separator: ",") + "\n"
                lines.append(line)
                last = line
            }
            try Data(lines.reversed().joined().utf8).write(to: logs.appendingPathComponent("\(3000001 + r)_大きな部屋\(r).csv"))
        }
        return logs
    }
}

/// SIGKILL of the real `cwarchive import` at random instants of a big import (reading, writing
/// data files, committing, updating the index), then a complete run: nothing lost, nothing
/// twice, `verify` passes, and another import adds nothing.
@Suite("Import: SIGKILL at random instants", .serialized, .enabled(if: CLIRunner.isAvailable))
struct ImportKillAtRandomTests {
    static var rows: Int { Reliability.scale("IMPORT_ROWS", short: 6_000, long: 100_000) }
    static var kills: Int { Reliability.scale("IMPORT_KILLS", short: 10, long: 30) }

    static func importArgs(_ archive: URL, _ source: URL, report: URL? = nil) -> [String] {
        // Small commits, so that kills fall while data files are finished, manifests written and the index updated.
        var args = ["import", "--archive", archive.path, "--from", "goodbye-chatwork", source.path, "--timezone", "Asia/Tokyo", "--quiet",
                    "--commit-every-records", String(max(1000, rows / 6))]
        if let report { args += ["--report", report.path] }
        return args
    }

    /// Every imported message record in the archive's data files, by the run that wrote it.
    static func importedRecords(_ store: ArchiveStore) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for r in try ImportFixtureFiles.records(store) {
            if case .importedMessage = r.payload { out[r.run, default: 0] += 1 }
        }
        return out
    }

    @Test func killedImportsLoseAndDuplicateNothing() async throws {
        let tmp = TempDir("import-kill")
        let rows = Self.rows
        let source = try BigGoodbyeExport.write(rows: rows, rooms: 3, seed: Reliability.seed, in: tmp.path("src"))
        var rng = SeededGenerator(seed: Reliability.seed)

        // How long a whole import takes here, so the kills fall inside one.
        let scratch = tmp.path("scratch")
        _ = try ArchiveStore.open(at: scratch, create: true)
        let started = Date()
        let whole = try await ReliabilityCLI.run(Self.importArgs(scratch, source))
        var seconds = Date().timeIntervalSince(started)
        let measured = seconds
        #expect(whole.status == 0, "\(whole.stderr)")

        var kills = 0, missed = 0, cycles = 0
        var phases: [String: Int] = [:]
        while kills < Self.kills && cycles < 10 {
            cycles += 1
            let archive = tmp.path("archive-\(cycles)")
            _ = try ArchiveStore.open(at: archive, create: true)
            // Killed runs, each going on from what the ones before it committed, each killed within
            // what is left of the work (an estimate: what the killed runs did is not all committed).
            var left = seconds
            for _ in 0..<5 where kills < Self.kills {
                let (p, _, _) = try CLIRunner.start(Self.importArgs(archive, source), env: [:])
                let delay = Double.random(in: 0.02...0.9, using: &rng) * left
                let deadline = Date().addingTimeInterval(delay)
                while Date() < deadline && p.isRunning { try await Task.sleep(nanoseconds: 5_000_000) }
                if p.isRunning {
                    kill(p.processIdentifier, SIGKILL)
                    await CLIRunner.wait(p)
                    kills += 1
                    let phase = ReliabilityKillTests.phase(archive)
                    phases[phase == "api_or_startup" ? "reading" : phase, default: 0] += 1
                    left = max(0.3, left - 0.6 * delay)
                } else {
                    await CLIRunner.wait(p)
                    missed += 1
                    #expect(p.terminationStatus == 0, "an import that was not killed failed with \(p.terminationStatus)")
                    // The machine is faster now than when the whole import was timed: kill sooner.
                    seconds *= 0.6
                    break
                }
                let v = try ArchiveVerifier(store: try ArchiveStore.open(at: archive, create: false)).verify()
                #expect(v.isIntact, "after kill \(kills): \(v.missing) \(v.changed) \(v.unlisted) \(v.chainErrors) \(v.unreadable)")
            }

            // A complete run: every row once, and a report that adds up.
            let reportURL = tmp.path("report-\(cycles).json")
            let complete = try await ReliabilityCLI.run(Self.importArgs(archive, source, report: reportURL))
            #expect(complete.status == 0, "cycle \(cycles): \(complete.stderr)")
            let report = try JSONDecoder().decode(ImportReport.self, from: Data(contentsOf: reportURL))
            #expect(report.exitCode == 0 && report.messages.badRows == 0)
            #expect(report.messages.read == rows, "cycle \(cycles): \(report.messages)")
            #expect(report.messages.new + report.messages.matched == rows && report.messages.newVersions == 0, "cycle \(cycles): \(report.messages)")
            #expect(report.files.reduce(0) { $0 + $1.rows } == rows)
            let store = try ArchiveStore.open(at: archive, create: false)
            let byRun = try Self.importedRecords(store)
            // What this run wrote is what it reported new; the killed runs wrote the rest, none twice.
            #expect(byRun[report.runID, default: 0] == report.messages.new, "cycle \(cycles): \(byRun)")
            #expect(byRun.values.reduce(0, +) == rows, "cycle \(cycles): \(byRun.values.reduce(0, +)) records for \(rows) rows")
            let counts = try ImportFixtureFiles.rows(store, "SELECT COUNT(*) AS n, COUNT(DISTINCT room_id || ' ' || message_id) AS ids FROM messages").first
            #expect(counts?["n"] as Int? == rows, "cycle \(cycles)")
            #expect(counts?["ids"] as Int? == rows, "cycle \(cycles)")
            let verify = try await CLIRunner.run(["verify", "--archive", archive.path])
            #expect(verify.status == 0, "cycle \(cycles): \(verify.stdout) \(verify.stderr)")

            // Again: nothing to add, no new manifest.
            let manifests = try store.manifests().count
            let again = try await ReliabilityCLI.run(Self.importArgs(archive, source, report: reportURL))
            #expect(again.status == 0)
            let third = try JSONDecoder().decode(ImportReport.self, from: Data(contentsOf: reportURL))
            #expect(third.messages.new == 0 && third.messages.matched == rows, "cycle \(cycles): \(third.messages)")
            #expect(try store.manifests().count == manifests)
        }
        #expect(kills >= Self.kills, "only \(kills) of \(Self.kills) imports could be killed (\(missed) finished first)")
        var figures: [String: Int] = ["kills": kills, "runs_finished_before_kill": missed, "cycles": cycles, "rows": rows,
                                      "whole_import_ms": Int(measured * 1000)]
        for (k, v) in phases { figures["kills_in_\(k)"] = v }
        ReliabilityFigures.record("import_sigkill", figures)
    }
}
