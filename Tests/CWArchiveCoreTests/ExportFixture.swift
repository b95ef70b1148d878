import ChatworkAPI
import Foundation
@testable import CWArchiveCore

/// Builds archives for the export tests through the real code path: data files, blobs,
/// manifests, then the index.
struct ExportArchiveBuilder {
    let store: ArchiveStore
    private(set) var records: [ArchiveRecord] = []
    private(set) var blobs: [ManifestEntry] = []
    var clock = 1_714_521_600 // 2024-05-01T00:00:00Z
    let run = "run-1"

    init(at url: URL) throws {
        store = try ArchiveStore.open(at: url, create: true)
    }

    static let people = [
        Account(accountID: 1, name: "山田 太郎", avatarImageURL: "https://example.com/1.png"),
        Account(accountID: 2, name: "Alice <b>Smith</b>", avatarImageURL: "https://example.com/2.png"),
        Account(accountID: 3, name: "鈴木 花子", avatarImageURL: "https://example.com/3.png"),
    ]

    mutating func room(_ id: Int, _ name: String, type: RoomType = .group) {
        records.append(ArchiveRecord(run: run, at: clock, roomID: id, payload: .room(
            Room(roomID: id, name: name, type: type, role: .member, messageNum: 0, lastUpdateTime: clock))))
        records.append(ArchiveRecord(run: run, at: clock, roomID: id, payload: .members(
            Self.people.map { Member(accountID: $0.accountID, role: .member, name: $0.name) })))
    }

    mutating func message(_ room: Int, _ id: String, _ body: String, by account: Int = 1, at time: Int, updated: Int = 0) {
        let who = Self.people.first { $0.accountID == account } ?? Account(accountID: account, name: "User \(account)", avatarImageURL: "")
        records.append(ArchiveRecord(run: run, at: max(time, updated), roomID: room, payload: .message(
            Message(messageID: id, account: who, body: body, sendTime: time, updateTime: updated))))
    }

    mutating func delete(_ room: Int, _ id: String, at time: Int) {
        records.append(ArchiveRecord(run: run, at: time, roomID: room, payload: .messageDeleted(
            MessageDeletion(messageID: id, windowFrom: time - 100, windowTo: time))))
    }

    /// A file; with `bytes`, stored as a blob.
    mutating func file(_ room: Int, _ fileID: Int, message: String, name: String, bytes: Data?) throws {
        let f = ChatworkFile(fileID: fileID, account: Self.people[0], messageID: message, filename: name,
                             filesize: bytes?.count ?? 999, uploadTime: clock)
        if let bytes {
            let tmp = store.newTemporaryFile()
            try bytes.write(to: tmp)
            let (hash, size) = try Hashing.sha256(fileAt: tmp)
            blobs.append(try store.storeBlob(from: tmp, sha256: hash, size: size))
            records.append(ArchiveRecord(run: run, at: clock, roomID: room, payload: .file(FileRecord(file: f, status: .stored, sha256: hash))))
        } else {
            records.append(ArchiveRecord(run: run, at: clock, roomID: room, payload: .file(FileRecord(file: f, status: .failed, error: "HTTP 403"))))
        }
    }

    /// Writes the data file, commits it and builds the index.
    func commit() throws -> ArchiveIndex {
        let seg = try store.newSegment(runID: run)
        for r in records { try seg.append(r) }
        let entry = try seg.finish()
        try store.commit(runID: run, entries: [entry] + blobs, runComplete: true)
        return try ArchiveIndex.open(store: store)
    }
}

/// A 1×1 PNG.
let tinyPNG = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==") ?? Data()

/// The archive of the golden tests: Japanese and English text, every markup tag, edits,
/// deletions, archived and missing files with hostile names.
func makeGoldenArchive(at url: URL) throws -> ArchiveStore {
    var b = try ExportArchiveBuilder(at: url)
    let t = b.clock
    b.room(12345, "営業部 / Sales: Q&A")
    b.message(12345, "1001", "[To:2]Alice さん\n明日の会議は10時からです。", by: 1, at: t + 3600)
    b.message(12345, "1002", "[rp aid=1 to=12345-1001]山田さん\n了解です :) (bow)", by: 2, at: t + 3700)
    b.message(12345, "1003", "[qt][qtmeta aid=1 time=\(t + 3600)]明日の会議は10時からです。[/qt]場所はどこですか？", by: 3, at: t + 3800)
    b.message(12345, "1004", "[info][title]お知らせ[/title]5月の予定を共有します。[hr]詳細は後ほど。[/info]", by: 1, at: t + 4000)
    b.message(12345, "1005", "Sample code:\n[code]let x = \"<b>bold</b>\"\nprint(x) // [To:1] is not a tag here[/code]", by: 2, at: t + 4100)
    b.message(12345, "1006", "[task aid=2 st=open lt=\(t + 86_400) ltype=date]資料を準備する[/task]", by: 1, at: t + 4200)
    b.message(12345, "1007", "[piconname:1] [pname:2] [picon:3] [toall] みなさん、よろしくお願いします。", by: 1, at: t + 4300)
    b.message(12345, "1008", "[info][title][dtext:file_uploaded][/title][download:501]report.pdf (1 KB)[/download][/info]", by: 1, at: t + 4400)
    try b.file(12345, 501, message: "1008", name: "report.pdf", bytes: Data("%PDF-1.4 fake".utf8))
    b.message(12345, "1009", "[info][title][dtext:file_uploaded][/title][preview id=502 ht=1][download:502]写真.png (68 B)[/download][/info]", by: 3, at: t + 4500)
    try b.file(12345, 502, message: "1009", name: "写真.png", bytes: tinyPNG)
    b.message(12345, "1010", "[download:503]../../etc/passwd[/download]", by: 2, at: t + 4600)
    try b.file(12345, 503, message: "1010", name: "../../etc/passwd", bytes: Data("root:x:0:0\n".utf8))
    b.message(12345, "1011", "[download:504]a/b c.txt[/download]", by: 2, at: t + 4700)
    try b.file(12345, 504, message: "1011", name: "a/b\u{0}c.txt", bytes: nil)
    b.message(12345, "1012", "初版の文章です。", by: 3, at: t + 90_000)
    b.message(12345, "1012", "改訂版の文章です。 Revised text.", by: 3, at: t + 90_000, updated: t + 90_600)
    b.message(12345, "1013", "この発言は削除されます。", by: 1, at: t + 90_100)
    b.delete(12345, "1013", at: t + 91_000)
    b.message(12345, "1014", "[dtext:chatroom_member_is][piconname:3][dtext:chatroom_added]", by: 1, at: t + 90_200)
    b.message(12345, "1015", "Meeting notes: *not bold* _not italic_ <b>not html</b> # not a heading\n- list? =1+1", by: 2, at: t + 90_300)
    b.room(67890, "<script>alert('room')</script> ../..\\evil:name?")
    b.message(67890, "2001", "Hello from another room. [To:1]山田さん", by: 2, at: t + 200_000)
    _ = try b.commit()
    return b.store
}
