import Foundation
import CWTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Holds a value that is only touched by one thread at a time, across a thread hop.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// Runs the built `cwarchive` binary, as users and cron do.
///
/// Waiting for a child never blocks Swift's cooperative threads (there are only as many as cores):
/// an in-process simulator that the child talks to needs them to answer.
struct CLIRunner {
    struct Result: Sendable { var status: Int32; var stdout: String; var stderr: String }

    /// The binary of the same build as the tests (``BuiltBinary``).
    static var binary: URL { BuiltBinary.url }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// Starts the binary; the caller waits (``wait(_:)``) or kills.
    static func start(_ args: [String], env: [String: String]) throws -> (Process, Pipe, Pipe) {
        try startProcess(binary, args, env: env)
    }

    static func startProcess(_ executable: URL, _ args: [String], env: [String: String], clean: Bool = true) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        if clean {
            environment.removeValue(forKey: "CHATWORK_API_TOKEN")
            environment.removeValue(forKey: "CWARCHIVE_ARCHIVE")
            environment["CWARCHIVE_CONFIG"] = "/dev/null"
        }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    /// Runs the binary to the end.
    static func run(_ args: [String], env: [String: String] = [:]) async throws -> Result {
        let (p, out, err) = try start(args, env: env)
        return await collect(p, out, err)
    }

    /// Runs any program to the end.
    static func runProgram(_ executable: URL, _ args: [String], env: [String: String] = [:]) async throws -> Result {
        let (p, out, err) = try startProcess(executable, args, env: env, clean: false)
        return await collect(p, out, err)
    }

    /// Waits for a started process to end, off the cooperative threads.
    static func wait(_ p: Process) async {
        let box = UncheckedBox(p)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread { box.value.waitUntilExit(); c.resume() }.start()
        }
    }

    private static func collect(_ p: Process, _ out: Pipe, _ err: Pipe) async -> Result {
        let box = UncheckedBox((p, out, err))
        return await withCheckedContinuation { (c: CheckedContinuation<Result, Never>) in
            Thread {
                let (p, out, err) = box.value
                let errData = UncheckedBox(Data())
                let done = DispatchSemaphore(value: 0)
                Thread { errData.value = SweepRunner.readAll(err.fileHandleForReading.fileDescriptor); done.signal() }.start()
                let outData = SweepRunner.readAll(out.fileHandleForReading.fileDescriptor)
                p.waitUntilExit()
                done.wait()
                c.resume(returning: Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                           stderr: String(decoding: errData.value, as: UTF8.self)))
            }.start()
        }
    }
}
