import Foundation

/// Writes one room as CSV (`12345-name.csv`), one row per message version. See ``CSVWriter``
/// for quoting, the byte order mark and formula neutralisation.
struct CSVRoomExporter {
    let context: RoomExportContext

    static let header = ["room_id", "message_id", "version", "status", "send_time", "update_time",
                         "account_id", "account_name", "body", "body_markup", "files", "url", "source"]

    func export(messages cursor: ExportMessageCursor) throws -> [String] {
        let name = "\(context.baseName).csv"
        let w = try BufferedWriter(folder: context.folder, name: name)
        do {
            let csv = try CSVWriter(out: w, bom: context.options.byteOrderMark)
            try csv.writeRow(Self.header)
            let clock = context.clock
            let builder = context.builder
            while let m = try cursor.next() {
                let body = builder.renderer.plainWithFileIDs(m.body)
                let ids = builder.fileIDs(of: m, referenced: body.fileIDs)
                let files = try (ids.isEmpty ? [] : builder.fileViews(ids: ids)).map { f -> String in
                    if let path = f.path, !path.isEmpty { return path }
                    return "\(f.name) (not archived)"
                }
                try csv.writeRow([
                    String(context.room.roomID), m.messageID, String(m.version), m.status,
                    clock.iso(m.sendTime), m.updateTime > 0 ? clock.iso(m.updateTime) : "",
                    String(m.accountID), m.accountName,
                    body.text, m.body,
                    files.joined(separator: "\n"), m.url(roomID: context.room.roomID), m.source,
                ])
            }
            try w.close()
        } catch {
            w.discard()
            throw error
        }
        return [name]
    }
}
