import Foundation
import Testing
@testable import ChatworkSimulator

@Test func humanSizeFormatsLikeChatwork() {
    #expect(SimWorkspace.humanSize(12) == "12 B")
    #expect(SimWorkspace.humanSize(1536) == "1.50 KB")
}

@Test func startsAnswersAndStops() async throws {
    let sim = try await Fixture.start()
    let me = try await HTTP.get(sim.url("/me"), token: Fixture.token)
    #expect(me.status == 200)
    #expect(try me.object()["account_id"] as? Int == Fixture.me)
    await sim.stop()
}
