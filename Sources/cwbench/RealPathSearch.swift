import CWArchiveCore
import Foundation

/// `cwarchive search` as a user runs it (whole process, `--limit 20`, the default sort), every
/// query class in text and JSON, interleaved round by round with `cwarchive --version`, `/bin/true`
/// and the `sqlite3` CLI querying the trigram database (`MATCH` and `LIKE`, whole process);
/// `zcat | grep -F -c` over the data files as the other reference.
enum RealPathSearch {
    struct QueryClass { var name: String; var term: String; var extra: [String] }

    static func classes(_ a: RealPathArchive) -> [QueryClass] {
        let since = Date(timeIntervalSince1970: TimeInterval(a.newestTime - 30 * 86_400))
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        return [
            QueryClass(name: "3+ Japanese chars", term: "打ち合わせ", extra: []),
            QueryClass(name: "2 chars", term: "稟議", extra: []),
            QueryClass(name: "1 char", term: "稟", extra: []),
            QueryClass(name: "English word", term: "budget", extra: []),
            QueryClass(name: "emoji", term: "🍣", extra: []),
            QueryClass(name: "frequent term", term: "お疲れ様です", extra: []),
            QueryClass(name: "3+ Japanese, --room (busy room)", term: "打ち合わせ", extra: ["--room", String(a.busyRooms.first ?? 0)]),
            QueryClass(name: "3+ Japanese, --since (last 30 days)", term: "打ち合わせ", extra: ["--since", f.string(from: since)]),
        ]
    }

    static func run(_ a: RealPathArchive, rounds: Int, work: URL, table: inout ResultTable) throws {
        let bin = RealPathFigures.bin
        let refDB = work.appendingPathComponent("trigram-\(a.size).sqlite").path
        if !FileManager.default.fileExists(atPath: refDB) {
            _ = Measure.shell("exec sqlite3 '\(refDB)' < '\(a.loadSQL)'")
        }
        let qcs = classes(a)
        let base = ["--archive", a.root, "--limit", "20"]
        func argv(_ q: QueryClass, json: Bool) -> [String] { [bin, "search", q.term] + base + q.extra + (json ? ["--format", "json"] : []) }
        // Hits and exit status of each class (one run with --count).
        var hits: [String: String] = [:]
        for q in qcs {
            let r = Measure.shell(([bin, "search", q.term] + base + q.extra + ["--count"]).map { "'\($0)'" }.joined(separator: " "))
            hits[q.name] = r.status == 0 || r.status == 1 ? r.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? "?" : "exit \(r.status): \(r.output.prefix(120))"
        }
        let terms = Array(Set(qcs.filter { $0.extra.isEmpty }.map(\.term))).sorted()
        func sqlArgv(_ term: String, like: Bool) -> [String] {
            let t = term.replacingOccurrences(of: "'", with: "''")
            let sql = like ? "SELECT rowid, body FROM t WHERE body LIKE '%\(t)%' ORDER BY rowid DESC LIMIT 20;"
                           : "SELECT rowid, body FROM t WHERE t MATCH '\"\(t)\"' ORDER BY rowid DESC LIMIT 20;"
            return ["/usr/bin/sqlite3", "-readonly", refDB, sql]
        }
        // Warm-up: every command once.
        for q in qcs { _ = ProcessTimer.run(argv(q, json: false)) }
        for t in terms { _ = ProcessTimer.run(sqlArgv(t, like: true)); _ = ProcessTimer.run(sqlArgv(t, like: false)) }

        var version: [ProcessTimer.Run] = [], truth: [ProcessTimer.Run] = []
        var ours: [String: [ProcessTimer.Run]] = [:]
        var refs: [String: [ProcessTimer.Run]] = [:]
        let refRounds = min(rounds, 10)
        for round in 0..<rounds {
            version.append(ProcessTimer.run([bin, "--version"]))
            truth.append(ProcessTimer.run(["/bin/true"]))
            for q in qcs {
                ours[q.name + " text", default: []].append(ProcessTimer.run(argv(q, json: false)))
                ours[q.name + " json", default: []].append(ProcessTimer.run(argv(q, json: true)))
            }
            if round < refRounds {
                for t in terms {
                    refs[t + " MATCH", default: []].append(ProcessTimer.run(sqlArgv(t, like: false)))
                    refs[t + " LIKE", default: []].append(ProcessTimer.run(sqlArgv(t, like: true)))
                }
            }
        }
        // zcat | grep -F -c over every data file, 3 runs per term (page cache warm).
        let files = try ArchiveStore.open(at: a.store, create: false).manifests().flatMap(\.manifest.files)
            .filter { $0.path.hasSuffix(".gz") }.map { "'" + a.root + "/" + $0.path + "'" }
        let list = work.appendingPathComponent("realpath-files-\(a.size)").path
        try files.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        _ = Measure.shell("xargs cat < '\(list)' > /dev/null")
        var grep: [String: (Double, String)] = [:]
        for t in terms {
            let runs = (0..<3).map { _ in Measure.shell("xargs zcat < '\(list)' | grep -F -c '\(t)'") }
            grep[t] = (Measure.percentile(runs.map(\.seconds), 50), runs.last?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?")
        }

        let v = ProcessTimer.percentiles(version), tr = ProcessTimer.percentiles(truth)
        let size = ExportBenchmarks.count(a.size)
        table.add("`cwarchive --version`, whole process (\(rounds) runs), \(size) real path",
                  ours: "p50 \(fmt(v.p50, 1)) ms, p95 \(fmt(v.p95, 1)) ms", reference: "/bin/true: p50 \(fmt(tr.p50, 1)) ms, p95 \(fmt(tr.p95, 1)) ms",
                  ratio: "+\(fmt(v.p50 - tr.p50, 1)) ms over an empty process", target: "as low as the runtime allows", met: nil)
        for q in qcs {
            for format in ["text", "json"] {
                let runs = ours[q.name + " " + format] ?? []
                let p = ProcessTimer.percentiles(runs)
                let statuses = Set(runs.map(\.status)).sorted().map(String.init).joined(separator: "/")
                let reference: String
                if q.extra.isEmpty {
                    let m = ProcessTimer.percentiles(refs[q.term + " MATCH"] ?? []), l = ProcessTimer.percentiles(refs[q.term + " LIKE"] ?? [])
                    let g = grep[q.term] ?? (0, "?")
                    reference = "sqlite3 trigram MATCH p50 \(fmt(m.p50, 1)) / p95 \(fmt(m.p95, 1)) ms, LIKE p50 \(fmt(l.p50, 1)) / p95 \(fmt(l.p95, 1)) ms (\(refRounds) runs each); zcat | grep -F -c \(fmt(g.0 * 1000, 0)) ms (\(g.1) lines)"
                } else {
                    reference = "the same term unfiltered: see its row"
                }
                let ok = statuses == "0" || statuses == "1" || statuses == "0/1"
                let met = ok && p.p50 <= v.p50 + 5 && p.p95 <= v.p95 + 15
                table.add("search \(q.name) `\(q.term)`, \(format), whole process (\(runs.count) runs), \(size) real path",
                          ours: "p50 \(fmt(p.p50, 1)) ms, p95 \(fmt(p.p95, 1)) ms; exit \(statuses); hits: \(hits[q.name] ?? "?")",
                          reference: reference,
                          ratio: "--version +\(fmt(p.p50 - v.p50, 1)) ms (p50), +\(fmt(p.p95 - v.p95, 1)) ms (p95)",
                          target: "p50 ≤ --version + 5 ms, p95 ≤ --version + 15 ms", met: met)
            }
        }
    }
}
