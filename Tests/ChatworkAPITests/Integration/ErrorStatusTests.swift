import ChatworkAPI
import ChatworkSimulator
import Foundation
import Testing

@Suite("Error answers from the simulator")
struct ErrorStatusTests {
    typealias H = SimulatorHarness

    @Test("401: a wrong token; the message says what to check and never shows the token")
    func unauthorized() async throws {
        let badToken = "not-a-valid-token-SECRETVALUE"
        try await H.run(credential: .apiToken(badToken)) { sim, client async throws in
            let error = await #expect(throws: ChatworkAPIError.self) { try await client.me() }
            guard case .unauthorized = error else {
                Issue.record("expected unauthorized, got \(String(describing: error))")
                return
            }
            #expect(error?.description.contains("CHATWORK_API_TOKEN") == true)
            #expect(error?.description.contains("SECRETVALUE") == false)
            #expect(sim.requestCount == 1, "401 is never retried")
        }
    }

    @Test("403: a room the token is not in, and the invite link of a room it does not administer")
    func forbidden() async throws {
        try await H.run { sim, client async throws in
            let error = await #expect(throws: ChatworkAPIError.self) { try await client.room(H.foreignRoom) }
            #expect(error == .forbidden(path: "/rooms/\(H.foreignRoom)", messages: ["You don't have permission to access this room"]))
            #expect(error?.description.contains("/rooms/\(H.foreignRoom)") == true)
            let linkError = await #expect(throws: ChatworkAPIError.self) { try await client.link(roomID: H.readonlyRoom) }
            #expect(linkError?.status == 403)
            #expect(sim.requestCount == 2, "403 is never retried")
        }
    }

    @Test("404: a task, message, file or room that does not exist")
    func notFound() async throws {
        try await H.run { sim, client async throws in
            for call in [
                { try await client.task(roomID: H.groupRoom, taskID: 999) as Any },
                { try await client.message(roomID: H.groupRoom, messageID: "999") as Any },
                { try await client.file(roomID: H.groupRoom, fileID: 999, createDownloadURL: true) as Any },
                { try await client.room(99_999) as Any },
            ] {
                let error = await #expect(throws: ChatworkAPIError.self) { _ = try await call() }
                #expect(error?.status == 404)
                if case .notFound = error {} else { Issue.record("expected notFound, got \(String(describing: error))") }
            }
            #expect(sim.requestCount == 4, "404 is never retried")
        }
    }

    @Test("400: an invalid parameter")
    func badRequest() async throws {
        try await H.run { sim, client async throws in
            let error = await #expect(throws: ChatworkAPIError.self) { try await client.myTasks(status: "bogus") }
            if case .badRequest(let path, let messages) = error {
                #expect(path == "/my/tasks")
                #expect(!messages.isEmpty)
            } else {
                Issue.record("expected badRequest, got \(String(describing: error))")
            }
            #expect(sim.requestCount == 1, "400 is never retried")
        }
    }

    @Test("5xx on every try: retried maxRetries times, then the last error")
    func serverErrorGivesUp() async throws {
        try await H.run(simulator: H.fast(faults: .init(errorRate: 1))) { sim, client async throws in
            let error = await #expect(throws: ChatworkAPIError.self) { try await client.rooms() }
            if case .server(let status, let path, _) = error {
                #expect([500, 502, 503].contains(status))
                #expect(path == "/rooms")
            } else {
                Issue.record("expected server, got \(String(describing: error))")
            }
            #expect(sim.requestCount == 6, "1 try + maxRetries (5)")
            #expect(await client.statistics.retries == 5)
        }
    }

    @Test("a server that is not there: a transport error after the retries")
    func connectionRefused() async throws {
        // Find a free port by starting and stopping a simulator.
        let sim = ChatworkSimulator(workspace: H.workspace())
        try await sim.start(port: 0)
        let baseURL = sim.baseURL
        await sim.stop()
        var configuration = ChatworkClientConfiguration(baseURL: baseURL)
        configuration.backoffBase = 0.01
        configuration.backoffMaximum = 0.02
        configuration.maxRetries = 2
        configuration.connectTimeout = 1
        let client = ChatworkClient(credential: .apiToken(H.aliceToken), configuration: configuration)
        let error = await #expect(throws: ChatworkAPIError.self) { try await client.me() }
        if case .transport(let path, _) = error {
            #expect(path == "/me")
        } else {
            Issue.record("expected transport, got \(String(describing: error))")
        }
        #expect(await client.statistics.retries == 2)
        try await client.shutdown()
    }
}
