import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-process timings without a shell in between: `posix_spawn` of the program itself, its
/// output to /dev/null, wall time from spawn to `wait4`. For latencies of a few milliseconds
/// (`cwarchive search`, `--version`, `sqlite3`), where `/bin/sh` and GNU time would add their own.
enum ProcessTimer {
    struct Run { var seconds: Double; var status: Int32 }

    static func run(_ argv: [String], environment: [String: String]? = nil) -> Run {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        let envList = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cenv = envList.map { strdup($0) } + [nil]
        defer { for e in cenv { free(e) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, argv[0], &actions, nil, &cargs, &cenv) == 0 else { return Run(seconds: 0, status: -1) }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(seconds: seconds, status: exit)
    }

    /// `Measure.shell` on a thread of its own, so that a simulator in this process keeps the
    /// cooperative pool while a child runs against it.
    static func shellOffPool(_ command: String, environment: [String: String]? = nil) async -> Measure.CommandResult {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Measure.shell(command, environment: environment)) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// p50 / p95 in milliseconds.
    static func percentiles(_ runs: [Run]) -> (p50: Double, p95: Double) {
        let s = runs.map(\.seconds)
        return (Measure.percentile(s, 50) * 1000, Measure.percentile(s, 95) * 1000)
    }

    /// Size of a file, 0 when missing.
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
