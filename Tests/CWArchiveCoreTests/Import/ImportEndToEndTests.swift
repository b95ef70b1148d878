import ChatworkAPI
import ChatworkSimulator
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// Archive from the simulator (its busy room has 250 messages, the API shows the newest 100),
/// then import the older history in each format and check the merged archive.
@Suite("Import: end to end, archive then import")
struct ImportEndToEndTests {
    static let room = SimulatorHarness.busyRoom

    /// A copy of an archive folder without its index (rebuilt from the data files on open).
    static func copy(_ archive: URL, to dest: URL) throws -> ArchiveStore {
        try FileManager.default.copyItem(at: archive, to: dest)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dest.appendingPathComponent("index.sqlite").path + suffix) }
        try? FileManager.default.removeItem(at: dest.appendingPathComponent("lock"))
        return try ArchiveStore.open(at: dest, create: false)
    }

    static func importer(_ store: ArchiveStore, _ format: ImportFormat, _ paths: [URL], dryRun: Bool = false) -> Importer {
        Importer(store: store, options: ImportOptions(format: format, paths: paths, timeZone: ImportFixtures.tokyo, dryRun: dryRun))
    }

    @Test func everyFormatCompletesTheHistoryOfTheArchive() async throws {
        try await SimulatorHarness.with { h in
            try await h.archive()
            let all = h.visibleMessages(Self.room).sorted { ($0.sendTime, $0.messageId) < ($1.sendTime, $1.messageId) }
            let serverNum = try #require(h.sim.workspace.room(Self.room)).messages.filter { !$0.deleted }.count
            // The newest 100, and older ones replies pointed at.
            let archived = Set(try h.read { db in try String.fetchAll(db, sql: "SELECT message_id FROM messages WHERE room_id = ?", arguments: [Self.room]) })
            #expect(archived.count >= 100 && archived.count < serverNum)
            let older = all.filter { !archived.contains($0.messageId) }
            let overlap = Array(all.suffix(100).prefix(10))
            var earlier = overlap[3]
            earlier.body = "初版: " + earlier.body
            let names = Dictionary(uniqueKeysWithValues: h.sim.workspace.accounts.map { ($0.accountId, $0.name) })
            let roomName = try #require(h.sim.workspace.room(Self.room)).name
            let src = TempDir("import-src")

            var sources: [(ImportFormat, [URL])] = []
            let withVersion = older + overlap + [earlier]
            sources.append((.goodbyeChatwork, [try ImportFixtures.goodbyeChatwork(older + overlap, roomID: Self.room, roomName: roomName, names: names, in: src.path("goodbye"))]))
            sources.append((.chatworkLogExporter, [try ImportFixtures.logExporterJSON(withVersion, roomID: Self.room, names: names, in: src.path("log-json"))]))
            sources.append((.chatworkLogExporter, [try ImportFixtures.logExporterCSV(withVersion, roomID: Self.room, names: names, in: src.path("log-csv"))]))
            sources.append((.byecha, [try ImportFixtures.byecha(withVersion, roomID: Self.room, roomName: roomName, names: names, in: src.path("byecha"))]))

            // cwarchive-csv: a second archive completed by an import, exported as CSV (with its history).
            let full = try Self.copy(h.archiveURL, to: src.path("full-archive"))
            _ = try Self.importer(full, .chatworkLogExporter, sources[1].1).run()
            let csvOut = src.path("csv-export")
            try ExportJob(options: exportOptions(full.root, .csv, to: csvOut, history: true, rooms: [Self.room])).run()
            sources.append((.cwarchiveCSV, [csvOut]))

            for (n, (format, paths)) in sources.enumerated() {
                let store = try Self.copy(h.archiveURL, to: src.path("archive-\(n)"))
                let report = try Self.importer(store, format, paths).run()
                let label = "\(format.rawValue) #\(n)"
                #expect(report.exitCode == 0, "\(label): \(report.errors.prefix(3))")
                #expect(report.messages.badRows == 0, "\(label)")
                #expect(report.messages.new == older.count, "\(label)")
                #expect(report.messages.newVersions == (format == .goodbyeChatwork ? 0 : 1), "\(label)")
                #expect(report.messages.matched == report.messages.read - report.messages.new - report.messages.newVersions, "\(label)")
                #expect(report.messages.matched >= overlap.count, "\(label)")
                #expect(report.rooms.first { $0.roomID == Self.room }?.horizonMoved == true, "\(label)")

                // The room's archived count is the server's message_num; the horizon is the first message.
                let status = try StatusReport.load(store: store)
                let r = try #require(status.rooms.first { $0.roomID == Self.room })
                #expect(r.archivedMessages == serverNum, "\(label)")
                #expect(r.serverMessageNum == serverNum, "\(label)")
                #expect(r.importedMessages == older.count, "\(label)")
                #expect(r.archivedMessages == archived.count + older.count, "\(label)")
                #expect(r.horizon?.oldestTime == all.first?.sendTime, "\(label)")
                #expect(r.gaps.isEmpty, "\(label)")

                // Search finds a message only the import had, marked as imported.
                let index = try ArchiveIndex.openForReading(store: store)
                let needle = try #require(older.first)
                let hits = try SearchEngine(index: index).search(try SearchQuery.parse("\"\(needle.body)\""), limit: 0)
                let hit = try #require(hits.first { $0.sendTime == needle.sendTime }, "\(label)")
                #expect(hit.source == "import:\(format.rawValue)", "\(label)")
                if format != .goodbyeChatwork { #expect(hit.messageID == needle.messageId, "\(label)") }
                // The API's versions stay current; the earlier version sits before them.
                if format != .goodbyeChatwork {
                    let versions = try index.dbPool.read { db in
                        try Row.fetchAll(db, sql: "SELECT version, status, body, source FROM messages WHERE room_id = ? AND message_id = ? ORDER BY version",
                                         arguments: [Self.room, earlier.messageId])
                    }
                    #expect(versions.map { $0["status"] as String } == ["edited", "current"], "\(label)")
                    #expect(versions.first?["body"] as String? == earlier.body, "\(label)")
                    #expect((versions.last?["source"] as String?) == nil, "\(label)")
                }

                // A second import adds nothing (no new manifest).
                let manifests = try store.manifests().count
                let again = try Self.importer(store, format, paths).run()
                #expect(again.messages.new == 0 && again.messages.newVersions == 0, "\(label)")
                #expect(try store.manifests().count == manifests, "\(label)")

                // verify covers the import; reindex gives the same answers.
                #expect(try ArchiveVerifier(store: store).verify().isIntact, "\(label)")
                let before = try Self.dump(store)
                try ArchiveIndex.rebuild(store: store)
                #expect(try Self.dump(store) == before, "\(label)")

                // The export shows them, with their source.
                let out = src.path("export-\(n)")
                try ExportJob(options: exportOptions(store.root, .csv, to: out, rooms: [Self.room])).run()
                let csv = try filesUnder(out).filter { $0.hasSuffix(".csv") }.map { try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8) }.joined()
                #expect(csv.contains(needle.body), "\(label)")
                #expect(csv.contains(",import:\(format.rawValue)"), "\(label)")
                #expect(csv.components(separatedBy: "\r\n").filter { $0.hasPrefix("\(Self.room),") }.count == serverNum, "\(label)")
            }
        }
    }

    @Test func anImportThatDoesNotReachTheArchiveLeavesAGapUntilAnotherFillsIt() async throws {
        try await SimulatorHarness.with { h in
            try await h.archive()
            let all = h.visibleMessages(Self.room).sorted { ($0.sendTime, $0.messageId) < ($1.sendTime, $1.messageId) }
            let older = Array(all.dropLast(100))
            let archived = Set(try h.read { db in try String.fetchAll(db, sql: "SELECT message_id FROM messages WHERE room_id = ?", arguments: [Self.room]) })
            let names = Dictionary(uniqueKeysWithValues: h.sim.workspace.accounts.map { ($0.accountId, $0.name) })
            let src = TempDir("import-gap")
            let store = try ArchiveStore.open(at: h.archiveURL, create: false)
            let oldest = try ImportFixtures.logExporterJSON(Array(older.prefix(50)), roomID: Self.room, names: names, in: src.path("a"))
            let dry = try Self.importer(store, .chatworkLogExporter, [oldest], dryRun: true).run()
            #expect(dry.rooms.first?.gap != nil)
            #expect(try StatusReport.load(store: store).rooms.first { $0.roomID == Self.room }?.gaps.isEmpty == true)

            let first = try Self.importer(store, .chatworkLogExporter, [oldest]).run()
            let gap = try #require(first.rooms.first?.gap)
            #expect(gap.afterTime == older[49].sendTime)
            #expect(gap.beforeTime == all[older.count].sendTime)
            var status = try #require(try StatusReport.load(store: store).rooms.first { $0.roomID == Self.room })
            #expect(status.gaps.count == 1)
            #expect(status.gaps.first?.afterTime == older[49].sendTime)
            #expect(status.gaps.first?.beforeTime == all[older.count].sendTime)
            #expect(status.horizon?.oldestTime == all[older.count].sendTime)
            #expect(try StatusReport.load(store: store).text.contains("gap between the import and the archive: \(RunSummary.iso(older[49].sendTime)) to \(RunSummary.iso(all[older.count].sendTime))"))
            // The same import again does not add the gap twice.
            _ = try Self.importer(store, .chatworkLogExporter, [oldest]).run()
            #expect(try StatusReport.load(store: store).rooms.first { $0.roomID == Self.room }?.gaps.count == 1)

            // The rest, overlapping both the first import and the archive.
            let rest = try ImportFixtures.logExporterJSON(Array(all[40..<(older.count + 5)]), roomID: Self.room, names: names, in: src.path("b"))
            let second = try Self.importer(store, .chatworkLogExporter, [rest]).run()
            #expect(second.messages.new == older[50...].filter { !archived.contains($0.messageId) }.count)
            #expect(second.rooms.first?.horizonMoved == true)
            status = try #require(try StatusReport.load(store: store).rooms.first { $0.roomID == Self.room })
            #expect(status.gaps.isEmpty)
            #expect(status.horizon?.oldestTime == all.first?.sendTime)
            #expect(status.archivedMessages == status.serverMessageNum)

            // A later archive run keeps the API's view and adds no gap or horizon of its own.
            let run = try await h.archive()
            #expect(run.gaps.isEmpty)
            #expect(try StatusReport.load(store: store).rooms.first { $0.roomID == Self.room }?.gaps.isEmpty == true)
        }
    }

    static func dump(_ store: ArchiveStore) throws -> [String] {
        try ArchiveIndex.openForReading(store: store).dbPool.read { db in
            var out: [String] = []
            for r in try Row.fetchAll(db, sql: "SELECT room_id, message_id, version, status, body, source, send_time, update_time FROM messages ORDER BY room_id, message_id, version") {
                out.append("\(r["room_id"] as Int) \(r["message_id"] as String) \(r["version"] as Int) \(r["status"] as String) \(r["source"] as String? ?? "api") \(r["send_time"] as Int) \(r["update_time"] as Int) \(r["body"] as String)")
            }
            for r in try Row.fetchAll(db, sql: "SELECT room_id, horizon_message_id, horizon_time FROM rooms ORDER BY room_id") {
                out.append("r \(r["room_id"] as Int) \(r["horizon_message_id"] as String? ?? "-") \(r["horizon_time"] as Int? ?? -1)")
            }
            out.append("gaps \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM gaps") ?? 0)")
            out.append("fts \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH ?", arguments: ["\"了解\""]) ?? 0)")
            return out
        }
    }
}
