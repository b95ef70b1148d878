import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Issue 18's speed section, whole process: the release `cwarchive serve` on a real-path archive,
/// loaded by `wrk` (Debian's) on loopback, 16 connections, 2 threads, each route for `seconds`,
/// a Lua script rotating the queries and rooms; the server's peak RSS (VmHWM) at the end.
enum ServeLoad {
    static func run(_ a: RealPathArchive, seconds: Int, work: URL, table: inout ResultTable) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw ValidationFailure("wrk is not installed (apt-get install -y wrk)")
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: RealPathFigures.bin)
        server.arguments = ["serve", "--archive", a.root, "--port", "0"]
        let pipe = Pipe()
        server.standardOutput = pipe
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let r = text.range(of: "http://") else { throw ValidationFailure("serve printed no address: \(text.prefix(200))") }
        let origin = String(text[r.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        print("serve: \(origin), pid \(server.processIdentifier)")

        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        let terms = ["打ち合わせ", "稟議", "budget", "お疲れ様です", "見積もり", "契約書", "リリース", "議事録", "meeting", "経費精算"]
        var searches = terms.map { "/api/search?q=\(enc($0))" }
        searches += terms.prefix(4).map { "/api/search?q=\(enc($0))&room=\(a.busyRooms.first ?? 0)" }
        var rooms: [String] = []
        for pair in a.anchors where pair.count == 2 {
            rooms.append("/rooms/\(pair[0])")
            rooms.append("/rooms/\(pair[0])?before=\(pair[1])")
        }
        let size = ExportBenchmarks.count(a.size)
        for (route, paths, target) in [("/api/search", searches, 20.0), ("/rooms/ID", rooms, 30.0)] {
            let script = work.appendingPathComponent(route == "/api/search" ? "wrk-search.lua" : "wrk-rooms.lua").path
            try lua(paths).write(toFile: script, atomically: true, encoding: .utf8)
            // A short warm-up, then the measured run.
            _ = Measure.shell("wrk -t2 -c16 -d3s -s '\(script)' '\(origin)/' > /dev/null")
            let w = Measure.shell("wrk -t2 -c16 -d\(seconds)s --latency -s '\(script)' '\(origin)/'")
            print(w.output)
            guard let stats = w.output.split(separator: "\n").first(where: { $0.hasPrefix("CWBENCH ") }) else {
                throw ValidationFailure("wrk gave no figures: \(w.output.suffix(400))")
            }
            var f: [String: Double] = [:]
            for kv in stats.dropFirst(8).split(separator: " ") {
                let p = kv.split(separator: "="); if p.count == 2 { f[String(p[0])] = Double(p[1]) }
            }
            let p50 = (f["p50"] ?? 0) / 1000, p95 = (f["p95"] ?? 0) / 1000, p99 = (f["p99"] ?? 0) / 1000
            let errors = Int(f["errors"] ?? 0) + Int(f["non2xx"] ?? 0)
            let rps = (f["requests"] ?? 0) / max(f["seconds"] ?? Double(seconds), 1e-9)
            table.add("serve \(route) under wrk (16 connections, 2 threads, \(seconds) s, \(paths.count) URLs rotated), \(size) real path",
                      ours: "p50 \(fmt(p50, 2)) ms, p95 \(fmt(p95, 2)) ms, p99 \(fmt(p99, 2)) ms, max \(fmt((f["max"] ?? 0) / 1000, 1)) ms; \(Int(rps)) req/s; \(errors) errors (\(Int(f["non2xx"] ?? 0)) non-2xx)",
                      reference: "—", ratio: "—", target: "p95 < \(fmt(target, 0)) ms, no errors", met: p95 < target && errors == 0)
        }
        let hwm = vmHWM(pid: server.processIdentifier)
        table.add("serve: server peak memory (VmHWM) after both wrk runs, \(size) real path", ours: mb(hwm), reference: "—", ratio: "—",
                  target: "< 200 MB", met: hwm > 0 && hwm < 200_000_000)
    }

    static func vmHWM(pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return 0
    }

    /// Rotates `paths` (each wrk thread from its own offset); prints p50/p95/p99/max in µs and the errors.
    static func lua(_ paths: [String]) -> String {
        let list = paths.map { "\"" + $0.replacingOccurrences(of: "\"", with: "%22") + "\"" }.joined(separator: ",\n")
        return """
        local paths = {
        \(list)
        }
        local i = math.random(#paths)
        request = function()
          i = i % #paths + 1
          return wrk.format("GET", paths[i])
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("CWBENCH p50=%d p95=%d p99=%d max=%d requests=%d seconds=%.3f errors=%d non2xx=%d\\n",
            latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
            summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status))
        end
        """
    }
}
