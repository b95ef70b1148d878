import ChatworkAPI
import Foundation

/// Reads byecha's output folder (`_out` by default), as its `ByeCha` class writes it:
/// - `conf.json`: the `result` of the web client's `init_load`, `json.dump(…, ensure_ascii=False,
///   indent=4)`: `contact_dat` keyed by account id with `nm` names (`name` in older answers),
///   `room_dat` keyed by room id with `n` names (direct chats have none);
/// - `<room_id>/<room_id>_last.json` (the newest page) and `<room_id>/<room_id>_<first_id>.json`
///   (each older page, named by the oldest id of the page before it): the page's `chat_list`
///   as the client gave it, newest first, 40 a page, with the same `json.dump` (non-ASCII as is,
///   control characters as `\uXXXX` or `\n`, four spaces of indent); an empty room's page is `[]`;
/// - attachments (`[download:<file_id>]` in a body) in `file/<file_id>/<filename>`, linked to
///   the room whose message shows them; previews in `thumb/`, avatars in `images/`, the web
///   viewer's `css/` and `templates/`, and `myid.txt` are not imported.
///
/// The files are written with Python's default encoding: UTF-8, or Shift_JIS (cp932) on a
/// Japanese Windows; both are read. The pages of a room may overlap: the matching makes every
/// message count once.
enum ByechaReader {
    static let known: Set<String> = ["id", "aid", "msg", "tm", "utm"]
    static let maxConfBytes = 64 << 20

    /// The names in `conf.json` (at its top level or under `result`, as `init_load` answers).
    static func readConf(_ file: ImportSourceFile, into context: inout ImportContext) throws -> Result<Void, ImportRowError> {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
        guard size <= maxConfBytes else { return .failure(ImportRowError("is larger than \(maxConfBytes >> 20) MiB")) }
        guard let data = FileManager.default.contents(atPath: file.url.path) else {
            throw ImportFileError(path: file.url.path, detail: "cannot be read")
        }
        var bytes = ImportText.shiftJISAsUTF8(data) ?? [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), case .object = value else {
            return .failure(ImportRowError("is not a JSON object (byecha's conf.json)"))
        }
        var root = value
        if let result = value[member: "result"], case .object = result { root = result }
        if case .object(let contacts)? = root[member: "contact_dat"] {
            for (key, c) in contacts {
                if let id = Int(key), id > 0, let name = c[member: "nm"]?.importString ?? c[member: "name"]?.importString {
                    context.contactNames[id] = name
                }
            }
        }
        if case .object(let rooms)? = root[member: "room_dat"] {
            for (key, r) in rooms {
                if let id = Int(key), id > 0, let name = r[member: "n"]?.importString ?? r[member: "name"]?.importString {
                    context.roomNames[id] = name
                }
            }
        }
        return .success(())
    }

    static func read(_ file: ImportSourceFile, roomID: Int, context: ImportContext, emit: (ImportRowResult) throws -> Void) throws {
        var reader = JSONArrayReader(source: try source(file))
        while let element = try reader.next() {
            switch element {
            case .bad(_, let line, let reason): try emit(.bad(line: line, reason: reason))
            case .value(let v, let number, let line):
                guard case .object(let o) = v else { try emit(.bad(line: line, reason: "is not an object")); continue }
                guard let id = ImportFields.messageID(o["id"]?.importString) else { try emit(.bad(line: line, reason: "has no valid message id (\"id\")")); continue }
                guard let body = o["msg"]?.importString else { try emit(.bad(line: line, reason: "has no message body (\"msg\")")); continue }
                guard let tm = ImportFields.unixTime(o["tm"]) else { try emit(.bad(line: line, reason: "has no valid send time (\"tm\")")); continue }
                let utm = o["utm"].flatMap { $0 == .null ? 0 : ImportFields.unixTime($0) } ?? 0
                let aid = ImportFields.accountID(o["aid"])
                let name = aid.flatMap { context.contactNames[$0] } ?? aid.map { String($0) } ?? ""
                var extra: [String: JSONValue] = [:]
                for (k, v) in o where !known.contains(k) { extra[k] = v }
                try emit(.row(ImportRow(roomID: roomID, roomName: context.roomNames[roomID], messageID: id, accountID: aid, accountName: name,
                                        body: body, sendTime: tm, updateTime: utm, extra: extra, row: number, line: line)))
            }
        }
    }

    /// The file's bytes: streamed when it is UTF-8 (or too large to transcode), else as Shift_JIS read into UTF-8.
    static func source(_ file: ImportSourceFile) throws -> ByteSource {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
        if size <= ImportText.maxTranscodedBytes, let data = FileManager.default.contents(atPath: file.url.path),
           let utf8 = ImportText.shiftJISAsUTF8(data) {
            return ByteSource(bytes: utf8)
        }
        return try ByteSource(url: file.url)
    }
}
