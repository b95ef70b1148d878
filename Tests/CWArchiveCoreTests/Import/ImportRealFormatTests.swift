import ChatworkAPI
import ChatworkSimulator
import Foundation
import GRDB
import Testing
@testable import CWArchiveCore

/// The exports as the real tools write them (``RealToolOutput``), from the simulator's busy room
/// (250 messages, the API shows the newest 100): archive, then import the older history.
@Suite("Import: the real tools' outputs")
struct ImportRealFormatTests {
    static let room = SimulatorHarness.busyRoom
    static let tokyo = ImportFixtures.tokyo

    /// The archived room and what an export of it holds: the messages the archive lacks (with
    /// bodies that test the escaping) and some it has.
    struct Setup {
        var older: [SimMessage]
        var overlap: [SimMessage]
        var names: [Int: String]
        var roomName: String
        var serverNum: Int
        var archivedCount: Int
    }

    static func setup(_ h: SimulatorHarness) async throws -> Setup {
        try await h.archive()
        let all = h.visibleMessages(room).sorted(by: RealToolOutput.byID)
        let archived = Set(try h.read { db in try String.fetchAll(db, sql: "SELECT message_id FROM messages WHERE room_id = ?", arguments: [room]) })
        var older = all.filter { !archived.contains($0.messageId) }
        older[0].body = "一行目\n二行目 \"引用\", カンマ"
        older[1].body = "CRLF の行\r\n次の行"
        older[2].body = "[info][title]資料[/title][download:7000001][/info]"
        older[3].body = "C:\\path\\to は\tタブ"
        let names = Dictionary(uniqueKeysWithValues: h.sim.workspace.accounts.map { ($0.accountId, $0.name) })
        let serverNum = try #require(h.sim.workspace.room(room)).messages.filter { !$0.deleted }.count
        return Setup(older: older, overlap: Array(all.suffix(100).prefix(10)), names: names,
                     roomName: try #require(h.sim.workspace.room(room)).name, serverNum: serverNum, archivedCount: archived.count)
    }

    static func importer(_ store: ArchiveStore, _ format: ImportFormat, _ path: URL, log: @escaping @Sendable (String) -> Void = { _ in }) -> Importer {
        Importer(store: store, options: ImportOptions(format: format, paths: [path], timeZone: tokyo), log: log)
    }

    /// The checks every format's import of `setup` must pass.
    static func expectComplete(_ report: ImportReport, _ store: ArchiveStore, _ s: Setup, _ label: String, newVersions: Int = 0) throws {
        #expect(report.exitCode == 0, "\(label): \(report.errors.prefix(3))")
        #expect(report.messages.badRows == 0, "\(label)")
        #expect(report.messages.new == s.older.count, "\(label)")
        #expect(report.messages.newVersions == newVersions, "\(label)")
        #expect(report.messages.matched == s.overlap.count, "\(label)")
        #expect(report.rooms.first { $0.roomID == room }?.horizonMoved == true, "\(label)")
        let status = try #require(try StatusReport.load(store: store).rooms.first { $0.roomID == room })
        #expect(status.archivedMessages == s.serverNum, "\(label)")
        #expect(status.gaps.isEmpty, "\(label)")
        let bodies = Set(try ImportFixtureFiles.rows(store, "SELECT body FROM messages WHERE room_id = ?", [room]).map { $0["body"] as String })
        for m in s.older.prefix(4) { #expect(bodies.contains(m.body), "\(label): \(m.body.debugDescription) not stored as it was") }
        #expect(try ArchiveVerifier(store: store).verify().isIntact, "\(label)")
    }

    static func again(_ store: ArchiveStore, _ format: ImportFormat, _ path: URL, _ label: String) throws {
        let manifests = try store.manifests().count
        let again = try importer(store, format, path).run()
        #expect(again.messages.new == 0 && again.messages.newVersions == 0, "\(label): \(again.messages)")
        #expect(try store.manifests().count == manifests, "\(label)")
    }

    static let attachment = (id: 7000001, name: "議事録 v2.pdf", data: Data("%PDF-1.4 議事録".utf8))

    @Test func goodbyeChatworkAsTheGemWritesIt() async throws {
        try await SimulatorHarness.with { h in
            let s = try await Self.setup(h)
            let src = TempDir("import-real-goodbye")
            // contact_dat with names, except one sender who is not a contact (written as the raw id).
            var contacts: [Int: String?] = s.names.mapValues { $0 }
            contacts.removeValue(forKey: s.older[5].accountId)
            let logs = try RealToolOutput.goodbyeChatwork(s.older + s.overlap, roomID: Self.room, roomName: s.roomName, contacts: contacts,
                                                          zone: Self.tokyo, files: [Self.attachment], in: src.path("named"))
            let csv = try #require(try FileManager.default.contentsOfDirectory(atPath: logs.path).first { $0.hasSuffix(".csv") })
            #expect(csv == "\(Self.room)_\(RealToolOutput.goodbyeRoomName(s.roomName)).csv")
            let bytes = try Data(contentsOf: logs.appendingPathComponent(csv))
            #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]) && bytes.last == 0x0A)

            let store = try ImportEndToEndTests.copy(h.archiveURL, to: src.path("archive"))
            let report = try Self.importer(store, .goodbyeChatwork, logs).run()
            try Self.expectComplete(report, store, s, "goodbye-chatwork")
            #expect(report.attachments.found == 1 && report.attachments.linked == 1)
            let file = try ImportFixtureFiles.rows(store, "SELECT room_id, status, sha256 FROM files WHERE file_id = ?", [Self.attachment.id]).first
            #expect(file?["room_id"] as Int? == Self.room)
            #expect(file?["status"] as String? == "stored")
            // The sender who was not a contact keeps the account id the tool wrote.
            let raw = try ImportFixtureFiles.rows(store, "SELECT account_id FROM messages WHERE room_id = ? AND body = ?", [Self.room, s.older[5].body]).first
            #expect(raw?["account_id"] as Int? == s.older[5].accountId)
            try Self.again(store, .goodbyeChatwork, logs, "goodbye-chatwork again")

            // The web client's later contact_dat has `nm`, not `name`: the tool then writes an empty sender.
            let nameless = try RealToolOutput.goodbyeChatwork(s.older + s.overlap, roomID: Self.room, roomName: s.roomName,
                                                              contacts: s.names.mapValues { _ in String?.none }, zone: Self.tokyo, in: src.path("nameless"))
            #expect(try String(contentsOf: nameless.appendingPathComponent(csv), encoding: .utf8).contains("+09:00,,"))
            // Over the named import: the same messages, nothing added.
            try Self.again(store, .goodbyeChatwork, nameless, "nameless over named")
            // Alone: matched with the API's messages by time and body.
            let fresh = try ImportEndToEndTests.copy(h.archiveURL, to: src.path("archive-2"))
            try Self.expectComplete(try Self.importer(fresh, .goodbyeChatwork, nameless).run(), fresh, s, "goodbye-chatwork nameless")
            try Self.again(fresh, .goodbyeChatwork, nameless, "nameless again")
        }
    }

    @Test func chatworkLogExporterAsTheExtensionWritesIt() async throws {
        try await SimulatorHarness.with { h in
            let s = try await Self.setup(h)
            let src = TempDir("import-real-logexporter")
            var names = s.names
            names.removeValue(forKey: s.older[6].accountId)

            // The default: CSV only, a Japanese browser; line breaks in bodies written as `\n`.
            let csvOnly = src.path("csv")
            try RealToolOutput.logExporter(s.older + s.overlap, roomID: Self.room, names: names, zone: Self.tokyo, in: csvOnly)
            try RealToolOutput.logExporter([], roomID: 2000099, names: names, zone: Self.tokyo, in: csvOnly)
            let text = try String(contentsOf: csvOnly.appendingPathComponent("\(Self.room)_messages.csv"), encoding: .utf8)
            #expect(text.hasPrefix("id,aid,aid_name,datetime,type,msg,tm,utm,index,reactions\n"))
            #expect(text.contains(#""一行目\n二行目 ""引用"", カンマ""#))
            #expect(!text.hasSuffix("\n"))
            let store = try ImportEndToEndTests.copy(h.archiveURL, to: src.path("archive"))
            let report = try Self.importer(store, .chatworkLogExporter, csvOnly).run()
            try Self.expectComplete(report, store, s, "log-exporter csv")
            #expect(report.files.contains { $0.path == "2000099_messages.csv" && $0.rows == 0 })
            // `ユーザー名情報なし` is not a name.
            let unnamed = try ImportFixtureFiles.rows(store, "SELECT account_name FROM messages WHERE room_id = ? AND message_id = ?", [Self.room, s.older[6].messageId]).first
            #expect(unnamed?["account_name"] as String? != LogExporterReader.noName)
            try Self.again(store, .chatworkLogExporter, csvOnly, "log-exporter csv again")

            // JSON too, an English browser, an attachment, and the same export downloaded twice (`… (1).json`).
            let both = src.path("both")
            try RealToolOutput.logExporter(s.older + s.overlap, roomID: Self.room, names: names, zone: Self.tokyo, english: true, json: true,
                                           files: [Self.attachment], in: both)
            try FileManager.default.copyItem(at: both.appendingPathComponent("\(Self.room)_messages.json"), to: both.appendingPathComponent("\(Self.room)_messages (1).json"))
            try Data("not an attachment".utf8).write(to: both.appendingPathComponent("2024_0101_report.pdf"))
            let fresh = try ImportEndToEndTests.copy(h.archiveURL, to: src.path("archive-2"))
            let notes = UncheckedBox([String]())
            let lock = NSLock()
            let second = try Self.importer(fresh, .chatworkLogExporter, both, log: { n in lock.lock(); notes.value.append(n); lock.unlock() }).run()
            #expect(second.files.map(\.path).sorted() == ["\(Self.room)_messages (1).json", "\(Self.room)_messages.json", "\(Self.room)_\(Self.attachment.id)_\(Self.attachment.name)"].sorted())
            #expect(notes.value.contains { $0.contains("\(Self.room)_messages.csv: not read") })
            #expect(second.messages.new == s.older.count && second.messages.badRows == 0, "\(second.messages)")
            #expect(second.attachments.linked == 1)
            let reactions = try ImportFixtureFiles.records(fresh).compactMap { r -> JSONValue? in
                if case .importedMessage(let m) = r.payload, m.message.messageID == s.older[3].messageId { return m.message.unknownFields?[member: "reactions"] }
                return nil
            }
            #expect(reactions.first == .array([.object(["type": .string("roger"), "aid": .int(1000002)])]))
            // The CSV of the same export over the JSON's import: the same messages and bodies.
            try Self.again(fresh, .chatworkLogExporter, csvOnly, "csv over json")
        }
    }

    @Test func byechaAsItWritesIt() async throws {
        try await SimulatorHarness.with { h in
            var s = try await Self.setup(h)
            let src = TempDir("import-real-byecha")
            let out = src.path("_out")
            try RealToolOutput.byecha(s.older + s.overlap, roomID: Self.room, roomName: s.roomName, names: s.names, myID: 1000001,
                                      files: [Self.attachment], in: out)
            let pages = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(String(Self.room)).path)
            #expect(pages.count == (s.older.count + s.overlap.count) / 40 + 1)
            #expect(pages.contains("\(Self.room)_last.json"))
            let store = try ImportEndToEndTests.copy(h.archiveURL, to: src.path("archive"))
            let report = try Self.importer(store, .byecha, out).run()
            try Self.expectComplete(report, store, s, "byecha")
            #expect(report.files.allSatisfy { $0.path == "conf.json" || $0.path.hasPrefix("\(Self.room)/") || $0.path.hasPrefix("file/") }, "\(report.files.map(\.path))")
            #expect(report.attachments.found == 1 && report.attachments.linked == 1)
            #expect(try ImportFixtureFiles.rows(store, "SELECT room_id FROM files WHERE file_id = ?", [Self.attachment.id]).first?["room_id"] as Int? == Self.room)
            let named = try ImportFixtureFiles.rows(store, "SELECT account_name FROM messages WHERE room_id = ? AND message_id = ?", [Self.room, s.older[5].messageId]).first
            #expect(named?["account_name"] as String? == s.names[s.older[5].accountId])
            try Self.again(store, .byecha, out, "byecha again")

            // On a Japanese Windows: Shift_JIS (cp932) and CRLF.
            s.older = s.older.enumerated().map { i, m in
                var m = m
                if m.body.data(using: .shiftJIS) == nil { m.body = "シフトJISのメッセージ \(i)" }
                return m
            }
            s.overlap = s.overlap.filter { $0.body.data(using: .shiftJIS) != nil }
            let sjis = src.path("_out_windows")
            try RealToolOutput.byecha(s.older + s.overlap, roomID: Self.room, roomName: s.roomName, names: s.names.mapValues { $0.data(using: .shiftJIS) == nil ? "名前" : $0 },
                                      myID: 1000001, shiftJIS: true, in: sjis)
            let page = try Data(contentsOf: sjis.appendingPathComponent("\(Self.room)/\(Self.room)_last.json"))
            #expect(String(validating: page, as: UTF8.self) == nil)
            let fresh = try ImportEndToEndTests.copy(h.archiveURL, to: src.path("archive-2"))
            try Self.expectComplete(try Self.importer(fresh, .byecha, sjis).run(), fresh, s, "byecha shift_jis")
        }
    }

    /// The exact bytes of each writer for one message, against what the tools' code writes.
    @Test func theWritersWriteWhatTheToolsWrite() throws {
        let m = SimMessage(messageId: "1700000000000000001", accountId: 1000001, body: "a \"q\", b\nc", sendTime: 1_704_432_060)
        let tmp = TempDir("import-real-bytes")
        let logs = try RealToolOutput.goodbyeChatwork([m], roomID: 42, roomName: "営業 / 本部: 2024", contacts: [1000001: "山田 太郎"], zone: Self.tokyo, in: tmp.path("g"))
        #expect(try String(contentsOf: logs.appendingPathComponent("42_営業本部2024.csv"), encoding: .utf8) == "2024-01-05T14:21:00+09:00,山田 太郎,\"a \"\"q\"\", b\nc\"\n")
        try RealToolOutput.logExporter([m], roomID: 42, names: [1000001: "山田 太郎"], zone: Self.tokyo, json: true, in: tmp.path("l"))
        #expect(try String(contentsOf: tmp.path("l/42_messages.csv"), encoding: .utf8) == """
            id,aid,aid_name,datetime,type,msg,tm,utm,index,reactions
            1700000000000000001,1000001,"山田 太郎","2024/01/05 14:21:00",text_message_type,"a ""q"", b\\nc",1704432060,,,"[]"
            """)
        #expect(try String(contentsOf: tmp.path("l/42_messages.json"), encoding: .utf8) == """
            [
              {
                "id": "1700000000000000001",
                "aid": 1000001,
                "msg": "a \\"q\\", b\\nc",
                "type": "text_message_type",
                "tm": 1704432060,
                "utm": 0,
                "index": 0,
                "reactions": [],
                "datetime": "2024/01/05 14:21:00",
                "aid_name": "山田 太郎"
              }
            ]
            """)
        try RealToolOutput.byecha([m], roomID: 42, roomName: "営業", names: [1000001: "山田 太郎"], myID: 1000001, in: tmp.path("b"))
        #expect(try String(contentsOf: tmp.path("b/42/42_last.json"), encoding: .utf8) == """
            [
                {
                    "id": "1700000000000000001",
                    "aid": 1000001,
                    "msg": "a \\"q\\", b\\nc",
                    "tm": 1704432060,
                    "utm": 0
                }
            ]
            """)
        // And each reader gives the message back as it was.
        for (format, path) in [(ImportFormat.goodbyeChatwork, logs), (.chatworkLogExporter, tmp.path("l/42_messages.csv")), (.byecha, tmp.path("b"))] {
            let store = try ArchiveStore.open(at: tmp.path("archive-\(format.rawValue)"), create: true)
            let report = try Self.importer(store, format, path).run()
            #expect(report.messages.new == 1 && report.messages.badRows == 0, "\(format): \(report.errors)")
            let row = try ImportFixtureFiles.rows(store, "SELECT body, send_time, account_name FROM messages").first
            #expect(row?["body"] as String? == m.body, "\(format)")
            #expect(row?["send_time"] as Int? == m.sendTime, "\(format)")
            #expect(row?["account_name"] as String? == "山田 太郎", "\(format)")
        }
    }
}
