import ChatworkAPI
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// The committed fixtures under Fixtures/import/: one per format, each with hostile rows.
enum ImportFixtureFiles {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/import")
    }
    static func path(_ format: ImportFormat) -> URL { root.appendingPathComponent(format.rawValue) }

    /// Imports into a new, empty archive.
    static func importIntoEmptyArchive(_ format: ImportFormat, _ tmp: TempDir, paths: [URL]? = nil, dryRun: Bool = false) throws -> (ArchiveStore, ImportReport) {
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true)
        let report = try Importer(store: store, options: ImportOptions(format: format, paths: paths ?? [path(format)], timeZone: ImportFixtures.tokyo, dryRun: dryRun)).run()
        return (store, report)
    }

    static func rows(_ store: ArchiveStore, _ sql: String, _ args: StatementArguments = []) throws -> [Row] {
        try ArchiveIndex.openForReading(store: store).dbPool.read { db in try Row.fetchAll(db, sql: sql, arguments: args) }
    }

    /// Every record of every data file.
    static func records(_ store: ArchiveStore) throws -> [ArchiveRecord] {
        var out: [ArchiveRecord] = []
        for m in try store.manifests() {
            for f in m.manifest.files where f.path.hasPrefix("data/") {
                try SegmentReader.forEachRecord(in: store.root.appendingPathComponent(f.path)) { out.append($0) }
            }
        }
        return out
    }
}

@Suite("Import: hostile fixtures in every format")
struct ImportHostileFixtureTests {
    @Test func goodbyeChatworkBadRowsAreNamedAndTheRestIsImported() throws {
        let tmp = TempDir("import-hostile")
        let (store, report) = try ImportFixtureFiles.importIntoEmptyArchive(.goodbyeChatwork, tmp)
        let csv = "2000006_雑談 ／ Random.csv"
        #expect(report.exitCode == 3)
        #expect(report.messages.read == 6)
        #expect(report.messages.new == 6)
        #expect(report.messages.badRows == 5)
        #expect(report.errors.map(\.location) == [3, 4, 5, 9, 11].map { "\(csv):\($0)" })
        #expect(report.errors.allSatisfy { !$0.error.isEmpty })
        #expect(report.files.first { $0.path == csv }?.sha256 == (try Hashing.sha256(fileAt: ImportFixtureFiles.path(.goodbyeChatwork).appendingPathComponent(csv)).hash))
        let bodies = try ImportFixtureFiles.rows(store, "SELECT body, message_id, source, send_time, account_id FROM messages ORDER BY send_time")
        #expect(bodies.count == 6)
        #expect(bodies.contains { ($0["body"] as String) == "=HYPERLINK(\"http://evil.example\",\"click\")" })
        #expect(bodies.contains { ($0["body"] as String) == "first line\r\nsecond line, with comma" })
        #expect(bodies.contains { ($0["body"] as String).count == 65_535 })
        #expect(bodies.allSatisfy { ($0["message_id"] as String).hasPrefix("import-") && ($0["source"] as String) == "import:goodbye-chatwork" })
        // The time without an offset is read in the zone given (Asia/Tokyo): 09:10 JST.
        #expect(bodies.contains { ($0["send_time"] as Int) == 1_745_712_600 })
        // A sender given as a raw account id keeps it.
        #expect(bodies.contains { ($0["account_id"] as Int) == 1_000_004 })

        // Attachments: stored by hash; the one named <file_id>_… is linked; its name never became a path.
        #expect(report.attachments.found == 2)
        #expect(report.attachments.stored == 2)
        #expect(report.attachments.linked == 1)
        let files = try ImportFixtureFiles.rows(store, "SELECT file_id, filename, status, sha256 FROM files")
        #expect(files.count == 1)
        let sha = try Hashing.sha256(fileAt: ImportFixtureFiles.path(.goodbyeChatwork).appendingPathComponent("2000006_files_雑談 ／ Random/1234567_..／..／etc passwd.txt")).hash
        #expect(files.first?["file_id"] as Int? == 1_234_567)
        #expect(files.first?["status"] as String? == "stored")
        #expect(files.first?["sha256"] as String? == sha)
        #expect(FileManager.default.fileExists(atPath: store.blobURL(sha256: sha).path))
        #expect(store.filesOnDisk().allSatisfy { $0.hasPrefix("data/") || $0.hasPrefix("blobs/sha256/") })

        // The manifest lists the source files with their hashes; verify passes.
        let last = try #require(try store.lastManifest())
        #expect(last.manifest.runComplete)
        #expect(last.manifest.sources?.contains { $0.path == csv && $0.format == "goodbye-chatwork" } == true)
        #expect(try ArchiveVerifier(store: store).verify().isIntact)

        // Provenance: file, hash and row of each record.
        let imported = try ImportFixtureFiles.records(store).compactMap { r -> ImportedMessage? in
            if case .importedMessage(let m) = r.payload { return m } else { return nil }
        }
        #expect(imported.count == 6)
        #expect(imported.allSatisfy { $0.provenance.file == csv && $0.provenance.sha256 == report.files.first { $0.path == csv }?.sha256 && !$0.hasChatworkID })
        #expect(Set(imported.map(\.provenance.row)) == [1, 2, 6, 8, 10, 12])

        // Again: nothing new, no new manifest.
        let before = try store.manifests().count
        let again = try Importer(store: store, options: ImportOptions(format: .goodbyeChatwork, paths: [ImportFixtureFiles.path(.goodbyeChatwork)], timeZone: ImportFixtures.tokyo)).run()
        #expect(again.messages.new == 0)
        #expect(again.messages.matched == 6)
        #expect(again.attachments.alreadyStored == 2)
        #expect(try store.manifests().count == before)
    }

    @Test func logExporterTruncatedJSONAndBrokenCSVRows() throws {
        let tmp = TempDir("import-hostile")
        let (store, report) = try ImportFixtureFiles.importIntoEmptyArchive(.chatworkLogExporter, tmp)
        #expect(report.exitCode == 3)
        #expect(report.messages.new == 4)
        #expect(report.messages.badRows == 4)
        #expect(report.errors.contains { $0.file == "2000006_messages.json" && $0.error.contains("truncated") })
        #expect(report.errors.contains { $0.location == "2000007_messages.csv:5" })
        let ids = try ImportFixtureFiles.rows(store, "SELECT message_id FROM messages ORDER BY message_id").map { $0["message_id"] as String }
        #expect(ids == ["1700000000000000001", "1700000000000000004", "1700000000000000011", "1700000000000000012"])
        // Fields beyond the ones read are kept with the record.
        let first = try ImportFixtureFiles.records(store).compactMap { r -> ImportedMessage? in
            if case .importedMessage(let m) = r.payload, m.message.messageID == "1700000000000000001" { return m } else { return nil }
        }.first
        let unknown = try #require(first?.message.unknownFields)
        #expect(unknown[member: "future_field"] == .object(["x": .int(1)]))
        #expect(unknown[member: "reactions"] != nil)
        #expect(first?.hasChatworkID == true)
        #expect(first?.provenance.row == 1)
    }

    @Test func byechaPagesOverlapAndNamesComeFromConf() throws {
        let tmp = TempDir("import-hostile")
        let (store, report) = try ImportFixtureFiles.importIntoEmptyArchive(.byecha, tmp)
        #expect(report.messages.read == 5)
        #expect(report.messages.new == 4)
        #expect(report.messages.matched == 1)
        #expect(report.messages.badRows == 1)
        let rows = try ImportFixtureFiles.rows(store, "SELECT message_id, account_name FROM messages ORDER BY message_id")
        #expect(rows.map { $0["message_id"] as String } == ["1700000000000000020", "1700000000000000021", "1700000000000000022", "1700000000000000023"])
        #expect(rows.first?["account_name"] as String? == "山田 太郎")
        #expect(try ImportFixtureFiles.rows(store, "SELECT name FROM rooms WHERE room_id = 2000006").first?["name"] as String? == "雑談 / Random")
    }

    @Test func cwarchiveCSVRoundTripKeepsVersionsAndUndoesFormulaNeutralisation() throws {
        let tmp = TempDir("import-hostile")
        let (store, report) = try ImportFixtureFiles.importIntoEmptyArchive(.cwarchiveCSV, tmp)
        #expect(report.messages.read == 4)
        #expect(report.messages.new == 3)
        #expect(report.messages.newVersions == 1)
        #expect(report.messages.badRows == 1)
        let rows = try ImportFixtureFiles.rows(store, "SELECT message_id, version, status, body FROM messages ORDER BY message_id, version")
        #expect(rows.first { ($0["message_id"] as String) == "1700000000000000031" }?["body"] as String? == "=1+2 formula")
        let v = rows.filter { ($0["message_id"] as String) == "1700000000000000032" }
        #expect(v.map { $0["body"] as String } == ["first", "second"])
        #expect(v.map { $0["status"] as String } == ["edited", "current"])
        let hits = try SearchEngine(index: ArchiveIndex.openForReading(store: store)).search(try SearchQuery.parse("derived"), limit: 0)
        #expect(hits.count == 1)
        #expect(hits.first?.url == "")
        #expect(hits.first?.source == "import:cwarchive-csv")
    }

    @Test func aDryRunReadsAndMatchesButWritesNothing() throws {
        let tmp = TempDir("import-hostile")
        let (store, report) = try ImportFixtureFiles.importIntoEmptyArchive(.byecha, tmp, dryRun: true)
        #expect(report.dryRun)
        #expect(report.messages.new == 4)
        #expect(try store.manifests().isEmpty)
        #expect(store.filesOnDisk().isEmpty)
    }

    @Test func aLockedArchiveIsRefusedAndAnEmptyPathIsAUsageError() throws {
        let tmp = TempDir("import-hostile")
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true)
        let lock = try store.acquireLock()
        #expect(throws: ArchiveLockedError.self) {
            try Importer(store: store, options: ImportOptions(format: .byecha, paths: [ImportFixtureFiles.path(.byecha)], timeZone: .current)).run()
        }
        lock.release()
        try FileManager.default.createDirectory(at: tmp.path("empty"), withIntermediateDirectories: true)
        #expect(throws: ImportPathError.self) {
            try Importer(store: store, options: ImportOptions(format: .byecha, paths: [tmp.path("empty")], timeZone: .current)).run()
        }
        #expect(throws: ImportPathError.self) {
            try Importer(store: store, options: ImportOptions(format: .byecha, paths: [tmp.path("missing")], timeZone: .current)).run()
        }
    }
}
