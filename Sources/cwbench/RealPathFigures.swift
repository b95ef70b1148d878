import CWArchiveCore
import Foundation

/// Issue 12's figures on a ``RealPathArchive``, each beside its reference measured in the same run,
/// every one a whole process of the release binary: reindex against `sqlite3` loading the same
/// texts into FTS5 `trigram`, the index update of nightly runs, and export per format.
enum RealPathFigures {
    static var bin: String { ExportBenchmarks.binary }

    static func label(_ a: RealPathArchive) -> String {
        "\(ExportBenchmarks.count(a.size)) real path: \(a.rooms) rooms, \(a.busyRooms.count) of them busy (\(a.busyMessages / max(1, a.busyRooms.count)) messages each), \(a.runs) runs"
    }

    /// Build figures: how long the archive took to make through the API.
    static func build(_ a: RealPathArchive, table: inout ResultTable) {
        let nightly = a.stageSeconds.dropFirst()
        table.add("realpath \(ExportBenchmarks.count(a.size)): building the archive over loopback (\(a.messages) messages, \(a.rooms) rooms, \(a.runs) `cwarchive archive` runs)",
                  ours: "\(fmt(a.buildSeconds, 0)) s in all; first run \(fmt(a.firstRunSeconds, 1)) s; nightly runs p50 \(fmt(Measure.percentile(Array(nightly), 50), 2)) s, max \(fmt(nightly.max() ?? 0, 2)) s; peak RSS of a run \(mb(a.archivePeakRSS))",
                  reference: "—", ratio: "—", target: "—", met: nil)
    }

    /// `cwarchive reindex` against the sqlite3 CLI loading the texts into trigram, alternated.
    static func reindex(_ a: RealPathArchive, rounds: Int, work: URL, table: inout ResultTable) throws {
        let refDB = work.appendingPathComponent("trigram-\(a.size).sqlite").path
        let index = a.store.appendingPathComponent("index.sqlite").path
        var ours: [Measure.CommandResult] = [], theirs: [Measure.CommandResult] = []
        var oursSize = 0
        _ = Measure.shell("cat '\(a.loadSQL)' > /dev/null")
        for _ in 0..<rounds {
            for s in ["", "-journal", "-wal"] { unlink(refDB + s) }
            let ref = Measure.shell("exec sqlite3 '\(refDB)' < '\(a.loadSQL)'")
            guard ref.status == 0 else { throw ValidationFailure("sqlite3 trigram load failed: \(ref.output.prefix(400))") }
            theirs.append(ref)
            let r = Measure.shell("exec '\(bin)' reindex --archive '\(a.root)'")
            guard r.status == 0 else { throw ValidationFailure("cwarchive reindex failed (\(r.status)): \(r.output.suffix(400))") }
            ours.append(r)
            oursSize = ProcessTimer.fileSize(index) + ProcessTimer.fileSize(index + "-wal")
            print("reindex \(a.size): ours \(fmt(r.seconds, 1)) s (peak \(mb(r.peakRSS))), sqlite3 trigram \(fmt(ref.seconds, 1)) s (peak \(mb(ref.peakRSS)))")
        }
        let o = ours.map(\.seconds).min() ?? 0, t = theirs.map(\.seconds).min() ?? 1
        let refSize = ProcessTimer.fileSize(refDB)
        let split = Measure.shell("sqlite3 -readonly '\(index)' \"SELECT CASE WHEN name LIKE 'message_fts%' OR name LIKE 'message_chars%' THEN 'FTS' ELSE name END, SUM(pgsize) FROM dbstat GROUP BY 1 ORDER BY 2 DESC LIMIT 4\"").output
            .split(separator: "\n").map { l -> String in
                let p = l.split(separator: "|"); return p.count == 2 ? "\(p[0]) \(mb(Int(p[1]) ?? 0))" : String(l)
            }.joined(separator: ", ")
        let peak = ours.map(\.peakRSS).max() ?? 0
        let l = label(a)
        table.add("reindex, \(l) (fastest of \(rounds), alternated)",
                  ours: "\(fmt(o, 1)) s (\(Int(Double(a.messages) / o)) msg/s; all: \(ours.map { fmt($0.seconds, 1) }.joined(separator: ", ")) s)",
                  reference: "sqlite3 CLI, FTS5 trigram, one transaction, defaults: \(fmt(t, 1)) s (all: \(theirs.map { fmt($0.seconds, 1) }.joined(separator: ", ")) s)",
                  ratio: fmt(o / t, 2) + "× the reference's time", target: "≤ 1.25× (aim ≤ 1.0×)", met: o / t <= 1.25)
        table.add("index file, \(ExportBenchmarks.count(a.size)) real path", ours: "\(mb(oursSize)) (\(split))",
                  reference: "trigram database: \(mb(refSize))", ratio: fmt(Double(oursSize) / Double(max(refSize, 1)), 2) + "×",
                  target: "≤ 1.5×", met: Double(oursSize) <= 1.5 * Double(refSize))
        table.add("reindex peak memory, \(ExportBenchmarks.count(a.size)) real path", ours: mb(peak),
                  reference: "sqlite3 trigram load: \(mb(theirs.map(\.peakRSS).max() ?? 0))", ratio: "—",
                  target: "< 500 MB at 1M", met: a.size >= 1_000_000 ? peak < 500_000_000 : nil)
    }

    /// The index update of nightly runs, measured alone during the build (see ``RealPathBuild``).
    static func incremental(_ a: RealPathArchive, table: inout ResultTable) {
        for row in a.incremental where row.count >= 4 {
            // With the fixed part measured (opening and closing the index, which the run does
            // anyway to plan), the update is what applying the run's manifests adds to it.
            let open = row.count >= 5 ? row[4] : 0
            let update = max(0, row[2] - open)
            let share = update / max(row[1], 1e-9) * 100
            let split = row.count >= 5
                ? "; of it opening and closing the index, which the run does anyway to plan: \(fmt(open * 1000, 0)) ms, so applying the run's manifests: \(fmt(update * 1000, 0)) ms"
                : ""
            table.add("index update in nightly run \(Int(row[0])) of \(ExportBenchmarks.count(a.size)) (\(Int(row[3])) new messages)",
                      ours: "\(fmt(row[2] * 1000, 0)) ms (the same manifests applied to the index as it was before the run, alone\(split))",
                      reference: "the whole run (`cwarchive archive` process): \(fmt(row[1], 2)) s", ratio: fmt(share, 1) + " % of the run",
                      target: "< 5 % of the run's wall time", met: share < 5)
        }
    }

    /// `cwarchive export` per format, whole process, msg/s and peak RSS; `rooms` limits it to those rooms.
    static func export(_ a: RealPathArchive, rooms: [Int]?, messages: Int, shape: String, work: URL, table: inout ResultTable) throws {
        let out = work.appendingPathComponent("realpath-export")
        let previous = ["html": "21,100", "markdown": "21,000", "csv": "20,700"]
        let roomArgs = (rooms ?? []).map { "--room \($0)" }.joined(separator: " ")
        for format in ExportBenchmarks.formats {
            try? FileManager.default.removeItem(at: out)
            let r = Measure.shell("exec '\(bin)' export --archive '\(a.root)' --format \(format) --out '\(out.path)' --timezone Asia/Tokyo \(roomArgs) > /dev/null")
            guard r.status == 0 else { throw ValidationFailure("export \(format) failed (\(r.status)): \(r.output.suffix(400))") }
            let rate = Double(messages) / r.seconds
            print("realpath export \(format) \(shape): \(fmt(r.seconds, 2)) s, peak \(mb(r.peakRSS))")
            table.add("export \(format), \(shape) (\(messages) messages, real path \(ExportBenchmarks.count(a.size)))",
                      ours: "\(Int(rate)) msg/s (\(fmt(r.seconds, 1)) s, peak \(mb(r.peakRSS)))",
                      reference: "issue 12's measurement on 2,000 × 100 (older binary): \(previous[format] ?? "—") msg/s, 47 MB",
                      ratio: fmt(rate / 21_000, 1) + "× that", target: "≥ 100,000 msg/s, peak < 100 MB",
                      met: rate >= 100_000 && r.peakRSS < 100_000_000)
        }
        try? FileManager.default.removeItem(at: out)
    }
}
