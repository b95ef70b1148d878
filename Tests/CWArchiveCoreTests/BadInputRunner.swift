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
        let p = Process()
        if let raw, let last = arguments.last, let eq = last.firstIndex(of: "=") {
            // Through the shell, so that the value can hold bytes that are not UTF-8.
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            let flag = String(last[...eq])
            p.arguments = ["-c", "exec \"$0\" \"$@\" \"\(flag)$(printf '\(raw)')\"", CLIRunner.binary.path] + arguments.dropLast()
        } else {
            p.executableURL = CLIRunner.binary
            p.arguments = arguments
        }
        p.currentDirectoryURL = cwd
        var environment = ProcessInfo.processInfo.environment
        for key in ["CHATWORK_API_TOKEN", "CWARCHIVE_ARCHIVE", "CHATWORK_API_BASE", "CWARCHIVE_TEMPLATES"] { environment.removeValue(forKey: key) }
        environment["CWARCHIVE_CONFIG"] = "/dev/null"
        environment["CHATWORK_API_BASE"] = "http://127.0.0.1:9/v2"   // nothing listens there
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let box = UncheckedBox((p, out, err))
        return await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
            Thread {
                let (p, out, err) = box.value
                let timedOut = UncheckedBox(false)
                let watchdog = DispatchWorkItem { if p.isRunning { timedOut.value = true; p.terminate() } }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
                let errData = UncheckedBox(Data())
                let done = DispatchSemaphore(value: 0)
                Thread { errData.value = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }.start()
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                watchdog.cancel()
                done.wait()
                c.resume(returning: Outcome(
                    status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal && !timedOut.value,
                    timedOut: timedOut.value, stdout: String(decoding: outData, as: UTF8.self),
                    stderr: String(decoding: errData.value, as: UTF8.self)))
            }.start()
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
        if messages.count > 1 { return "\(shown): \(messages.count) lines on stderr besides the usage hint (at most one error line):\n\(outcome.stderr.prefix(600))" }
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
