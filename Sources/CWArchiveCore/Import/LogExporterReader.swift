import ChatworkAPI

/// Reads chatwork-log-exporter's `<room_id>_messages.json` (an array of `{"id", "aid",
/// "aid_name", "msg", "type", "tm", "utm", "index", "reactions", "datetime"}`) or
/// `<room_id>_messages.csv` (the same columns under a header row).
enum LogExporterReader {
    static let known: Set<String> = ["id", "aid", "aid_name", "msg", "tm", "utm"]

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
        let name = o["aid_name"]?.importString ?? aid.flatMap { context.contactNames[$0] } ?? aid.map { String($0) } ?? ""
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
                try emit(row(o, roomID: roomID, context: context, number: line, line: line))
            }
        }
    }
}
