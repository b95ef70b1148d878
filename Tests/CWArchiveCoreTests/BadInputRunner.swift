import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the sweep's invocations of the built binary, several at once, each in a folder of its
/// own, and judges each one.
enum SweepRunner {
    struct Outcome: Sendable {
        var status: Int32
        var signaled: Bool
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with `arguments` in `cwd`; stopped with SIGTERM after `timeout` seconds.
    /// With `raw`, the last argument's value is given as the bytes of that printf format.
    static func run(_ arguments: [String], cwd: URL, timeout: Double, raw: String? = nil) async throws -> Outcome {
        // Always through the shell, which changes to `cwd` and, for `raw`, gives the value as
        // bytes that need not be UTF-8 (the arguments after it are the shell's own "$@").
        func quoted(_ a: String) -> String { "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var script = "cd \(quoted(cwd.path)) && exec \(quoted(CLIRunner.binary.path))"
        var rest: [String] = []
        if let raw, let at = arguments.firstIndex(where: { $0.hasSuffix("=RAW") }) {
            script += " " + arguments[..<at].map(quoted).joined(separator: " ")
            script += " \"\(arguments[at].dropLast(3))$(printf '\(raw)')\" \"$@\""
            rest = Array(arguments[(at + 1)...])
        } else {
            script += " \"$@\""
            rest = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for key in ["CHATWORK_API_TOKEN", "CWARCHIVE_ARCHIVE", "CHATWORK_API_BASE", "CWARCHIVE_TEMPLATES"] { environment.removeValue(forKey: key) }
        environment["CWARCHIVE_CONFIG"] = "/dev/null"
        environment["CHATWORK_API_BASE"] = "http://127.0.0.1:9/v2"   // nothing listens there
        let child = try Spawned(["/bin/sh", "-c", script, "sh"] + rest, environment: environment)
        return await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
            Thread {
                let timedOut = UncheckedBox(false)
                let watchdog = DispatchWorkItem { timedOut.value = true; kill(child.pid, SIGKILL) }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
                let errData = UncheckedBox(Data())
                let done = DispatchSemaphore(value: 0)
                Thread { errData.value = readAll(child.stderr); done.signal() }.start()
                let outData = readAll(child.stdout)
                let status = child.wait()
                watchdog.cancel()
                done.wait()
                close(child.stdout)
                close(child.stderr)
                let signal = status & 0x7F
                c.resume(returning: Outcome(
                    status: signal == 0 ? (status >> 8) & 0xFF : signal, signaled: signal != 0 && !timedOut.value,
                    timedOut: timedOut.value, stdout: String(decoding: outData, as: UTF8.self),
                    stderr: String(decoding: errData.value, as: UTF8.self)))
            }.start()
        }
    }

    /// Reads a pipe to its end with read(2), retrying on EINTR (Foundation's
    /// `readDataToEndOfFile` traps when a signal interrupts it).
    static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { data.append(contentsOf: buffer[0..<n]) } else if n == 0 || errno != EINTR { return data }
        }
    }

    /// Runs every case, at most `parallel` at once; returns one line per misbehaving case.
    static func runAll(_ cases: [SweepCase], work: URL, parallel: Int = 6) async -> [String] {
        await withTaskGroup(of: String?.self) { group in
            var failures: [String] = []
            var next = 0
            func add() {
                guard next < cases.count else { return }
                let index = next, c = cases[index]
                next += 1
                group.addTask { await judge(c, cwd: work.appendingPathComponent("case-\(index)")) }
            }
            for _ in 0..<parallel { add() }
            for await failure in group {
                if let failure { failures.append(failure) }
                add()
            }
            return failures.sorted()
        }
    }

    /// Runs one case and says what is wrong with it, or nil.
    static func judge(_ c: SweepCase, cwd: URL) async -> String? {
        try? FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: cwd) }
        let shown = "cwarchive " + c.arguments.map { TerminalVisible.show($0) }.joined(separator: " ")
        let outcome: Outcome
        do {
            outcome = try await run(c.arguments, cwd: cwd, timeout: c.mayKeepRunning ? 4 : 60, raw: c.rawValue)
        } catch {
            return "\(shown): could not start: \(error)"
        }
        if outcome.signaled { return "\(shown): killed by signal \(outcome.status)\n\(outcome.stderr.prefix(400))" }
        if outcome.timedOut { return c.mayKeepRunning ? nil : "\(shown): still running after the timeout" }
        let search = c.command == "search"
        let allowed: Set<Int32> = search ? [0, 1, 2] : [0, 1, 3, 11, 64]
        let usage: Int32 = search ? 2 : 64
        if !allowed.contains(outcome.status) { return "\(shown): exit \(outcome.status), not a documented exit code" }
        let lines = outcome.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        // ArgumentParser's usage hint: "Help:  --flag …", "Usage: …", "  See 'cwarchive … --help' …".
        let messages = lines.filter { !$0.hasPrefix("Help:") && !$0.hasPrefix("Usage:") && !$0.hasPrefix(" ") }
        if c.strict, messages.count > 1 { return "\(shown): \(messages.count) lines on stderr besides the usage hint (at most one error line):\n\(outcome.stderr.prefix(600))" }
        for marker in ["Fatal error", "Stack dump", "backtrace", "Current stack trace", "💣"] where outcome.stderr.contains(marker) {
            return "\(shown): a crash report on stderr: \(outcome.stderr.prefix(400))"
        }
        if c.strict {
            if outcome.status != usage { return "\(shown): exit \(outcome.status), expected the usage exit \(usage); stderr: \(outcome.stderr.prefix(300))" }
            guard let first = lines.first, first.contains(c.flag) || first.contains("CWARCHIVE_") else {
                return "\(shown): the error does not name --\(c.flag): \(outcome.stderr.prefix(300))"
            }
        }
        if outcome.status != 0 {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: cwd.path)) ?? []
            if !left.isEmpty { return "\(shown): exit \(outcome.status) but wrote \(left.sorted().joined(separator: ", "))" }
        }
        return nil
    }

    /// Every file under `root` with its size and modification time.
    static func snapshot(_ root: URL) -> [String: String] {
        var out: [String: String] = [:]
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else { return out }
        for case let url as URL in walker where !url.lastPathComponent.hasPrefix("index.sqlite") && url.lastPathComponent != "lock" {
            let values = try? url.resourceValues(forKeys: Set(keys))
            out[url.path] = "\(values?.fileSize ?? -1) \(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)"
        }
        return out
    }
}

/// Shows an argument with its control characters visible, for failure messages.
enum TerminalVisible {
    static func show(_ s: String) -> String {
        let shown = s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? String(format: "\\x%02x", $0.value) : String($0) }.joined()
        return shown.count > 60 ? String(shown.prefix(60)) + "…" : shown
    }
}

/// A child started with posix_spawn, its output on two pipes. Foundation's `Process` crashed
/// now and then here (a bad pointer in `Process.run` while other children were being waited
/// for), so the sweep starts its hundreds of children without it.
struct Spawned: Sendable {
    let pid: pid_t
    let stdout: Int32
    let stderr: Int32

    init(_ argv: [String], environment: [String: String]) throws {
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw POSIXError(.EMFILE) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        for fd in out + err { posix_spawn_file_actions_addclose(&actions, fd) }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        close(out[1]); close(err[1])
        guard rc == 0 else { close(out[0]); close(err[0]); throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        self.pid = pid
        self.stdout = out[0]
        self.stderr = err[0]
    }

    /// Waits for the child and returns its raw wait status.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}
