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

    @Test func simulateDeliversMessagesPostedThroughItsAPIToTheListener() async throws {
        guard FileManager.default.isExecutableFile(atPath: ListenCLITests.binary.path) else { Issue.record("build cwarchive first"); return }
        let f = try ListenFixture(rooms: [Self.busy])
        try await f.start()
        let sim = try ListenCLITests.Child(["simulate", "--port", "0", "--webhook", "\(Self.busy)=\(f.tokenPath(room: Self.busy))",
                                            "--webhook-url", f.url.absoluteString], withStdout: true)
        var writer: SimulatorAPIWriter?
        do {
            let base = try #require(URL(string: "http://127.0.0.1:\(try await sim.port(after: " at http://127.0.0.1:"))/v2"))
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
            #expect(sim.stderr.contains("Webhook 1: messages posted or edited in room \(Self.busy) are delivered to \(f.url.absoluteString) (normal)"))
            #expect(!sim.stderr.contains(f.tokens[Self.busy] ?? "?"))
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
