import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import ChatworkSimulator

/// 401, 403, 404, 400, 405 and 204, each with the `{"errors": [...]}` shape where there is a body.
@Suite struct ErrorStatusTests {
    func errors(_ result: HTTPResult) throws -> [String] {
        try result.object()["errors"] as? [String] ?? []
    }

    @Test func missingOrUnknownTokenIs401() async throws {
        try await Fixture.with { sim async throws in
            let none = try await HTTP.get(sim.url("/me"))
            #expect(none.status == 401)
            #expect(try errors(none) == ["Invalid API token"])
            let wrong = try await HTTP.get(sim.url("/rooms"), token: "nope")
            #expect(wrong.status == 401)
            #expect(try errors(wrong) == ["Invalid API token"])
            let wrongBearer = try await HTTP.get(sim.url("/me"), headers: ["Authorization": "Bearer nope"])
            #expect(wrongBearer.status == 401)
        }
    }

    @Test func bearerTokenAuthenticates() async throws {
        try await Fixture.with { sim async throws in
            let me = try await HTTP.get(sim.url("/me"), headers: ["Authorization": "Bearer \(Fixture.bobToken)"])
            #expect(me.status == 200)
            #expect(try me.object()["account_id"] as? Int == Fixture.bob)
        }
    }

    @Test func roomOfOthersIs403OnEveryRoomEndpoint() async throws {
        try await Fixture.with { sim async throws in
            for suffix in ["", "/members", "/messages", "/messages/1", "/tasks", "/tasks/1", "/files", "/files/1", "/link"] {
                let result = try await HTTP.get(sim.url("/rooms/\(Fixture.foreignRoom)\(suffix)"), token: Fixture.token)
                #expect(result.status == 403, "\(suffix)")
                #expect(try !errors(result).isEmpty)
            }
            // Bob is a member there.
            #expect(try await HTTP.get(sim.url("/rooms/\(Fixture.foreignRoom)"), token: Fixture.bobToken).status == 200)
        }
    }

    @Test func linkOfNonAdminIs403() async throws {
        try await Fixture.with { sim async throws in
            #expect(try await HTTP.get(sim.url("/rooms/\(Fixture.readonlyGroup)/link"), token: Fixture.token).status == 403)
            #expect(try await HTTP.get(sim.url("/rooms/\(Fixture.direct)/link"), token: Fixture.token).status == 403)
            #expect(try await HTTP.get(sim.url("/rooms/\(Fixture.readonlyGroup)/link"), token: Fixture.bobToken).status == 200)
        }
    }

    @Test func unknownThingsAre404() async throws {
        try await Fixture.with { sim async throws in
            let paths = [
                "/rooms/999", "/rooms/999/messages", "/rooms/\(Fixture.direct)/messages/123", "/rooms/\(Fixture.adminGroup)/tasks/999",
                "/rooms/\(Fixture.adminGroup)/files/999", "/nothing", "/rooms/\(Fixture.direct)/whatever", "/my",
            ]
            for path in paths {
                let result = try await HTTP.get(sim.url(path), token: Fixture.token)
                #expect(result.status == 404, "\(path)")
                #expect(try !errors(result).isEmpty, "\(path)")
            }
            let outside = try await HTTP.get(URL(string: "http://127.0.0.1:\(sim.port ?? 0)/v1/me")!, token: Fixture.token)
            #expect(outside.status == 404)
        }
    }

    @Test func badParametersAre400() async throws {
        try await Fixture.with { sim async throws in
            let paths = [
                "/rooms/\(Fixture.direct)/messages?force=7", "/rooms/abc", "/my/tasks?status=closed",
                "/rooms/\(Fixture.adminGroup)/tasks?account_id=abc", "/rooms/\(Fixture.adminGroup)/files?account_id=x",
                "/rooms/\(Fixture.adminGroup)/files/1001?create_download_url=yes", "/rooms/\(Fixture.adminGroup)/tasks/x",
            ]
            for path in paths {
                let result = try await HTTP.get(sim.url(path), token: Fixture.token)
                #expect(result.status == 400, "\(path)")
                #expect(try !errors(result).isEmpty, "\(path)")
            }
        }
    }

    @Test func emptyListsAre204WithEmptyBody() async throws {
        try await Fixture.with { sim async throws in
            for suffix in ["/messages", "/messages?force=1", "/tasks", "/files"] {
                let result = try await HTTP.get(sim.url("/rooms/\(Fixture.emptyRoom)\(suffix)"), token: Fixture.token)
                #expect(result.status == 204, "\(suffix)")
                #expect(result.body.isEmpty)
                #expect(result.headers["x-ratelimit-limit"] == "300")
            }
        }
    }

    @Test func writesOtherThanMessagesAreRefused() async throws {
        try await Fixture.with { sim async throws in
            for (method, path) in [("POST", "/rooms/\(Fixture.direct)/tasks"), ("DELETE", "/rooms/\(Fixture.direct)/messages"),
                                   ("PUT", "/rooms/\(Fixture.direct)/messages/read")] {
                var request = URLRequest(url: sim.url(path))
                request.httpMethod = method
                request.setValue(Fixture.token, forHTTPHeaderField: "X-ChatWorkToken")
                request.httpBody = Data("body=hi".utf8)
                let result = try await HTTP.send(request)
                #expect(result.status == 405, "\(method) \(path)")
            }
            #expect(sim.requestLog() == ["POST /v2/rooms/\(Fixture.direct)/tasks 405", "DELETE /v2/rooms/\(Fixture.direct)/messages 405",
                                         "PUT /v2/rooms/\(Fixture.direct)/messages/read 405"])
        }
    }
}
