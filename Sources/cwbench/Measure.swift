import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Timing, memory and external reference commands.
enum Measure {
    /// Seconds taken by `body`.
    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func timeAsync<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try await body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Peak resident memory of this process so far, in bytes (VmHWM).
    static func peakRSS() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }

    /// The result of an external command: wall seconds, peak RSS in bytes, exit status, output.
    struct CommandResult { var seconds: Double; var peakRSS: Int; var status: Int32; var output: String }

    /// Runs `/bin/sh -c command` and measures it: wall time, and its peak memory from GNU time's
    /// `%M` (the fork+wait4 of a small process). The wait4 figure of our own posix_spawn is not
    /// used when GNU time is there: posix_spawn's child shares this process's memory until exec,
    /// and Linux carries that high-water mark across exec, so it would report at least our own RSS.
    static func shell(_ command: String, environment: [String: String]? = nil) -> CommandResult {
        var pid: pid_t = 0
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("cwbench-out-\(UUID().uuidString)").path
        let rssFile = outFile + ".rss"
        let quoted = "'" + command.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let hasTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        let full = "exec > '\(outFile)' 2>&1; " + (hasTime ? "exec /usr/bin/time -f '%M' -o '\(rssFile)' /bin/sh -c \(quoted)" : command)
        let args = ["/bin/sh", "-c", full]
        var cargs = args.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        let envList = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cenv = envList.map { strdup($0) } + [nil]
        defer { for e in cenv { free(e) } }
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, "/bin/sh", nil, nil, &cargs, &cenv) == 0 else {
            return CommandResult(seconds: 0, peakRSS: 0, status: -1, output: "spawn failed")
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let output = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        let timeRSS = (try? String(contentsOfFile: rssFile, encoding: .utf8))?.split(separator: "\n")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last
        unlink(outFile)
        unlink(rssFile)
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return CommandResult(seconds: seconds, peakRSS: (timeRSS ?? Int(usage.ru_maxrss)) * 1024, status: exit, output: output)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// The table of figures printed at the end and kept in BENCHMARKS.md.
struct ResultTable {
    struct Row { var figure: String; var ours: String; var reference: String; var ratio: String; var target: String; var met: String }
    var rows: [Row] = []

    mutating func add(_ figure: String, ours: String, reference: String, ratio: String, target: String, met: Bool?) {
        rows.append(Row(figure: figure, ours: ours, reference: reference, ratio: ratio, target: target,
                        met: met.map { $0 ? "yes" : "**no**" } ?? "—"))
    }

    var markdown: String {
        var lines = ["| figure | cwarchive | reference (same run) | ratio | target | met |", "|---|---|---|---|---|---|"]
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|") }
        for r in rows { lines.append("| \(cell(r.figure)) | \(cell(r.ours)) | \(cell(r.reference)) | \(cell(r.ratio)) | \(cell(r.target)) | \(r.met) |") }
        return lines.joined(separator: "\n")
    }
}

func fmt(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
