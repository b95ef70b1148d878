import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `cwarchive` binary, as users and cron do.
struct CLIRunner {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// The package's build folder binary (`swift test` builds it alongside the tests).
    static var binary: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for config in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(config)/cwarchive")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        // Next to the test bundle (other build layouts).
        let here = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("cwarchive")
        return here
    }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// Starts the binary; the caller waits or kills.
    static func start(_ args: [String], env: [String: String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "CHATWORK_API_TOKEN")
        environment.removeValue(forKey: "CWARCHIVE_ARCHIVE")
        environment["CWARCHIVE_CONFIG"] = "/dev/null"
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    static func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        let (p, out, err) = try start(args, env: env)
        // Read both pipes while the process runs so a full pipe never blocks it.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}
