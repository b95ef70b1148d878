import Foundation
import Testing
import CWTestSupport

/// The built `cwarchive` binary (``BuiltBinary``).
enum ServeBinary {
    static var binary: URL { BuiltBinary.url }
    static var exists: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }
}

/// `cwarchive serve` as users start it: the built binary, its one stdout line, its exit codes.
@Suite("Serve: the command", .serialized, .enabled(if: ServeBinary.exists))
struct ServeCLITests {

    static func start(_ args: [String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = ServeBinary.binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["CWARCHIVE_CONFIG"] = "/dev/null"
        env.removeValue(forKey: "CWARCHIVE_ARCHIVE")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    /// Waits off the cooperative threads.
    static func wait(_ p: Process) async {
        final class Box: @unchecked Sendable { let p: Process; init(_ p: Process) { self.p = p } }
        let box = Box(p)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread { box.p.waitUntilExit(); c.resume() }.start()
        }
    }

    /// The first line of a pipe (read on a thread of its own).
    static func firstLine(_ pipe: Pipe) async -> String {
        final class Box: @unchecked Sendable { let h: FileHandle; init(_ h: FileHandle) { self.h = h } }
        let box = Box(pipe.fileHandleForReading)
        return await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            Thread {
                var data = Data()
                while !data.contains(0x0A) {
                    let chunk = box.h.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                c.resume(returning: String(decoding: data, as: UTF8.self))
            }.start()
        }
    }

    @Test func printsOneLineServesAndStopsOnSIGTERMWithExitZero() async throws {
        let h = try await ServeHarness.shared.value
        let (p, out, _) = try Self.start(["serve", "--archive", h.archiveURL.path, "--port", "0"])
        let line = await Self.firstLine(out)
        let match = line.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)\/\n/)
        let port = try #require(match.flatMap { Int($0.1) }, "stdout: \(line)")
        let r = try await RawHTTP(port: port).get("/")
        #expect(r.status == 200)
        kill(p.processIdentifier, SIGTERM)
        await Self.wait(p)
        #expect(p.terminationStatus == 0)
        #expect(p.terminationReason == .exit)
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        #expect(rest.isEmpty, "more on stdout: \(String(decoding: rest, as: UTF8.self))")
    }

    @Test(arguments: [
        (["--host", "0.0.0.0"], "--auth-token-file"),
        (["--host", "192.168.1.5", "--port", "0"], "--auth-token-file"),
        (["--port", "70000"], "--port"),
        (["--host", "0.0.0.0", "--auth-token-file", "/nonexistent/token"], "--auth-token-file"),
    ])
    func wrongUsageExits64(extra: [String], flag: String) async throws {
        let h = try await ServeHarness.shared.value
        let (p, _, err) = try Self.start(["serve", "--archive", h.archiveURL.path] + extra)
        await Self.wait(p)
        #expect(p.terminationStatus == 64)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains(flag), "\(message)")
    }

    @Test func aMissingArchiveIsAnErrorNotACrash() async throws {
        let (p, _, err) = try Self.start(["serve", "--archive", "/nonexistent/archive", "--port", "0"])
        await Self.wait(p)
        #expect(p.terminationStatus == 64)   // a bad --archive value, checked before anything starts
        #expect(!String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).isEmpty)
    }
}
