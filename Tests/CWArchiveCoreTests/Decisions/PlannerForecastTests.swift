import ChatworkAPI
@testable import CWArchiveCore
import Foundation
import Testing

/// The `status` forecast: each room's message rate from the archive's own history, against the
/// observed interval between runs.
@Suite("Planner: gap forecast in status")
struct PlannerForecastTests {
    @Test("the run interval is the median gap between run starts; before two runs, a day is assumed")
    func runInterval() {
        #expect(GapForecast.runInterval(runStarts: []) == (86_400, false))
        #expect(GapForecast.runInterval(runStarts: [500]) == (86_400, false))
        #expect(GapForecast.runInterval(runStarts: [0, 3_600, 7_200, 100_000]) == (3_600, true))
        #expect(GapForecast.runInterval(runStarts: [0, 3_600, 10_800]).seconds == 5_400)
        #expect(GapForecast.runInterval(runStarts: [0, 5, 86_400, 86_430]) == (86_395, true), "reruns within 5 minutes are not the schedule")
        #expect(GapForecast.runInterval(runStarts: [0, 5, 9]) == (86_400, false))
    }

    @Test("rate, safe interval and risk")
    func riskFigures() {
        let day = 86_400
        let busy = GapForecast.risk(messages: 1_400, windowStart: 0, oldestMessage: 0, reference: 14 * day, runInterval: 86_400)
        #expect(busy.messagesPerDay == 100)
        #expect(busy.atRisk)
        #expect(busy.expectedPerRun == 100)
        #expect(busy.safeIntervalHours == 16.8)
        let quiet = GapForecast.risk(messages: 140, windowStart: 0, oldestMessage: 0, reference: 14 * day, runInterval: 86_400)
        #expect(quiet.messagesPerDay == 10)
        #expect(!quiet.atRisk)
        #expect(quiet.safeIntervalHours == 168)
        // The same busy room run every 12 hours is safe.
        #expect(!GapForecast.risk(messages: 1_400, windowStart: 0, oldestMessage: 0, reference: 14 * day, runInterval: 43_200).atRisk)
        // A burst of 50 messages just before the first run is measured over at least a day.
        let burst = GapForecast.risk(messages: 50, windowStart: 0, oldestMessage: 14 * day - 60, reference: 14 * day, runInterval: 86_400)
        #expect(burst.messagesPerDay == 50)
        #expect(!burst.atRisk)
        let empty = GapForecast.risk(messages: 0, windowStart: 0, oldestMessage: nil, reference: 14 * day, runInterval: 86_400)
        #expect(empty.safeIntervalHours == nil)
        #expect(!empty.atRisk)
    }

    @Test("status names the busy room at risk at daily runs, with the safe interval and the listen hint")
    func statusForecast() async throws {
        let clock = ManualClock()
        let api = FakeChatworkAPI(clock: clock)
        let tmp = TempDir("cwarchive-forecast")
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true, clock: clock)
        let index = try ArchiveIndex.inMemory()
        api.addRoom(1, name: "Busy sales")
        api.addRoom(2, name: "Quiet")
        for _ in 0..<2 {
            // One day: 90 messages in room 1, 9 in room 2, then the nightly run.
            for k in 0..<90 {
                clock.advance(by: 960)
                api.post(1, "deal \(k)")
                if k % 10 == 0 { api.post(2, "note \(k)") }
            }
            clock.advance(by: 60)
            let run = try await Archiver(store: store, client: api, options: ArchiveOptions(), clock: clock, index: index).run()
            #expect(run.gaps.isEmpty)
        }
        let status = try StatusReport.load(store: store, index: index)
        #expect(status.runIntervalObserved)
        #expect(status.runIntervalHours == 24)
        let busy = try #require(status.rooms.first { $0.roomID == 1 }?.gapRisk)
        #expect(busy.atRisk)
        #expect((85...95).contains(busy.messagesPerDay), "\(busy)")
        #expect((17...20).contains(busy.safeIntervalHours ?? 0), "\(busy)")
        let quiet = try #require(status.rooms.first { $0.roomID == 2 }?.gapRisk)
        #expect(!quiet.atRisk)
        #expect((8...10).contains(quiet.messagesPerDay), "\(quiet)")

        let text = status.text
        #expect(text.contains("At risk of gaps"))
        #expect(text.contains("Busy sales"))
        #expect(text.contains("cwarchive listen"))
        #expect(!text.split(separator: "\n").contains { $0.contains("Quiet") && $0.contains("listen") })

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try JSONSerialization.jsonObject(with: encoder.encode(status)) as? [String: Any]
        let rooms = json?["rooms"] as? [[String: Any]]
        let risk = rooms?.first { ($0["room_id"] as? Int) == 1 }?["gap_risk"] as? [String: Any]
        #expect(risk?["at_risk"] as? Bool == true)
        #expect(risk?["messages_per_day"] is Double)
        #expect(risk?["safe_interval_hours"] is Double)
        let emptyRisk = GapForecast.risk(messages: 0, windowStart: 0, oldestMessage: nil, reference: 0, runInterval: 86_400)
        let emptyJSON = String(decoding: try encoder.encode(emptyRisk), as: UTF8.self)
        #expect(emptyJSON.contains("\"safe_interval_hours\":null"), "\(emptyJSON)")
    }
}
