import ChatworkSimulator
import Foundation
@testable import CWArchiveCore

/// Writes exports exactly as the real tools write them (their source read, not copied: see the
/// readers' documentation for what each does), from messages of the simulator's workspace.
enum RealToolOutput {
    // MARK: goodbye_chatwork (Ruby, `CSV.open(out, "wb")`, `csv << [Time.at(tm).iso8601, name || aid, msg]`)

    /// Ruby's CSV writer: `nil` is an empty bare cell, an empty string `""`, and a cell with a
    /// quote, comma, CR or LF is quoted with its quotes doubled.
    static func rubyCell(_ s: String?) -> String {
        guard let s else { return "" }
        if s.isEmpty || s.utf8.contains(where: { $0 == 0x22 || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// Ruby's `Time#iso8601` of a local time: `2024-01-05T14:21:00+09:00` (`+00:00` in UTC).
    static func rubyISO8601(_ t: Int, zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    /// The tool's file-name form of a room name: `gsub(/[[:cntrl:]\s\/\:]/, '')` (Ruby's `\s` is ASCII white space only).
    static func goodbyeRoomName(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter {
            !($0.properties.generalCategory == .control || " \t\r\n\u{0B}\u{0C}".unicodeScalars.contains($0) || $0 == "/" || $0 == ":")
        }))
    }

    /// Chatwork ids sort as numbers (`sort_by { |i| i['id'].to_i }`).
    static func byID(_ a: SimMessage, _ b: SimMessage) -> Bool { (a.messageId.count, a.messageId) < (b.messageId.count, b.messageId) }

    /// `chatwork_logs/<room_id>_<room name>.csv`, newest first, LF rows, UTF-8 without a BOM, and
    /// with `-x` the attachments in `<room_id>_files_<room name>/<file_id>_<filename>`.
    /// `contacts`: the `contact_dat` the tool saw (a contact without a `name` member gives an empty cell).
    static func goodbyeChatwork(_ messages: [SimMessage], roomID: Int, roomName: String, contacts: [Int: String?], zone: TimeZone,
                                files: [(id: Int, name: String, data: Data)] = [], in dir: URL) throws -> URL {
        let logs = dir.appendingPathComponent("chatwork_logs")
        let name = goodbyeRoomName(roomName)
        var text = ""
        for m in messages.sorted(by: byID).reversed() {
            let sender: String?
            if let entry = contacts[m.accountId] { sender = entry } else { sender = String(m.accountId) }
            text += [rubyCell(rubyISO8601(m.sendTime, zone: zone)), rubyCell(sender), rubyCell(m.body)].joined(separator: ",") + "\n"
        }
        try ImportFixtures.write(text, to: logs.appendingPathComponent("\(roomID)_\(name).csv"))
        for f in files {
            let folder = logs.appendingPathComponent("\(roomID)_files_\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try f.data.write(to: folder.appendingPathComponent("\(f.id)_\(f.name)"))
        }
        return logs
    }

    // MARK: JSON as JavaScript's `JSON.stringify(v, null, 2)` and Python's `json.dump(v, ensure_ascii=False, indent=4)` write it

    /// A JSON value with its members in order.
    indirect enum J {
        case s(String), i(Int), null, a([J]), o([(String, J)])
    }

    /// Both escape `"`, `\` and the C0 controls (`\b \f \n \r \t`, the rest `\u00xx`) and write
    /// everything else as it is.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// Pretty JSON with `indent` spaces, `", "`-free item separators and `": "` after keys;
    /// `compact` as `JSON.stringify(v)` (no spaces at all).
    static func json(_ v: J, indent: Int, level: Int = 0, compact: Bool = false) -> String {
        let pad = String(repeating: " ", count: indent * (level + 1)), end = String(repeating: " ", count: indent * level)
        switch v {
        case .s(let s): return jsonString(s)
        case .i(let i): return String(i)
        case .null: return "null"
        case .a(let items):
            if items.isEmpty { return "[]" }
            if compact { return "[" + items.map { json($0, indent: 0, compact: true) }.joined(separator: ",") + "]" }
            return "[\n" + items.map { pad + json($0, indent: indent, level: level + 1) }.joined(separator: ",\n") + "\n" + end + "]"
        case .o(let members):
            if members.isEmpty { return "{}" }
            if compact { return "{" + members.map { jsonString($0.0) + ":" + json($0.1, indent: 0, compact: true) }.joined(separator: ",") + "}" }
            return "{\n" + members.map { pad + jsonString($0.0) + ": " + json($0.1, indent: indent, level: level + 1) }.joined(separator: ",\n") + "\n" + end + "}"
        }
    }

    // MARK: chatwork-log-exporter (the Chrome extension 1.1.0, `runExportScript`)

    /// `Intl.DateTimeFormat(undefined, {year: "numeric", month/day/hour/minute/second: "2-digit"})`
    /// in a Japanese or an American browser.
    static func intlDateTime(_ t: Int, zone: TimeZone, english: Bool) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = english ? "MM/dd/yyyy, hh:mm:ss a" : "yyyy/MM/dd HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    /// A `chat_list` element as the web client gives it, with the extension's `datetime` and `aid_name` after it.
    static func logExporterElement(_ m: SimMessage, index: Int, names: [Int: String], zone: TimeZone, english: Bool) -> [(String, J)] {
        var reactions: [J] = []
        if index % 7 == 3 { reactions = [.o([("type", .s("roger")), ("aid", .i(1000002))])] }
        return [("id", .s(m.messageId)), ("aid", .i(m.accountId)), ("msg", .s(m.body)), ("type", .s("text_message_type")),
                ("tm", .i(m.sendTime)), ("utm", .i(m.updateTime)), ("index", .i(index)), ("reactions", .a(reactions)),
                ("datetime", .s(intlDateTime(m.sendTime, zone: zone, english: english))),
                ("aid_name", .s(names[m.accountId] ?? LogExporterReader.noName))]
    }

    /// JavaScript's `s.replace(/x/g, y)` for one code unit `x`: scalar by scalar, so a CR before an LF stays.
    static func jsReplace(_ s: String, _ x: Unicode.Scalar, _ y: String) -> String {
        var out = ""
        for u in s.unicodeScalars { if u == x { out += y } else { out.unicodeScalars.append(u) } }
        return out
    }

    /// `<room_id>_messages.json` (`JSON.stringify(messages, null, 2)`, oldest first) and/or
    /// `<room_id>_messages.csv` (`convertMessagesToCSV`), and attachments `<room_id>_<file_id>_<fn>` beside them.
    static func logExporter(_ messages: [SimMessage], roomID: Int, names: [Int: String], zone: TimeZone, english: Bool = false,
                            csv: Bool = true, json jsonToo: Bool = false, files: [(id: Int, name: String, data: Data)] = [], in dir: URL) throws {
        let sorted = messages.sorted(by: byID)
        let elements = sorted.enumerated().map { logExporterElement($1, index: $0, names: names, zone: zone, english: english) }
        if csv {
            func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            var rows = ["id,aid,aid_name,datetime,type,msg,tm,utm,index,reactions"]
            for e in elements {
                let o = Dictionary(e, uniquingKeysWith: { a, _ in a })
                func text(_ k: String) -> String {
                    switch o[k] { case .s(let s)?: return s; case .i(let i)? where i != 0: return String(i); default: return "" }
                }
                let msg = text("msg")
                rows.append([text("id"), text("aid"), text("aid_name").isEmpty ? "" : quoted(text("aid_name")),
                             text("datetime").isEmpty ? "" : quoted(text("datetime")), text("type"),
                             msg.isEmpty ? "" : "\"" + jsReplace(jsReplace(msg, "\"", "\"\""), "\n", "\\n") + "\"",
                             text("tm"), text("utm"), text("index"),
                             o["reactions"].map { quoted(json($0, indent: 0, compact: true)) } ?? ""].joined(separator: ","))
            }
            let body = elements.isEmpty ? "" : rows.joined(separator: "\n")
            try ImportFixtures.write(body, to: dir.appendingPathComponent("\(roomID)_messages.csv"))
        }
        if jsonToo {
            try ImportFixtures.write(json(.a(elements.map { .o($0) }), indent: 2), to: dir.appendingPathComponent("\(roomID)_messages.json"))
            try ImportFixtures.write(#"{"status":{"success":true},"result":{"account_dat":{}}}"#, to: dir.appendingPathComponent("\(roomID)_account_info.json"))
            try ImportFixtures.write(#"{"status":{"success":true},"result":{"chat_list":[]}}"#, to: dir.appendingPathComponent("\(roomID)_load_chat.json"))
        }
        for f in files { try f.data.write(to: dir.appendingPathComponent("\(roomID)_\(f.id)_\(f.name)")) }
    }

    // MARK: byecha (Python 3, `ByeCha.fetch_all_chat`)

    /// byecha's output folder: `conf.json`, `myid.txt`, the web viewer's `css/ images/ templates/`,
    /// per room `<room_id>/<room_id>_last.json` and `<room_id>/<room_id>_<first_id>.json` (pages of 40,
    /// newest first; a room whose count is a multiple of 40 ends with an empty page), attachments in
    /// `file/<file_id>/<filename>`, previews in `thumb/`. `shiftJIS`: as written on a Japanese
    /// Windows (cp932, CRLF line ends in text mode).
    static func byecha(_ messages: [SimMessage], roomID: Int, roomName: String, names: [Int: String], myID: Int,
                       files: [(id: Int, name: String, data: Data)] = [], shiftJIS: Bool = false, in out: URL) throws {
        func write(_ text: String, _ rel: String) throws {
            let url = out.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let t = shiftJIS ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
            guard let data = shiftJIS ? t.data(using: .shiftJIS) : Data(t.utf8) else { throw IndexError(description: "not encodable as Shift_JIS") }
            try data.write(to: url)
        }
        let contacts: [(String, J)] = names.sorted { $0.key < $1.key }.map {
            (String($0.key), .o([("aid", .i($0.key)), ("nm", .s($0.value)), ("av", .s("ico_\($0.key).png"))]))
        }
        let room: J = .o([("c", .i(messages.count)), ("m", .o(names.keys.sorted().map { (String($0), .i(2)) })), ("n", .s(roomName)), ("tp", .i(1))])
        try write(json(.o([("contact_dat", .o(contacts)), ("room_dat", .o([(String(roomID), room)]))]), indent: 4), "conf.json")
        try write(String(myID), "myid.txt")
        try write("body { display: flex; }\n", "css/byecha.css")
        try write("<html>{{ chat_list }}</html>\n", "templates/index.html")
        try write("PNG", "images/avatar/ico_default.png")
        var pages: [[SimMessage]] = []
        var rest = Array(messages.sorted(by: byID).reversed())
        while true {
            let page = Array(rest.prefix(40))
            rest.removeFirst(page.count)
            pages.append(page)
            if page.count < 40 { break }
        }
        var firstID: String?
        for page in pages {
            let elements: [J] = page.map { .o([("id", .s($0.messageId)), ("aid", .i($0.accountId)), ("msg", .s($0.body)), ("tm", .i($0.sendTime)), ("utm", .i($0.updateTime))]) }
            try write(json(.a(elements), indent: 4), "\(roomID)/\(roomID)_\(firstID ?? "last").json")
            firstID = page.last?.messageId
        }
        for f in files {
            let url = out.appendingPathComponent("file/\(f.id)/\(f.name)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try f.data.write(to: url)
            try write("thumb", "thumb/\(f.id)/\(f.name).jpg")
        }
    }
}
