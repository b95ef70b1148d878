import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
@testable import CWArchiveServer
import CWTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `cwarchive listen` binary, as users and systemd run it.
@Suite(.serialized) struct ListenCLITests {
    static var binary: URL { BuiltBinary.url }

    /// Starts the binary with a clean environment; stderr (with `withStdout`, stdout too) is
    /// read into ``stderr`` by a thread of its own.
    final class Child: @unchecked Sendable {
        // @unchecked: `text` is changed only under `lock`, by the reader thread.
        let process = Process()
        private let lock = NSLock()
        private var text = ""
        init(_ args: [String], withStdout: Bool = false) throws {
            process.executableURL = ListenCLITests.binary
            process.arguments = args
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "CWARCHIVE_ARCHIVE")
            env["CWARCHIVE_CONFIG"] = "/dev/null"
            process.environment = env
            let err = Pipe()
            process.standardError = err
            process.standardOutput = withStdout ? err : FileHandle.nullDevice
            try process.run()
            let handle = err.fileHandleForReading
            Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lock.lock(); text += String(decoding: chunk, as: UTF8.self); lock.unlock()
                }
            }.start()
        }
        var stderr: String { lock.lock(); defer { lock.unlock() }; return text }

        /// Waits (off the cooperative threads) for the process to end; returns its status.
        func wait() async -> Int32 {
            let p = process
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                Thread { p.waitUntilExit(); c.resume() }.start()
            }
            try? await Task.sleep(for: .milliseconds(100))
            return p.terminationStatus
        }

        /// Sends SIGTERM if it still runs, and waits for it to end.
        func stop() async {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            _ = await wait()
        }

        /// The port printed after `marker` (the listener's "listening on" line by default),
        /// waiting up to 60 s for it.
        func port(after marker: String = "listening on http://127.0.0.1:") async throws -> Int {
            for _ in 0..<600 {
                if let r = stderr.range(of: marker) {
                    let digits = stderr[r.upperBound...].prefix { $0.isNumber }
                    if let p = Int(digits) { return p }
                }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw ListenError("\(process.arguments?.first ?? "cwarchive") did not start: \(stderr)")
        }
    }

    @Test(arguments: [
        ["--commit-interval", "0"],
        ["--webhook", "abc=/tmp/x"],
        ["--webhook", "0=/tmp/x"],
        ["--webhook", "12="],
        ["--port", "70000", "--webhook", "1=/tmp/x"],
        ["--host", "0.0.0.0", "--webhook", "1=/tmp/x"],
        ["--path", "no-slash", "--webhook", "1=/tmp/x"],
        ["--tls-cert", "/tmp/c.pem", "--webhook", "1=/tmp/x"],
        ["--webhook", "1=/tmp/x", "--webhook", "1=/tmp/y"],
        [String](),
        ["--no-such-flag"],
    ])
    func badFlagsExit64(args: [String]) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else { Issue.record("build cwarchive first"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cwarchive-listen-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let child = try Child(["listen", "--archive", dir.path] + args)
        #expect(await child.wait() == 64)
        #expect(!child.stderr.isEmpty)
        // Bad usage touches nothing.
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    @Test func killMinus9AfterThe200LosesNothingAndSIGTERMCommits() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else { Issue.record("build cwarchive first"); return }
        let f = try ListenFixture(rooms: [ListenFixture.roomA])
        defer { f.cleanUp() }
        let args = ["listen", "--archive", f.archiveURL.path, "--port", "0", "--commit-interval", "3600",
                    "--webhook", "\(ListenFixture.roomA)=\(f.tokenPath(room: ListenFixture.roomA))"]
        let poster = SimWebhookPoster()
        try await withTeardown({ try? await poster.shutdown() }) {

            let first = try Child(args)
            let port = try await first.port()
            let url = URL(string: "http://127.0.0.1:\(port)/chatwork/webhook")!
            let secret = "secret body \(UUID().uuidString)"
            var ids: [String] = []
            for n in 0..<5 {
                let id = String(8_300_000_000_000_000_000 + n)
                ids.append(id)
                let body = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: id, body: "\(secret) \(n)")
                #expect(await poster.post(body, signature: WebhookSignature.sign(body, key: f.key(room: ListenFixture.roomA)), to: url) == 200)
            }
            kill(first.process.processIdentifier, SIGKILL)
            _ = await first.wait()

            let second = try Child(args)
            _ = try await second.port()
            kill(second.process.processIdentifier, SIGTERM)
            #expect(await second.wait() == 0)
            for id in ids { #expect(try f.archived(room: ListenFixture.roomA, messageID: id) != nil) }
            #expect(try ArchiveVerifier(store: f.store()).verify().isIntact)
            // The log names events, never a body or a token.
            let log = first.stderr + second.stderr
            #expect(log.contains("accepted message_created room \(ListenFixture.roomA)"))
            #expect(!log.contains(secret))
            #expect(!log.contains(f.tokens[ListenFixture.roomA] ?? "?"))
        }
    }

    /// Runs a program to its end (off the cooperative threads); returns its status.
    static func runTool(_ path: String, _ args: [String]) async throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread { p.waitUntilExit(); c.resume() }.start()
        }
        return p.terminationStatus
    }

    @Test func withItsOwnCertificateItServesHTTPSAndRefusesBadKeyFiles() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else { Issue.record("build cwarchive first"); return }
        let openssl = "/usr/bin/openssl", curl = "/usr/bin/curl"
        guard FileManager.default.isExecutableFile(atPath: openssl), FileManager.default.isExecutableFile(atPath: curl) else { return }
        let f = try ListenFixture(rooms: [ListenFixture.roomA])
        defer { f.cleanUp() }
        let cert = f.root.appendingPathComponent("cert.pem").path, key = f.root.appendingPathComponent("key.pem").path
        #expect(try await Self.runTool(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                                 "-days", "1", "-subj", "/CN=127.0.0.1"]) == 0)
        let base = ["listen", "--archive", f.archiveURL.path, "--port", "0",
                    "--webhook", "\(ListenFixture.roomA)=\(f.tokenPath(room: ListenFixture.roomA))"]

        // A key file that is not a key: exit 1 naming the flag.
        let bad = try Child(base + ["--tls-cert", cert, "--tls-key", cert])
        #expect(await bad.wait() == 1)
        #expect(bad.stderr.contains("--tls-key"))

        let child = try Child(base + ["--tls-cert", cert, "--tls-key", key])
        var port = 0
        for _ in 0..<600 where port == 0 {
            if let r = child.stderr.range(of: "listening on https://127.0.0.1:") {
                port = Int(child.stderr[r.upperBound...].prefix { $0.isNumber }) ?? 0
            } else { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(port > 0)
        let body = ListenFixture.messageBody(room: ListenFixture.roomA, messageID: "8400000000000000001", body: "over TLS")
        let bodyFile = f.root.appendingPathComponent("body.json")
        try body.write(to: bodyFile)
        let sig = WebhookSignature.sign(body, key: f.key(room: ListenFixture.roomA))
        let status = try await Self.runTool(curl, ["-sfk", "-o", "/dev/null", "-X", "POST", "-H", "X-ChatWorkWebhookSignature: \(sig)",
                                                   "--data-binary", "@" + bodyFile.path, "https://127.0.0.1:\(port)/chatwork/webhook"])
        #expect(status == 0)
        kill(child.process.processIdentifier, SIGTERM)
        #expect(await child.wait() == 0)
        #expect(try f.archived(room: ListenFixture.roomA, messageID: "8400000000000000001")?.body == "over TLS")
    }
}
