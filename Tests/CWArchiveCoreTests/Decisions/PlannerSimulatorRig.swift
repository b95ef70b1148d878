import ChatworkAPI
import ChatworkSimulator
@testable import CWArchiveCore
import Foundation

/// The sample workspace in the simulator and an archive, on one manual timeline the simulator
/// follows: changes are made at the timeline's now, each run starts a minute later, and a test
/// can let days pass (`--refresh-days`, the forecast) without sleeping.
final class PlannerSimulatorRig: @unchecked Sendable {
    // @unchecked: used by one test at a time; the clock and the simulator are thread-safe.
    static let me = 1_000_001
    static let hanako = 1_000_002
    static let project = SimulatorHarness.groupRoom          // 2000004: admin, tasks, files, link
    static let announcements = 2_000_005                     // read-only member of a group chat
    static let hanakoDM = 2_000_002
    static let johnDM = SimulatorHarness.directRoom          // 2000003
    static let busy = SimulatorHarness.busyRoom              // 2000006

    let clock: ManualClock
    let h: SimulatorHarness
    var sim: ChatworkSimulator { h.sim }
    var now: Int { Int(clock.now().timeIntervalSince1970) }

    private init(_ h: SimulatorHarness, clock: ManualClock) {
        self.h = h
        self.clock = clock
    }

    /// Runs `body` with a rig whose first archive run is done; stops the simulator afterwards.
    static func with(firstRun: Bool = true, _ body: (PlannerSimulatorRig) async throws -> Void) async throws {
        let clock = ManualClock(start: Date())
        let h = try await SimulatorHarness(configuration: .init(clock: SimulatorClock(following: { clock.now() })))
        let rig = PlannerSimulatorRig(h, clock: clock)
        do {
            if firstRun { try await rig.archive() }
            try await body(rig)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// One run a minute after the last change, with a fresh request log; `tick` runs before each room.
    @discardableResult
    func archive(_ configure: (inout ArchiveOptions) -> Void = { _ in }, tick: @escaping @Sendable () -> Void = {}) async throws -> RunSummary {
        clock.advance(by: 60)
        sim.resetRequestLog()
        var options = ArchiveOptions()
        configure(&options)
        return try await h.archive(options: options, clock: clock, progress: { _ in tick() })
    }

    /// Changes the workspace at the timeline's now.
    @discardableResult
    func change<T>(_ body: (inout SimWorkspace, Int) throws -> T) throws -> T {
        let t = now
        return try sim.updateWorkspace { try body(&$0, t) }
    }

    /// The last run's requests for `room`, as paths after `/v2` ("/rooms/2000004/members").
    func requests(room: Int) -> [String] {
        sim.requestLog().compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count >= 2, parts[1].hasPrefix("/v2") else { return nil }
            let path = String(parts[1].dropFirst(3))
            let prefix = "/rooms/\(room)"
            guard path == prefix || path.hasPrefix(prefix + "/") || path.hasPrefix(prefix + "?") else { return nil }
            return path
        }
    }

    /// The rooms whose messages the last run read, in order.
    var messageOrder: [Int] {
        sim.requestLog().compactMap { line in
            guard let r = line.range(of: "/v2/rooms/"), line.contains("/messages?force=1") else { return nil }
            return Int(line[r.upperBound...].prefix { $0.isNumber })
        }
    }

    func index() throws -> ArchiveIndex { try h.index() }

    /// The request of a room's newest-100 window.
    static func messages(_ room: Int) -> String { "/rooms/\(room)/messages?force=1" }
}
