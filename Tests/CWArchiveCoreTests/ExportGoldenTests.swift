import Foundation
import Testing
@testable import CWArchiveCore

@Suite("Export: golden files, determinism, paging")
struct ExportGoldenTests {
    @Test(arguments: ExportFormat.allCases)
    func exportMatchesGoldenFiles(format: ExportFormat) throws {
        let tmp = TempDir("export-golden")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let out = tmp.path("out")
        let summary = try ExportJob(options: exportOptions(store.root, format, to: out)).run()
        #expect(summary.rooms == 2)
        #expect(summary.messages == 15)
        try Golden.check(out, against: format.rawValue, headHash: summary.headHash)
    }

    @Test func historyExportMatchesGoldenFiles() throws {
        let tmp = TempDir("export-golden")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let out = tmp.path("out")
        let summary = try ExportJob(options: exportOptions(store.root, .html, to: out, history: true, rooms: [12345])).run()
        #expect(summary.messages == 16) // 14 current + 1 earlier version + 1 deleted
        let page = text(out.appendingPathComponent("12345-営業部 _ Sales_ Q&A.html"))
        #expect(page.contains("earlier version 1"))
        #expect(page.contains("初版の文章です。"))
        #expect(page.contains("この発言は削除されます。"))
        #expect(page.contains(">deleted</span>"))
        try Golden.check(out, against: "html-history", headHash: summary.headHash)
    }

    @Test func withoutHistoryEarlierVersionsAndDeletedMessagesAreLeftOut() throws {
        let tmp = TempDir("export")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(store.root, .html, to: out, rooms: [12345])).run()
        let page = text(out.appendingPathComponent("12345-営業部 _ Sales_ Q&A.html"))
        #expect(page.contains("改訂版の文章です。"))
        #expect(page.contains("(edited)"))
        #expect(!page.contains("初版の文章です。"))
        #expect(!page.contains("この発言は削除されます。"))
    }

    @Test(arguments: ExportFormat.allCases)
    func exportingTwiceGivesIdenticalBytes(format: ExportFormat) throws {
        let tmp = TempDir("export-determinism")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let a = tmp.path("a"), b = tmp.path("b")
        try ExportJob(options: exportOptions(store.root, format, to: a, history: true)).run()
        try ExportJob(options: exportOptions(store.root, format, to: b, history: true)).run()
        let files = filesUnder(a)
        #expect(files == filesUnder(b))
        #expect(files.count >= 3)
        for f in files {
            #expect(try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)), "\(f) differs")
        }
    }

    @Test func everyFileStatesVersionRangeAndHeadHash() throws {
        let tmp = TempDir("export")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let head = try #require(try ArchiveIndex.openForReading(store: store).headHash())
        for format in [ExportFormat.html, .markdown] {
            let out = tmp.path("out-\(format.rawValue)")
            try ExportJob(options: exportOptions(store.root, format, to: out)).run()
            for f in filesUnder(out) where f.hasSuffix(".html") || f.hasSuffix(".md") {
                let t = text(out.appendingPathComponent(f))
                #expect(t.contains(head), "\(f) lacks the head hash")
                #expect(t.contains(CWArchiveVersion.string), "\(f) lacks the version")
                #expect(t.contains("Asia/Tokyo"), "\(f) lacks the time zone")
            }
            let info = text(out.appendingPathComponent("cwarchive-export.json"))
            #expect(info.contains(head))
        }
    }

    @Test func largeRoomIsSplitIntoLinkedPages() throws {
        let tmp = TempDir("export-pages")
        defer { withExtendedLifetime(tmp) {} }
        var b = try ExportArchiveBuilder(at: tmp.path("archive"))
        b.room(7, "Big")
        for i in 0..<12 { b.message(7, String(5000 + i), "message \(i)", by: 1 + i % 3, at: b.clock + i * 7200) }
        _ = try b.commit()
        let out = tmp.path("out")
        try ExportJob(options: exportOptions(b.store.root, .html, to: out, perPage: 5)).run()
        #expect(filesUnder(out) == ["7-Big-2.html", "7-Big-3.html", "7-Big.html", "cwarchive-export.json", "index.html"])
        let p1 = text(out.appendingPathComponent("7-Big.html"))
        let p2 = text(out.appendingPathComponent("7-Big-2.html"))
        let p3 = text(out.appendingPathComponent("7-Big-3.html"))
        #expect(p1.contains("href=\"7-Big-2.html\" rel=\"next\""))
        #expect(p2.contains("href=\"7-Big.html\" rel=\"prev\""))
        #expect(p2.contains("href=\"7-Big-3.html\" rel=\"next\""))
        #expect(!p3.contains("rel=\"next\""))
        #expect(p1.contains("message 4") && !p1.contains("message 5"))
        #expect(p3.contains("message 11") && p3.contains("message 10"))
        // Ordering is by send time even though ids and times interleave.
        let i0 = try #require(p1.range(of: "message 0")), i4 = try #require(p1.range(of: "message 4"))
        #expect(i0.lowerBound < i4.lowerBound)
        #expect(text(out.appendingPathComponent("index.html")).contains("7-Big.html"))
    }

    @Test func sinceAndUntilLimitTheMessages() throws {
        let tmp = TempDir("export")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        let out = tmp.path("out")
        var o = exportOptions(store.root, .csv, to: out, rooms: [12345])
        o.range = try ExportRange.parse(since: "2024-05-02", until: "2024-05-02", timeZone: tokyo)
        let s = try ExportJob(options: o).run()
        #expect(s.messages == 3) // 1012, 1014, 1015 (1013 is deleted)
        let csv = text(out.appendingPathComponent("12345-営業部 _ Sales_ Q&A.csv"))
        #expect(csv.contains("2024-05-02T10:00:00+09:00"))
        #expect(!csv.contains("2024-05-01T"))
    }

    @Test func anUnknownRoomIsAnErrorThatSaysWhatToDo() throws {
        let tmp = TempDir("export")
        defer { withExtendedLifetime(tmp) {} }
        let store = try makeGoldenArchive(at: tmp.path("archive"))
        do {
            _ = try ExportJob(options: exportOptions(store.root, .csv, to: tmp.path("out"), rooms: [999])).run()
            Issue.record("an unknown room was exported")
        } catch {
            #expect("\(error)".contains("room 999 is not in the archive: list the archived rooms with `cwarchive status`"), "\(error)")
        }
    }
}
