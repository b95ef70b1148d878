import ChatworkSimulator
import Foundation
@testable import CWArchiveCore

/// Writes other tools' exports, in their formats, from messages of the simulator's workspace.
enum ImportFixtures {
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    /// One RFC 4180 cell, as a strict writer (Ruby's CSV, Python's csv) quotes it.
    static func cell(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func csvLine(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") + "\r\n" }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    /// goodbye_chatwork: `<room_id>_<room name>.csv`, no header, newest first, (time with offset, name, body).
    static func goodbyeChatwork(_ messages: [SimMessage], roomID: Int, roomName: String, names: [Int: String], in dir: URL) throws -> URL {
        let clock = TimeFormatter(timeZone: tokyo)
        var text = ""
        for m in messages.sorted(by: { $0.sendTime > $1.sendTime }) {
            text += csvLine([clock.iso(m.sendTime), names[m.accountId] ?? String(m.accountId), m.body])
        }
        let url = dir.appendingPathComponent("\(roomID)_\(roomName.replacingOccurrences(of: "/", with: "_")).csv")
        try write(text, to: url)
        return url
    }

    static func logExporterObject(_ m: SimMessage, index: Int, names: [Int: String]) -> [String: Any] {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = tokyo
        f.dateFormat = "yyyy/MM/dd HH:mm:ss"
        return ["id": m.messageId, "aid": m.accountId, "aid_name": names[m.accountId] ?? "", "msg": m.body, "type": "text",
                "tm": m.sendTime, "utm": m.updateTime, "index": index, "reactions": [] as [Any],
                "datetime": f.string(from: Date(timeIntervalSince1970: TimeInterval(m.sendTime)))]
    }

    /// chatwork-log-exporter: `<room_id>_messages.json`.
    static func logExporterJSON(_ messages: [SimMessage], roomID: Int, names: [Int: String], in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("\(roomID)_messages.json")
        try write(try json(messages.enumerated().map { logExporterObject($1, index: $0, names: names) }), to: url)
        return url
    }

    /// chatwork-log-exporter: `<room_id>_messages.csv` with its header row.
    static func logExporterCSV(_ messages: [SimMessage], roomID: Int, names: [Int: String], in dir: URL) throws -> URL {
        var text = "id,aid,aid_name,datetime,type,msg,tm,utm,index,reactions\n"
        for (i, m) in messages.enumerated() {
            let o = logExporterObject(m, index: i, names: names)
            text += [m.messageId, String(m.accountId), names[m.accountId] ?? "", o["datetime"] as? String ?? "", "text", m.body,
                     String(m.sendTime), String(m.updateTime), String(i), "[]"].map(cell).joined(separator: ",") + "\n"
        }
        let url = dir.appendingPathComponent("\(roomID)_messages.csv")
        try write(text, to: url)
        return url
    }

    /// byecha: `conf.json` plus a folder per room of two overlapping pages.
    static func byecha(_ messages: [SimMessage], roomID: Int, roomName: String, names: [Int: String], in dir: URL) throws -> URL {
        var contacts: [String: Any] = [:]
        for (id, name) in names { contacts[String(id)] = ["nm": name, "aid": id] }
        try write(try json(["status": ["success": true], "result": ["contact_dat": contacts, "room_dat": [String(roomID): ["n": roomName, "tp": 1]]]]),
                  to: dir.appendingPathComponent("conf.json"))
        let sorted = messages.sorted { $0.sendTime < $1.sendTime }
        let half = sorted.count / 2
        let older = Array(sorted[..<min(sorted.count, half + 5)])
        let newer = Array(sorted[half...])
        func page(_ ms: [SimMessage]) throws -> String {
            try json(ms.map { m -> [String: Any] in
                ["id": m.messageId, "aid": m.accountId, "msg": m.body, "tm": m.sendTime, "utm": m.updateTime, "type": "text"]
            })
        }
        let room = dir.appendingPathComponent(String(roomID))
        try write(try page(newer), to: room.appendingPathComponent("\(roomID)_last.json"))
        if let first = older.first { try write(try page(older), to: room.appendingPathComponent("\(roomID)_\(first.messageId).json")) }
        return dir
    }
}
