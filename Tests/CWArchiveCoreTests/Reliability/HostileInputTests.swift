import ChatworkSimulator
import Foundation
import Testing
@testable import CWArchiveCore
import CWTestSupport

/// Hostile message bodies, file names, room and account names put into the simulator, then
/// archived, searched and exported: no crash, nothing written outside the archive or the export
/// folder, safe HTML and Markdown, neutralised CSV.
@Suite("Reliability: hostile input", .serialized, .enabled(if: CLIRunner.isAvailable))
struct ReliabilityHostileInputTests {
    static let archiveTopLevel: Set<String> = ["cwarchive-archive.json", "data", "blobs", "manifests", "index.sqlite",
                                               "index.sqlite-wal", "index.sqlite-shm", "lock", "tmp", "quarantine"]

    @Test func hostileInputIsArchivedSearchedAndExportedSafely() async throws {
        let corpus = try HostileCorpus.load()
        let h = try await SimulatorHarness()
        try await withTeardown({ await h.stop() }) {
            try h.sim.updateWorkspace { ws in try corpus.install(into: &ws) }
            let strayBefore = Self.strayMarkedFiles(h)

            let report = h.tmp.path("report.json")
            let run = try await ReliabilityCLI.run(ReliabilityCLI.archiveArgs(h, report: report), env: ReliabilityCLI.tokenEnv)
            #expect(!run.crashed)
            #expect(run.status == 0, "\(run.stderr)")
            let audit = try ArchiveAudit.check(h)
            #expect(audit.isComplete, "\(audit)")

            // Blobs only under blobs/sha256/xx/<sha256>; nothing else at the top of the archive.
            let top = Set(try FileManager.default.contentsOfDirectory(atPath: h.archiveURL.path))
            #expect(top.isSubset(of: Self.archiveTopLevel), "unexpected entries: \(top.subtracting(Self.archiveTopLevel))")
            let store = try ArchiveStore.open(at: h.archiveURL, create: false)
            for path in store.filesOnDisk() where path.hasPrefix("blobs/") {
                let parts = path.split(separator: "/")
                #expect(parts.count == 4 && parts[1] == "sha256" && parts[3].count == 64 && parts[3].allSatisfy(\.isHexDigit) && parts[3].hasPrefix(parts[2]), "\(path)")
            }
            #expect(try await ReliabilityCLI.run(["verify", "--archive", h.archiveURL.path]).status == 0)

            // The bodies come back from the index exactly (NUL aside: SQLite text may stop there).
            let stored = try h.read { db in try String.fetchAll(db, sql: "SELECT body FROM messages WHERE room_id = ?", arguments: [HostileCorpus.firstRoom]) }
            for body in corpus.bodies where !body.contains("\u{0}") {
                #expect(stored.contains(body), "body not kept intact: \(body.prefix(40).debugDescription)")
            }

            // Search: every body (cut) as a query, plus query syntax abuse: exit 0, 1 or 2, never a crash.
            var searches = 0
            var queries = corpus.bodies.map { String($0.prefix(80)) } + corpus.filenames + ["\"", "*", "NEAR(", "-", "--", "\u{0}", "AND OR NOT", "\"\"\"", "[", "%", "_"]
            if !Reliability.long {
                // The short form: every fourth query (each is a process start).
                queries = queries.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
            }
            for (i, q) in queries.enumerated() where !q.contains("\u{0}") {
                let format = ["json", "text", "csv"][i % 3]
                let s = try await ReliabilityCLI.run(["search", "--archive", h.archiveURL.path, "--format", format, "--limit", "5", "--", q])
                searches += 1
                #expect(!s.crashed && [0, 1, 2].contains(s.status), "search \(q.prefix(40).debugDescription): \(s.status) \(s.stderr)")
                #expect(!s.stderr.contains("Fatal error"))
                if format == "json" {
                    for line in s.stdout.split(separator: "\n") {
                        #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line.prefix(80))")
                    }
                }
                if format == "csv" { #expect(ExportSafety.csvProblems(s.stdout).isEmpty, "search CSV: \(ExportSafety.csvProblems(s.stdout))") }
            }

            // Export.
            var exported = 0
            for format in ["html", "markdown", "csv"] {
                let out = h.tmp.path("export-\(format)")
                let e = try await ReliabilityCLI.run(["export", "--archive", h.archiveURL.path, "--format", format, "--out", out.path, "--history"])
                #expect(!e.crashed && e.status == 0, "export \(format): \(e.status) \(e.stderr)")
                exported += try Self.checkExport(out, format: format)
            }
            #expect(exported > 0)

            // Nothing with the marker in its name appeared outside the archive and the export folders.
            let stray = Self.strayMarkedFiles(h).subtracting(strayBefore)
            #expect(stray.isEmpty, "files written outside: \(stray)")
            let security = SecurityAudit.problems(archive: h.archiveURL, files: [report], texts: ["stdout": run.stdout, "stderr": run.stderr], cmdlines: run.cmdlines)
            #expect(security.isEmpty, "\(security)")
            ReliabilityFigures.record("hostile_input", ["inputs": corpus.count, "bodies": corpus.bodies.count, "file_names": corpus.filenames.count,
                                                        "room_names": corpus.roomNames.count, "searches": searches, "export_files_checked": exported])
        }
    }

    /// Checks every file of an export folder; returns how many were checked.
    static func checkExport(_ out: URL, format: String) throws -> Int {
        var checked = 0
        let root = out.resolvingSymlinksInPath().path
        guard let e = FileManager.default.enumerator(atPath: out.path) else { return 0 }
        while let rel = e.nextObject() as? String {
            let url = out.appendingPathComponent(rel)
            #expect(url.resolvingSymlinksInPath().path.hasPrefix(root + "/"), "export wrote outside its folder: \(rel)")
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            if rel.hasPrefix("files/") { continue }
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            switch url.pathExtension {
            case "html": #expect(ExportSafety.htmlProblems(text).isEmpty, "\(rel): \(ExportSafety.htmlProblems(text).prefix(5))")
            case "md": #expect(ExportSafety.markdownProblems(text).isEmpty, "\(rel): \(ExportSafety.markdownProblems(text).prefix(5))")
            case "csv": #expect(ExportSafety.csvProblems(text).isEmpty, "\(rel): \(ExportSafety.csvProblems(text).prefix(5))")
            default: continue
            }
            checked += 1
        }
        return checked
    }

    /// Files whose name has the corpus marker, outside the test's own folder: where a path
    /// traversal would put them.
    static func strayMarkedFiles(_ h: SimulatorHarness) -> Set<String> {
        var found = Set<String>()
        let own = h.tmp.url.path
        var places = [FileManager.default.temporaryDirectory.path, "/tmp", "/etc", "/", FileManager.default.currentDirectoryPath,
                      h.tmp.url.deletingLastPathComponent().path, NSHomeDirectory()]
        places += [h.archiveURL.deletingLastPathComponent().deletingLastPathComponent().path]
        for place in Set(places) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: place)) ?? [] where name.contains(HostileCorpus.marker) {
                let path = (place as NSString).appendingPathComponent(name)
                if !path.hasPrefix(own) { found.insert(path) }
            }
        }
        // Inside the test folder: only under the archive's blobs (named by hash) or an export folder.
        if let e = FileManager.default.enumerator(atPath: own) {
            while let rel = e.nextObject() as? String {
                if rel.contains(HostileCorpus.marker) && !rel.hasPrefix("export-") { found.insert(own + "/" + rel) }
            }
        }
        return found
    }
}
