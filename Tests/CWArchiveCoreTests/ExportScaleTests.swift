import ChatworkAPI
import Foundation
import Testing
@testable import CWArchiveCore

/// A large room exports in constant memory. Off by default (slow): set
/// `CWARCHIVE_EXPORT_SCALE=<messages>` (e.g. 300000). The archive is built in-process; the
/// export runs in a child `cwarchive` process when `CWARCHIVE_BINARY` is set, so its peak
/// memory can be measured on its own (`/usr/bin/time -v`), else in-process.
@Suite("Export: scale")
struct ExportScaleTests {
    static let count = Int(ProcessInfo.processInfo.environment["CWARCHIVE_EXPORT_SCALE"] ?? "") ?? 0

    @Test(.enabled(if: count > 0, "set CWARCHIVE_EXPORT_SCALE=<messages> to run"))
    func aLargeRoomIsPagedAndStreamed() throws {
        let keep = ProcessInfo.processInfo.environment["CWARCHIVE_EXPORT_SCALE_DIR"].map { URL(fileURLWithPath: $0) }
        let tmp = TempDir("export-scale")
        defer { withExtendedLifetime(tmp) {} }
        let root = keep ?? tmp.url
        var b = try ExportArchiveBuilder(at: root.appendingPathComponent("archive"))
        b.room(1, "Big room 大部屋")
        let store = b.store
        // Write in several segments to keep the builder's memory small.
        let seg = try store.newSegment(runID: b.run)
        for i in 0..<Self.count {
            let m = ChatworkAPITestMessage.make(id: String(1_000_000 + i), body: "メッセージ \(i) [To:2] hello [info]box \(i)[/info]",
                                                account: 1 + i % 3, time: b.clock + i * 10)
            try seg.append(ArchiveRecord(run: b.run, at: b.clock, roomID: 1, payload: .message(m)))
        }
        for r in b.records { try seg.append(r) }
        let entry = try seg.finish()
        try store.commit(runID: b.run, entries: [entry], runComplete: true)
        _ = try ArchiveIndex.open(store: store)
        let out = root.appendingPathComponent("out")
        let summary = try ExportJob(options: exportOptions(store.root, .html, to: out)).run()
        #expect(summary.messages == Self.count)
        let pages = filesUnder(out).filter { $0.hasPrefix("1-") }
        #expect(pages.count == (Self.count + 4999) / 5000)
    }
}

enum ChatworkAPITestMessage {
    static func make(id: String, body: String, account: Int, time: Int) -> ChatworkAPI.Message {
        let who = ExportArchiveBuilder.people[(account - 1) % ExportArchiveBuilder.people.count]
        return ChatworkAPI.Message(messageID: id, account: who, body: body, sendTime: time)
    }
}
