import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `cwarchive` binary and watches its argument list in /proc while it runs.
enum ReliabilityCLI {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Every distinct `/proc/PID/cmdline` seen while the process ran (NULs shown as spaces).
        var cmdlines: [String]
        var seconds: Double
        /// Ended by a signal (a crash, or a kill by the timeout).
        var crashed: Bool
    }

    /// The common arguments of `archive` against a simulator.
    static func archiveArgs(_ h: SimulatorHarness, report: URL? = nil, extra: [String] = []) -> [String] {
        var args = ["archive", "--archive", h.archiveURL.path, "--api-base", h.sim.baseURL.absoluteString]
        if let report { args += ["--report", report.path] }
        return args + extra
    }

    static var tokenEnv: [String: String] { ["CHATWORK_API_TOKEN": SimulatorHarness.token] }

    /// Runs to the end on a thread of its own: the waiting never blocks the cooperative pool
    /// that the in-process simulator needs to answer.
    static func run(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 300) async throws -> Run {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Run, Error>) in
            let thread = Thread { c.resume(with: Result { try runBlocking(args, env: env, timeout: timeout) }) }
            thread.start()
        }
    }

    /// Runs to the end, reading both pipes while the process runs (blocks the calling thread).
    static func runBlocking(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 300) throws -> Run {
        let started = Date()
        let (p, out, err) = try CLIRunner.start(args, env: env)
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let outReader = Thread { outData = out.fileHandleForReading.readDataToEndOfFile() }
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        outReader.start()
        errReader.start()
        var cmdlines = Set<String>()
        let pid = p.processIdentifier
        while p.isRunning {
            if let c = cmdline(pid: pid) { cmdlines.insert(c) }
            if Date().timeIntervalSince(started) > timeout { kill(pid, SIGKILL) }
            usleep(10_000)
        }
        p.waitUntilExit()
        while !outReader.isFinished || !errReader.isFinished { usleep(1000) }
        return Run(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self), cmdlines: cmdlines.sorted(),
                   seconds: Date().timeIntervalSince(started), crashed: p.terminationReason == .uncaughtSignal)
    }

    /// The argument list of a running process, or nil once it is gone.
    static func cmdline(pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }
}
