import ChatworkAPI

/// Reads goodbye_chatwork's `<room_id>_<room name>.csv`: RFC 4180, no header, three columns
/// (send time as ISO 8601 with the local offset, the sender's name or raw account id, the raw
/// body). No message ids; rows come newest first, but no order is relied on.
enum GoodbyeChatworkReader {
    static func read(_ file: ImportSourceFile, roomID: Int, roomName: String?, context: ImportContext,
                     emit: (ImportRowResult) throws -> Void) throws {
        var reader = CSVRowReader(source: try ByteSource(url: file.url))
        while let row = try reader.next() {
            switch row {
            case .bad(let line, let reason): try emit(.bad(line: line, reason: reason))
            case .fields(let f, let line):
                guard f.count >= 3 else {
                    try emit(.bad(line: line, reason: "has \(f.count) column(s); goodbye-chatwork writes 3 (time, sender, body)"))
                    continue
                }
                let sendTime: Int
                switch ImportFields.time(f[0], timeZone: context.timeZone) {
                case .success(let t): sendTime = t
                case .failure(let e): try emit(.bad(line: line, reason: e.reason)); continue
                }
                let sender = f[1].trimmingCharacters(in: .whitespaces)
                guard !sender.isEmpty else { try emit(.bad(line: line, reason: "has no sender")); continue }
                var extra: [String: JSONValue] = [:]
                if f.count > 3 { extra["extra_columns"] = .array(f[3...].map { .string($0) }) }
                let rawID = sender.allSatisfy(\.isASCIIDigit) && sender.count <= 18 ? Int(sender) : nil
                try emit(.row(ImportRow(roomID: roomID, roomName: roomName, messageID: nil, accountID: rawID.flatMap { $0 > 0 ? $0 : nil },
                                        accountName: sender, body: f[2], sendTime: sendTime, updateTime: 0, extra: extra,
                                        row: line, line: line)))
            }
        }
    }
}
