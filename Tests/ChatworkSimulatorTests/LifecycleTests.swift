import Foundation
import Testing
@testable import ChatworkSimulator

/// Start, stop, restart, the request log, the demo workspace end to end.
@Suite struct LifecycleTests {
    @Test func requestLogRecordsMethodPathQueryAndStatus() async throws {
        try await Fixture.with { sim async throws in
            _ = try await HTTP.get(sim.url("/rooms/\(Fixture.direct)/messages?force=1"), token: Fixture.token)
            _ = try await HTTP.get(sim.url("/me"))
            #expect(sim.requestLog() == ["GET /v2/rooms/\(Fixture.direct)/messages?force=1 200", "GET /v2/me 401"])
            #expect(sim.requestCount == 2)
            sim.resetRequestLog()
            #expect(sim.requestLog().isEmpty && sim.requestCount == 0)
        }
    }

    @Test func stopsAndRestartsOnAnotherPort() async throws {
        let sim = try await Fixture.start()
        let firstURL = sim.baseURL
        #expect(firstURL.absoluteString.hasPrefix("http://127.0.0.1:"))
        #expect(firstURL.path == "/v2")
        await sim.stop()
        #expect(sim.port == nil)
        await #expect(throws: (any Error).self) { _ = try await HTTP.get(firstURL.appendingPathComponent("me"), token: Fixture.token) }
        try await sim.start()
        #expect(try await HTTP.get(sim.url("/me"), token: Fixture.token).status == 200)
        await sim.stop()
    }

    @Test func busyPortFailsToStart() async throws {
        try await Fixture.with { sim async throws in
            let other = ChatworkSimulator(workspace: Fixture.workspace())
            await #expect(throws: SimulatorError.self) { try await other.start(port: sim.port ?? 1) }
        }
    }

    @Test func sampleWorkspaceServesTheDemoToken() async throws {
        let folder = try #require(ChatworkSimulator.sampleWorkspaceDirectory())
        let sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: folder))
        try await sim.start()
        try await Fixture.running(sim) { sim async throws in
            let me = try await HTTP.get(sim.url("/me"), token: "demo-token-0000").object()
            #expect(me["name"] as? String == "山田 太郎")
            let rooms = try await HTTP.get(sim.url("/rooms"), token: "demo-token-0000").array()
            #expect(rooms.count == 9)
            let busy = try await HTTP.get(sim.url("/rooms/2000006/messages?force=1"), token: "demo-token-0000").array()
            #expect(busy.count == 100)
            let free = try await HTTP.get(sim.url("/rooms/2000008/messages?force=1"), token: "demo-token-0000")
            #expect(free.status == 204)
            #expect(free.headers["chatwork-message-limitation"] == "true")
            #expect(try await HTTP.get(sim.url("/rooms/2000005/link"), token: "demo-token-0000").status == 403)
            #expect(try await HTTP.get(sim.url("/rooms/2000009/messages"), token: "demo-token-0000").status == 204)
        }
    }
}
