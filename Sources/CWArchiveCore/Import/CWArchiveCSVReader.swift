import ChatworkAPI

/// Reads the CSV of `cwarchive export --format csv` (a round trip: two archives merged, or an
/// archive rebuilt from an export): a header row, then one row per message version with
/// `room_id`, `message_id`, `status`, `send_time`, `update_time` (ISO 8601), `account_id`,
/// `account_name` and `body_markup` (the raw body). The export neutralised formula cells with a
/// leading apostrophe; it is taken off again here.
enum CWArchiveCSVReader {
    static let required = ["room_id", "message_id", "send_time", "account_id", "account_name", "body_markup"]
    /// Columns the export derives from the others: not kept.
    static let derived: Set<String> = ["body", "files", "url", "version", "source", "room_name"]

    static func read(_ file: ImportSourceFile, context: ImportContext, roomName: String?, emit: (ImportRowResult) throws -> Void) throws {
        var reader = CSVRowReader(source: try ByteSource(url: file.url))
        var header: [String: Int]?
        var names: [String] = []
        while let r = try reader.next() {
            switch r {
            case .bad(let line, let reason): try emit(.bad(line: line, reason: reason))
            case .fields(let f, let line):
                guard let columns = header else {
                    names = f.map { $0.trimmingCharacters(in: .whitespaces) }
                    var h: [String: Int] = [:]
                    for (i, n) in names.enumerated() where h[n] == nil { h[n] = i }
                    guard required.allSatisfy({ h[$0] != nil }) else {
                        try emit(.bad(line: line, reason: "is not the header of a cwarchive CSV export (room_id,message_id,…,body_markup)"))
                        return
                    }
                    header = h
                    continue
                }
                guard f.count == names.count else {
                    try emit(.bad(line: line, reason: "has \(f.count) column(s); the header has \(names.count)"))
                    continue
                }
                func cell(_ name: String) -> String { columns[name].map { unneutralised(f[$0]) } ?? "" }
                guard let roomID = Int(cell("room_id")), roomID > 0 else { try emit(.bad(line: line, reason: "has no valid room_id")); continue }
                let rawID = cell("message_id")
                let hasID = ImportFields.messageID(rawID) != nil
                guard hasID || (rawID.hasPrefix(ImportedMessage.derivedIDPrefix) && rawID.utf8.count <= 64) else {
                    try emit(.bad(line: line, reason: "has no valid message_id")); continue
                }
                let sendTime: Int
                switch ImportFields.time(cell("send_time"), timeZone: context.timeZone) {
                case .success(let t): sendTime = t
                case .failure(let e): try emit(.bad(line: line, reason: "send_time " + e.reason)); continue
                }
                var updateTime = 0
                let u = cell("update_time")
                if !u.isEmpty {
                    switch ImportFields.time(u, timeZone: context.timeZone) {
                    case .success(let t): updateTime = t
                    case .failure(let e): try emit(.bad(line: line, reason: "update_time " + e.reason)); continue
                    }
                }
                let accountID = Int(cell("account_id")).flatMap { $0 > 0 ? $0 : nil }
                var extra: [String: JSONValue] = [:]
                for (i, n) in names.enumerated() where !required.contains(n) && !derived.contains(n) && n != "status" && n != "update_time" {
                    extra[n] = .string(unneutralised(f[i]))
                }
                let status = cell("status")
                var row = ImportRow(roomID: roomID, roomName: roomName, messageID: rawID, accountID: accountID, accountName: cell("account_name"),
                                    body: cell("body_markup"), sendTime: sendTime, updateTime: updateTime, deleted: status == "deleted",
                                    extra: extra, row: line, line: line)
                if !hasID { row.extra["derived_id"] = .bool(true) }
                try emit(.row(row))
            }
        }
    }

    /// A cell as it was before the export's formula neutralisation (`'=…` back to `=…`).
    static func unneutralised(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.dropFirst().first, CSVCell.formulaStarts.contains(second) || second == "\r\n" else { return cell }
        return String(cell.dropFirst())
    }
}
