import ChatworkAPI
import Foundation

/// Reads chatwork-log-exporter's (the Chrome extension, 1.1.0) outputs, as its `runExportScript`
/// writes them, UTF-8 without a byte order mark (a `Blob` of a JavaScript string):
/// - `<room_id>_messages.json` (when "JSON too" is ticked): `JSON.stringify(messages, null, 2)` of
///   the web client's `load_old_chat` `chat_list`, oldest first, each element as the client gave
///   it (`id` a string, `aid`, `msg`, `type`, `tm`, `utm`, `index`, `reactions`, …) plus
///   `datetime` and `aid_name` at the end;
/// - `<room_id>_messages.csv` (always): the header `id,aid,aid_name,datetime,type,msg,tm,utm,index,reactions`,
///   rows joined by LF with no LF after the last (an empty file for a room without messages);
///   `aid_name`, `datetime`, `msg` and `reactions` (as JSON) quoted with quotes doubled, the
///   others bare; a field that is empty, `0` or absent is an empty cell (so `utm` 0 is empty);
///   and in `msg` every line break written as the two characters `\n` (a CR stays as it is).
///
/// `datetime` is `Intl.DateTimeFormat(undefined, …)` in the browser's locale and zone
/// (`2024/12/12 12:12:12` in Japanese, `12/12/2024, 12:12:12 PM` in English): the send time is
/// `tm`; `datetime` only stands in when `tm` is missing. `aid_name` is `ユーザー名情報なし` when the
/// client had no name for the account: then no name is taken from it.
enum LogExporterReader {
    static let known: Set<String> = ["id", "aid", "aid_name", "msg", "tm", "utm"]
    /// What the extension writes as `aid_name` for an account it has no name for.
    static let noName = "ユーザー名情報なし"

    static func read(_ file: ImportSourceFile, roomID: Int, context: ImportContext, emit: (ImportRowResult) throws -> Void) throws {
        if file.url.pathExtension.lowercased() == "csv" {
            try readCSV(file, roomID: roomID, context: context, emit: emit)
            return
        }
        var reader = JSONArrayReader(source: try ByteSource(url: file.url))
        while let element = try reader.next() {
            switch element {
            case .bad(_, let line, let reason): try emit(.bad(line: line, reason: reason))
            case .value(let v, let number, let line):
                guard case .object(let o) = v else { try emit(.bad(line: line, reason: "is not an object")); continue }
                try emit(row(o, roomID: roomID, context: context, number: number, line: line))
            }
        }
    }

    /// One message from its fields (JSON members, or CSV cells as strings).
    static func row(_ o: [String: JSONValue], roomID: Int, context: ImportContext, number: Int, line: Int) -> ImportRowResult {
        guard let id = ImportFields.messageID(o["id"]?.importString) else { return .bad(line: line, reason: "has no valid message id (\"id\")") }
        guard let body = o["msg"]?.importString ?? (o["msg"] == nil ? nil : "") else { return .bad(line: line, reason: "has no message body (\"msg\")") }
        var sendTime = ImportFields.unixTime(o["tm"])
        if sendTime == nil, let dt = o["datetime"]?.importString, case .success(let t) = ImportFields.time(dt, timeZone: context.timeZone) { sendTime = t }
        guard let sendTime else { return .bad(line: line, reason: "has no valid send time (\"tm\")") }
        let updateTime = o["utm"].flatMap { $0 == .null || $0 == .string("") ? 0 : ImportFields.unixTime($0) } ?? 0
        let aid = ImportFields.accountID(o["aid"])
        let given = o["aid_name"]?.importString.flatMap { $0.isEmpty || $0 == noName ? nil : $0 }
        let name = given ?? aid.flatMap { context.contactNames[$0] } ?? aid.map { String($0) } ?? ""
        var extra: [String: JSONValue] = [:]
        for (k, v) in o where !known.contains(k) { extra[k] = v }
        return .row(ImportRow(roomID: roomID, messageID: id, accountID: aid, accountName: name, body: body,
                              sendTime: sendTime, updateTime: updateTime, extra: extra, row: number, line: line))
    }

    private static func readCSV(_ file: ImportSourceFile, roomID: Int, context: ImportContext, emit: (ImportRowResult) throws -> Void) throws {
        var reader = CSVRowReader(source: try ByteSource(url: file.url))
        var header: [String]?
        while let r = try reader.next() {
            switch r {
            case .bad(let line, let reason): try emit(.bad(line: line, reason: reason))
            case .fields(let f, let line):
                guard let columns = header else {
                    let h = f.map { $0.trimmingCharacters(in: .whitespaces) }
                    guard h.contains("id"), h.contains("msg") else {
                        try emit(.bad(line: line, reason: "is not the header row (id,aid,aid_name,datetime,type,msg,tm,utm,index,reactions)"))
                        return
                    }
                    header = h
                    continue
                }
                guard f.count == columns.count else {
                    try emit(.bad(line: line, reason: "has \(f.count) column(s); the header has \(columns.count)"))
                    continue
                }
                var o: [String: JSONValue] = [:]
                for (k, v) in zip(columns, f) { o[k] = .string(v) }
                if let msg = o["msg"]?.importString { o["msg"] = .string(unescapedBody(msg)) }
                // `reactions` is JSON in a cell: kept as the JSON it was.
                if let r = o["reactions"]?.importString, !r.isEmpty, let v = try? JSONDecoder().decode(JSONValue.self, from: Data(r.utf8)) {
                    o["reactions"] = v
                }
                try emit(row(o, roomID: roomID, context: context, number: line, line: line))
            }
        }
    }

    /// A CSV `msg` cell back to the body: `\n` is a line break. A cell with a real line break
    /// in it was not written by the extension's escaping (another writer quoted it), so it is
    /// taken as it is.
    static func unescapedBody(_ cell: String) -> String {
        guard cell.contains("\\n"), !cell.utf8.contains(0x0A) else { return cell }
        return cell.replacingOccurrences(of: "\\n", with: "\n")
    }
}
