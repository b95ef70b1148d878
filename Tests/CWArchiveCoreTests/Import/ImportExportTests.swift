import Foundation
import Testing
@testable import CWArchiveCore

/// What the exports make of imported messages: marked in HTML, `source` in CSV, formula cells
/// neutralised, no web link invented for a message without a Chatwork id.
@Suite("Import: exports of imported messages")
struct ImportExportTests {
    @Test func htmlMarksImportedMessagesAndCSVNeutralisesTheirFormulaCells() throws {
        let tmp = TempDir("import-export")
        let (store, report) = try ImportFixtureFiles.importIntoEmptyArchive(.goodbyeChatwork, tmp)
        #expect(report.messages.new == 6)
        let html = tmp.path("html")
        try ExportJob(options: exportOptions(store.root, .html, to: html)).run()
        let page = try filesUnder(html).filter { $0.hasSuffix(".html") && $0 != "index.html" }
            .map { try String(contentsOf: html.appendingPathComponent($0), encoding: .utf8) }.joined()
        #expect(page.contains("cw-imported"))
        #expect(page.contains("title=\"import:goodbye-chatwork\""))
        #expect(!page.contains("chatwork.com/#!rid2000006-import-"))
        #expect(!page.contains("<b>"))

        let csvOut = tmp.path("csv")
        try ExportJob(options: exportOptions(store.root, .csv, to: csvOut)).run()
        let csv = try filesUnder(csvOut).filter { $0.hasSuffix(".csv") }
            .map { try String(contentsOf: csvOut.appendingPathComponent($0), encoding: .utf8) }.joined()
        #expect(csv.contains("'=HYPERLINK"))
        #expect(!csv.contains(",=HYPERLINK"))
        #expect(!csv.contains("#!rid2000006-import-"))
        #expect(csv.contains(",import:goodbye-chatwork\r\n"))
    }

    @Test func aLargeFileIsCommittedInSeveralBatchesAndCountedExactly() throws {
        let tmp = TempDir("import-scale")
        let src = tmp.path("src")
        try FileManager.default.createDirectory(at: src, withIntermediateDirectories: true)
        var text = "id,aid,aid_name,datetime,type,msg,tm,utm,index,reactions\n"
        let n = 5_000
        for i in 0..<n {
            text += "\(1_600_000_000_000_000_000 + i),1000001,山田 太郎,,text,\"row \(i), 会議\",\(1_600_000_000 + i),0,\(i),[]\n"
        }
        try ImportFixtures.write(text, to: src.appendingPathComponent("2000001_messages.csv"))
        let store = try ArchiveStore.open(at: tmp.path("archive"), create: true)
        var options = ImportOptions(format: .chatworkLogExporter, paths: [src], timeZone: ImportFixtures.tokyo)
        options.commitEveryRecords = 2_000
        let report = try Importer(store: store, options: options).run()
        #expect(report.messages.new == n)
        #expect(report.exitCode == 0)
        #expect(try store.manifests().count >= 3)
        #expect(try store.manifests().last?.manifest.sources?.first?.rows == n)
        let count = try ImportFixtureFiles.rows(store, "SELECT COUNT(*) AS n FROM messages").first?["n"] as Int?
        #expect(count == n)
        let again = try Importer(store: store, options: options).run()
        #expect(again.messages.matched == n && again.messages.new == 0)
    }
}
