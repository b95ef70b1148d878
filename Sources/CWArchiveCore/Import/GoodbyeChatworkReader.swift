import ChatworkAPI

/// Reads goodbye_chatwork's `<room_id>_<room name>.csv`, as its `export_csv` writes it (Ruby's
/// `CSV.open(out, "wb")`, gem 0.0.x to 0.1.0): UTF-8 without a byte order mark, rows ended by LF,
/// no header, a cell quoted only when it holds `"`, `,`, CR or LF (quotes doubled) or is an empty
/// string, and three cells per row:
/// 1. `Time.at(tm).iso8601`: the send time to the second with the offset of the machine that ran
///    the tool (`2024-01-05T14:21:00+09:00`; `+00:00` on a machine in UTC);
/// 2. the sender: the contact's `name` from the web client's `contact_dat`, the raw account id
///    (`12345`) for a sender who is not a contact, or an empty unquoted cell (Ruby's `nil`) when
///    the contact has no `name` member, as the web client's later `contact_dat` (with `nm`) gives;
/// 3. the raw body (`msg`) in Chatwork markup, with its own line breaks inside the quotes.
///
/// The room name in the file name has its spaces, control characters, `/` and `:` taken out.
/// Rows come newest first, page by page of 40, but no order is relied on. No message ids: rows
/// are matched by time, body and sender (see ``ImportMatcher``). CRLF rows, a byte order mark and
/// a time without an offset (read in `--timezone`) are accepted too.
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
                // Empty when the tool knew the contact but not its name: matched by time and body alone.
                let sender = f[1].trimmingCharacters(in: .whitespaces)
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
