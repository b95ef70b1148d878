import ChatworkAPI
import ChatworkSimulator
import Foundation
import GRDB
@testable import CWArchiveCore

/// A simulator serving the sample workspace and an archive folder, for end-to-end tests over loopback.
final class SimulatorHarness: @unchecked Sendable {
    static let token = "demo-token-0000"
    static let busyRoom = 2000006
    static let groupRoom = 2000004
    static let directRoom = 2000003

    let sim: ChatworkSimulator
    let tmp = TempDir("cwarchive-e2e")
    var archiveURL: URL { tmp.path("archive") }

    init(configuration: SimulatorConfiguration = .init()) async throws {
        guard let dir = ChatworkSimulator.sampleWorkspaceDirectory() else { throw IndexError(description: "no sample workspace") }
        sim = ChatworkSimulator(workspace: try ChatworkSimulator.loadWorkspace(from: dir), configuration: configuration)
        try await sim.start(port: 0)
    }

    func stop() async { await sim.stop() }

    /// Starts a harness, runs `body`, and stops the simulator before returning, whatever
    /// `body` does (an awaited teardown, unlike `defer { Task { await h.stop() } }`).
    static func with(configuration: SimulatorConfiguration = .init(),
                     _ body: (SimulatorHarness) async throws -> Void) async throws {
        let h = try await SimulatorHarness(configuration: configuration)
        do {
            try await body(h)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    func makeClient(token: String = SimulatorHarness.token, clock: any RateLimitClock = SystemClock()) -> ChatworkClient {
        var config = ChatworkClientConfiguration(baseURL: sim.baseURL)
        config.backoffBase = 0.01
        config.backoffMaximum = 0.05
        return ChatworkClient(credential: .apiToken(token), configuration: config, clock: clock)
    }

    /// One archive run in this process; `clock` is the run's, the store's and the client's time.
    @discardableResult
    func archive(options: ArchiveOptions = ArchiveOptions(), clock: any RateLimitClock = SystemClock(),
                 progress: @escaping @Sendable (ArchiveProgress) -> Void = { _ in },
                 afterCommit: (@Sendable (Int) -> Void)? = nil) async throws -> RunSummary {
        let store = try ArchiveStore.open(at: archiveURL, create: true, clock: clock)
        let client = makeClient(clock: clock)
        let archiver = Archiver(store: store, client: client, options: options, clock: clock, progress: progress, afterCommit: afterCommit)
        do {
            let summary = try await archiver.run()
            try await client.shutdown()
            return summary
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func index() throws -> ArchiveIndex {
        try ArchiveIndex.openForReading(store: try ArchiveStore.open(at: archiveURL, create: false))
    }

    /// Reads the index synchronously (GRDB's async overloads are not wanted in tests).
    func read<T>(_ block: (Database) throws -> T) throws -> T {
        let pool = try index().dbPool
        return try pool.read(block)
    }

    func count(_ sql: String, _ args: StatementArguments = []) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: sql, arguments: args) ?? 0 }
    }

    /// Messages of a room visible in the simulator now (not deleted).
    func visibleMessages(_ roomID: Int) -> [SimMessage] {
        sim.workspace.rooms.first { $0.roomId == roomID }?.messages.filter { !$0.deleted } ?? []
    }

    /// A stable dump of the index's answers, to compare an index with its rebuild.
    func dump() throws -> [String] {
        try index().dbPool.read { db in
            var out: [String] = []
            for r in try Row.fetchAll(db, sql: "SELECT room_id, message_id, version, body, status, send_time, update_time FROM messages ORDER BY room_id, message_id, version") {
                out.append("m \(r["room_id"] as Int) \(r["message_id"] as String) \(r["version"] as Int) \(r["status"] as String) \(r["send_time"] as Int) \(r["update_time"] as Int) \((r["body"] as String).hashValue)")
            }
            for r in try Row.fetchAll(db, sql: "SELECT room_id, file_id, status, sha256 FROM files ORDER BY room_id, file_id") {
                out.append("f \(r["room_id"] as Int) \(r["file_id"] as Int) \(r["status"] as String) \(r["sha256"] as String? ?? "-")")
            }
            for r in try Row.fetchAll(db, sql: "SELECT room_id, name, synced_update_time, horizon_message_id FROM rooms ORDER BY room_id") {
                out.append("r \(r["room_id"] as Int) \(r["name"] as String) \(r["synced_update_time"] as Int? ?? -1) \(r["horizon_message_id"] as String? ?? "-")")
            }
            for r in try Row.fetchAll(db, sql: "SELECT room_id, before_message_id FROM gaps ORDER BY room_id, before_message_id") {
                out.append("g \(r["room_id"] as Int) \(r["before_message_id"] as String)")
            }
            let fts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH ?", arguments: ["\"会議\""]) ?? 0
            out.append("fts 会議 \(fts)")
            return out
        }
    }

    /// Every byte of every file under the archive, to look for the token.
    func archiveContains(_ needle: String) -> [String] {
        var hits: [String] = []
        guard let e = FileManager.default.enumerator(atPath: archiveURL.path) else { return [] }
        let bytes = Data(needle.utf8)
        while let rel = e.nextObject() as? String {
            let path = archiveURL.appendingPathComponent(rel).path
            if let data = FileManager.default.contents(atPath: path), data.range(of: bytes) != nil { hits.append(rel) }
            // Data files are compressed: look inside them too.
            if rel.hasSuffix(".gz") {
                var plain = Data()
                try? SegmentReader.forEachLine(in: URL(fileURLWithPath: path)) { line, _ in plain.append(line) }
                if plain.range(of: bytes) != nil { hits.append(rel + " (decompressed)") }
            }
        }
        return hits
    }
}
