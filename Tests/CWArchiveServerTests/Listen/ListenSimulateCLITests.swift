import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
@testable import CWArchiveServer
#if canImport(Glibc)
import Glibc
#endif

/// `cwarchive simulate --webhook ROOM_ID=TOKEN_FILE --webhook-url URL`: the built binary posts
/// the signed deliveries of messages posted through its API to a listener, as Chatwork would.
@Suite(.serialized) struct ListenSimulateCLITests {
    static let busy = 2_000_006

    /// The simulator binary; stdout is read into `output` by a thread of its own.
    final class Simulator: @unchecked Sendable {
        // @unchecked: `text` is changed only under `lock`, by the reader thread.
        let process = Process()
        private let lock = NSLock()
        private var text = ""
        init(_ args: [String]) throws {
            process.executableURL = ListenCLITests.binary
            process.arguments = args
            var env = ProcessInfo.processInfo.environment
            env["CWARCHIVE_CONFIG"] = "/dev/null"
            process.environment = env
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let handle = out.fileHandleForReading
            Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lock.lock(); text += String(decoding: chunk, as: UTF8.self); lock.unlock()
                }
            }.start()
        }
        var output: String { lock.lock(); defer { lock.unlock() }; return text }

        /// The API base URL from the "serving … at" line.
        func baseURL() async throws -> URL {
            for _ in 0..<600 {
                if let r = output.range(of: " at http://127.0.0.1:") {
                    let digits = output[r.upperBound...].prefix { $0.isNumber }
                    if let p = Int(digits), let url = URL(string: "http://127.0.0.1:\(p)/v2") { return url }
                }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw ListenError("the simulator did not start: \(output)")
        }

        func stop() async {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            let p = process
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                Thread { p.waitUntilExit(); c.resume() }.start()
            }
        }
    }

    @Test func simulateDeliversMessagesPostedThroughItsAPIToTheListener() async throws {
        guard FileManager.default.isExecutableFile(atPath: ListenCLITests.binary.path) else { Issue.record("build cwarchive first"); return }
        let f = try ListenFixture(rooms: [Self.busy])
        try await f.start()
        let sim = try Simulator(["simulate", "--port", "0", "--webhook", "\(Self.busy)=\(f.tokenPath(room: Self.busy))",
                                 "--webhook-url", f.url.absoluteString])
        var writer: SimulatorAPIWriter?
        do {
            let base = try await sim.baseURL()
            let w = SimulatorAPIWriter(baseURL: base, token: "demo-token-hanako")
            writer = w
            var ids: [String] = []
            for n in 1...3 { ids.append(try await w.post(room: Self.busy, body: "from the simulate binary \(n)")) }
            // The deliveries are made by another process: wait for them to reach the spool.
            let spool = try #require(f.server?.spool)
            for _ in 0..<600 where spool.pending().count < 3 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(spool.pending().count == 3)
            try await f.stop()
            for id in ids { #expect(try f.archived(room: Self.busy, messageID: id)?.body.hasPrefix("from the simulate binary") == true) }
            #expect(sim.output.contains("Webhook 1: messages posted or edited in room \(Self.busy) are delivered to \(f.url.absoluteString) (normal)"))
            #expect(!sim.output.contains(f.tokens[Self.busy] ?? "?"))
        } catch {
            try? await f.stop()
            await sim.stop()
            try? await writer?.shutdown()
            f.cleanUp()
            throw error
        }
        await sim.stop()
        try await writer?.shutdown()
        f.cleanUp()
    }
}
